import ArgumentParser
import Foundation
import GuanxiAnalytics

/// `guanxi analyze kmeans`: k-means on standardised log-RFM features.
struct AnalyzeKMeansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmeans",
        abstract: "Cluster customers with k-means on z-scores of log(1+R), log(1+F), log(1+M).")

    @Option(help: "Transactions CSV with header customer_id,date,amount.")
    var transactions: String

    @Option(help: "Number of clusters.")
    var k: Int

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Number of k-means++ initialisations; the lowest inertia wins.")
    var inits: Int = 10

    @Option(help: "Day recency is measured to (YYYY-MM-DD); default: the day after the last transaction.")
    var asOf: String?

    @Option(help: "Also report the mean silhouette over a seeded sample of this many customers.")
    var silhouetteSample: Int?

    @Option(help: "Output format: text or json.")
    var format: AnalyzeFormat = .text

    func run() async throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard inits >= 1 else { throw ValidationError("--inits must be at least 1") }
        let asOfDay = try AnalyzeIO.day(asOf, option: "--as-of")
        let table = try AnalyzeIO.timed("parse") { try AnalyzeIO.loadTransactions(transactions) }
        guard table.count > 0 else { throw AnalyzeIO.fail("\(transactions): no transactions") }
        let activity = CustomerActivity.build(from: table)
        guard k <= activity.count else { throw AnalyzeIO.fail("--k \(k) exceeds the \(activity.count) customers") }
        let features = KMeans.rfmFeatures(activity, asOf: asOfDay ?? (table.lastDay! + 1))
        let result = AnalyzeIO.timed("kmeans_fit") { KMeans.fit(features, k: k, seed: seed, initializations: inits) }
        let silhouette = silhouetteSample.map {
            KMeans.silhouette(features, labels: result.labels, sampleSize: $0, seed: seed)
        }
        let centroids = (0..<k).map { result.centroids.row($0) }
        if format == .json {
            var members: [(String, JSONValue)] = [
                ("inertia", .number(result.inertia)),
                ("sizes", .array(result.sizes.map { .int($0) })),
                ("centroids", .array(centroids.map { .array($0.map { .number($0) }) })),
                ("features", .array(["log1p_recency_z", "log1p_frequency_z", "log1p_monetary_z"].map { .string($0) })),
                ("customers_count", .int(activity.count)),
            ]
            if let silhouette { members.append(("silhouette", .number(silhouette))) }
            AnalyzeIO.emit(JSONValue.object(members).serialized())
        } else {
            var lines = ["k-means (k=\(k), \(inits) inits, seed \(seed)) on \(activity.count) customers",
                         "inertia \(AnalyzeIO.fmt(result.inertia, 4))"]
            for c in 0..<k {
                lines.append("  cluster \(c): \(result.sizes[c]) customers, centre (R,F,M z) = \(centroids[c].map { AnalyzeIO.fmt($0) }.joined(separator: ", "))")
            }
            if let silhouette { lines.append("silhouette \(AnalyzeIO.fmt(silhouette))") }
            AnalyzeIO.emit(lines.joined(separator: "\n"))
        }
    }
}
