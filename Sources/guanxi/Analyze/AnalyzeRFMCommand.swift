import ArgumentParser
import Foundation
import GuanxiAnalytics

/// `guanxi analyze rfm`: RFM quintile scores, named segments and revenue concentration.
struct AnalyzeRFMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rfm", abstract: "Score customers 1–5 on recency, frequency and monetary value and segment them.")

    @Option(help: "Transactions CSV with header customer_id,date,amount.")
    var transactions: String

    @Option(help: "Day recency is measured to (YYYY-MM-DD); default: the day after the last transaction.")
    var asOf: String?

    @Option(help: "Segment map: rfm (the 11 segments of the R rfm package) or rf (10-segment recency × frequency grid).")
    var segments: String = "rfm"

    @Option(help: "Output format: text or json.")
    var format: AnalyzeFormat = .text

    func run() async throws {
        let map: RFMSegmentMap
        switch segments {
        case "rfm": map = .rfmPackage
        case "rf": map = .recencyFrequency
        default: throw ValidationError("--segments must be rfm or rf")
        }
        let asOfDay = try AnalyzeIO.day(asOf, option: "--as-of")
        let table = try AnalyzeIO.timed("parse") { try AnalyzeIO.loadTransactions(transactions) }
        guard table.count > 0 else { throw AnalyzeIO.fail("\(transactions): no transactions") }
        let day = asOfDay ?? (table.lastDay! + 1)
        let scores = AnalyzeIO.timed("rfm_score") { RFM.score(table, asOf: day) }
        let counts = map.counts(scores)
        let share = ValueConcentration.revenueShare(ofTop: 0.2, amounts: scores.monetary)
        let for80 = ValueConcentration.customers(forShare: 0.8, amounts: scores.monetary)
        let gini = ValueConcentration.gini(scores.monetary)
        let tiers = ValueConcentration.abcTiers(scores.monetary)
        let orderedNames = map.names.filter { counts[$0] != nil }
        if format == .json {
            var rows: [JSONValue] = []
            rows.reserveCapacity(scores.count)
            for i in 0..<scores.count {
                let (r, f, m) = (Int(scores.r[i]), Int(scores.f[i]), Int(scores.m[i]))
                rows.append(.object([
                    ("id", .string(scores.ids[i])), ("r", .int(r)), ("f", .int(f)), ("m", .int(m)),
                    ("segment", .string(map.segment(r: r, f: f, m: m))),
                    ("recency_days", .int(Int(scores.recencyDays[i]))), ("frequency", .int(Int(scores.frequency[i]))),
                    ("monetary", .number(scores.monetary[i])), ("tier", .string(tiers[i].rawValue)),
                ]))
            }
            let doc: JSONValue = .object([
                ("as_of", .string(CivilDate.string(ofDay: day))),
                ("customers", .array(rows)),
                ("segments", .object(orderedNames.map { ($0, .int(counts[$0]!)) })),
                ("value", .object([
                    ("top20_revenue_share", .number(share)), ("customers_for_80pct", .int(for80)),
                    ("gini", .number(gini)),
                    ("abc", .object(["A", "B", "C"].map { t in (t, .int(tiers.filter { $0.rawValue == t }.count)) })),
                ])),
            ])
            AnalyzeIO.emit(doc.serialized())
        } else {
            var lines = ["RFM of \(scores.count) customers as of \(CivilDate.string(ofDay: day))", "Segments:"]
            for name in orderedNames {
                lines.append("  \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(counts[name]!)")
            }
            lines.append("Top 20% of customers make \(AnalyzeIO.fmt(share * 100, 1))% of revenue; \(for80) customers make 80%; Gini \(AnalyzeIO.fmt(gini))")
            AnalyzeIO.emit(lines.joined(separator: "\n"))
        }
    }
}
