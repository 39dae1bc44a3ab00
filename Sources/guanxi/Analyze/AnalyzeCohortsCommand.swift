import ArgumentParser
import Foundation
import GuanxiAnalytics

/// `guanxi analyze cohorts`: monthly acquisition cohorts and retention.
struct AnalyzeCohortsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohorts", abstract: "Monthly acquisition cohorts × months-since retention, plus order metrics.")

    @Option(help: "Transactions CSV with header customer_id,date,amount.")
    var transactions: String

    @Option(help: "Output format: text or json.")
    var format: AnalyzeFormat = .text

    func run() async throws {
        let table = try AnalyzeIO.loadTransactions(transactions)
        let report = CohortAnalysis.analyze(table)
        if format == .json {
            let doc: JSONValue = .object([
                ("cohorts", .array(report.cohorts.map { c in
                    .object([
                        ("month", .string(c.month)), ("size", .int(c.size)),
                        ("retention", .array(c.retention.map { .number($0) })),
                        ("revenue", .array(c.revenue.map { .number($0) })),
                    ])
                })),
                ("repurchase_rate", .number(report.repurchaseRate)),
                ("churn_rate", .number(report.churnRate)),
                ("average_order_value", .number(report.averageOrderValue)),
                ("orders_per_customer", .number(report.ordersPerCustomer)),
            ])
            AnalyzeIO.emit(doc.serialized())
        } else {
            var lines = ["Cohort    size  retention by month since acquisition (%)"]
            for c in report.cohorts {
                let cells = c.retention.prefix(12).map { String(format: "%5.1f", $0 * 100) }.joined(separator: " ")
                lines.append("\(c.month) \(String(format: "%5d", c.size))  \(cells)")
            }
            lines.append("repurchase rate \(AnalyzeIO.fmt(report.repurchaseRate * 100, 1))%, monthly churn \(AnalyzeIO.fmt(report.churnRate * 100, 1))%, AOV \(AnalyzeIO.fmt(report.averageOrderValue, 2)), orders/customer \(AnalyzeIO.fmt(report.ordersPerCustomer, 2))")
            AnalyzeIO.emit(lines.joined(separator: "\n"))
        }
    }
}
