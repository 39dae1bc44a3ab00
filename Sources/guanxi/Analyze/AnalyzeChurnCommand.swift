import ArgumentParser
import Foundation
import GuanxiAnalytics

/// `guanxi analyze churn`: P(alive)-based risk flags and/or a logistic-regression churn model.
struct AnalyzeChurnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churn",
        abstract: "Flag repeat buyers whose BG/NBD P(alive) is low; optionally fit a logistic churn model on a feature CSV.")

    @Option(help: "Transactions CSV with header customer_id,date,amount (P(alive) risk).")
    var transactions: String?

    @Option(help: "Last day of the calibration period (YYYY-MM-DD); default: last transaction day.")
    var calibrationEnd: String?

    @Option(help: "Time unit: weeks or days.")
    var unit: String = "weeks"

    @Option(help: "A repeat buyer is at risk when P(alive) is below this.")
    var threshold: Double = 0.5

    @Option(help: "Feature CSV for the logistic model (header required).")
    var features: String?

    @Option(help: "Label column of the feature CSV (1/yes/true = churned).")
    var label: String = "churn"

    @Option(help: "Comma-separated feature columns to ignore (e.g. identifiers).")
    var exclude: String = ""

    @Option(help: "L2 penalty of the logistic model.")
    var l2: Double = 1.0

    @Option(help: "Share of rows held out for the test AUC.")
    var testFraction: Double = 0.3

    @Option(help: "Seed of the train/test split.")
    var seed: UInt64 = 42

    @Option(help: "Output format: text or json.")
    var format: AnalyzeFormat = .text

    func run() async throws {
        guard transactions != nil || features != nil else {
            throw ValidationError("give --transactions, --features or both")
        }
        var members: [(String, JSONValue)] = []
        var lines: [String] = []
        if let transactions {
            guard let timeUnit = TimeUnit(rawValue: unit) else { throw ValidationError("--unit must be weeks or days") }
            let calEnd = try AnalyzeIO.day(calibrationEnd, option: "--calibration-end")
            let table = try AnalyzeIO.loadTransactions(transactions)
            guard table.count > 0 else { throw AnalyzeIO.fail("\(transactions): no transactions") }
            let summary = CustomerSummary.from(table, calibrationEnd: calEnd, unit: timeUnit)
            let fit = BGNBD.fit(summary)
            let risk = ChurnRisk.assess(summary, model: fit.parameters, threshold: threshold)
            let atRisk = risk.filter(\.atRisk).count
            members.append(("threshold", .number(threshold)))
            members.append(("at_risk", .int(atRisk)))
            members.append(("customers", .array(risk.map { a in
                .object([("id", .string(a.id)), ("p_alive", .number(a.probabilityAlive)), ("at_risk", .bool(a.atRisk))])
            })))
            lines.append("\(atRisk) of \(risk.count) customers at risk (repeat buyers with P(alive) < \(threshold))")
        }
        if let features {
            let text: String
            do { text = try String(contentsOfFile: features, encoding: .utf8) } catch {
                throw AnalyzeIO.fail("cannot read \(features): \(error.localizedDescription)")
            }
            let data: FeatureTable
            do {
                data = try FeatureTable.parse(
                    text, label: label, exclude: Set(exclude.split(separator: ",").map(String.init)))
            } catch let error as AnalyticsInputError {
                throw AnalyzeIO.fail("\(features): \(error)")
            }
            let split = LogisticRegression.trainTestSplit(count: data.rows.count, testFraction: testFraction, seed: seed)
            let model = LogisticRegression(
                features: split.train.map { data.rows[$0] }, labels: split.train.map { data.labels[$0] }, l2: l2)
            let aucTrain = LogisticRegression.auc(
                scores: model.probabilities(split.train.map { data.rows[$0] }), labels: split.train.map { data.labels[$0] })
            let aucTest = LogisticRegression.auc(
                scores: model.probabilities(split.test.map { data.rows[$0] }), labels: split.test.map { data.labels[$0] })
            members.append(("logistic", .object([
                ("train", .int(split.train.count)), ("test", .int(split.test.count)),
                ("auc_train", .number(aucTrain)), ("auc_test", .number(aucTest)),
                ("intercept", .number(model.intercept)),
                ("coefficients", .object(zip(data.columns, model.weights).map { ($0.0, .number($0.1)) })),
            ])))
            lines.append("logistic churn model: \(split.train.count) train / \(split.test.count) test rows, AUC train \(AnalyzeIO.fmt(aucTrain)), test \(AnalyzeIO.fmt(aucTest))")
        }
        if format == .json {
            AnalyzeIO.emit(JSONValue.object(members).serialized())
        } else {
            AnalyzeIO.emit(lines.joined(separator: "\n"))
        }
    }
}
