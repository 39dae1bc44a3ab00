import ArgumentParser
import Foundation
import GuanxiAnalytics

/// `guanxi analyze rules`: frequent itemsets and association rules.
struct AnalyzeRulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Mine frequent itemsets and association rules (support, confidence, lift).")

    @Option(help: "Baskets CSV with header basket_id,item.")
    var baskets: String

    @Option(help: "Minimum itemset support (share of baskets).")
    var minSupport: Double

    @Option(help: "Minimum rule confidence.")
    var minConfidence: Double = 0.8

    @Option(help: "Maximum itemset length.")
    var maxLength: Int?

    @Option(help: "Output format: text or json.")
    var format: AnalyzeFormat = .text

    func run() async throws {
        guard minSupport > 0, minSupport <= 1 else { throw ValidationError("--min-support must be in (0, 1]") }
        let table = try AnalyzeIO.timed("parse") { try AnalyzeIO.loadBaskets(baskets) }
        let (itemsets, rules) = AnalyzeIO.timed("rules_mine") {
            let itemsets = FrequentItemsets.mine(table, minSupport: minSupport, maxLength: maxLength)
            return (itemsets, AssociationRules.generate(itemsets, minConfidence: minConfidence))
        }
        let names = { (items: [Int32]) in items.map { table.items[Int($0)] }.sorted() }
        if format == .json {
            let doc: JSONValue = .object([
                ("baskets", .int(table.baskets.count)),
                ("itemsets", .int(itemsets.itemsets.count)),
                ("rules", .array(rules.map { r in
                    .object([
                        ("antecedents", .array(names(r.antecedents).map { .string($0) })),
                        ("consequents", .array(names(r.consequents).map { .string($0) })),
                        ("support", .number(r.support)), ("confidence", .number(r.confidence)),
                        ("lift", .number(r.lift)),
                    ])
                })),
            ])
            AnalyzeIO.emit(doc.serialized())
        } else {
            var lines = ["\(table.baskets.count) baskets, \(itemsets.itemsets.count) frequent itemsets, \(rules.count) rules"]
            for r in rules.prefix(20) {
                lines.append("  {\(names(r.antecedents).joined(separator: ", "))} → {\(names(r.consequents).joined(separator: ", "))}  support \(AnalyzeIO.fmt(r.support)) confidence \(AnalyzeIO.fmt(r.confidence)) lift \(AnalyzeIO.fmt(r.lift))")
            }
            AnalyzeIO.emit(lines.joined(separator: "\n"))
        }
    }
}
