import Foundation

/// Maps `(R, F, M)` scores to named segments: rules are tried in order and the first whose three
/// score ranges all contain the customer's scores wins; a customer matching no rule gets ``fallback``.
package struct RFMSegmentMap: Sendable, Equatable {
    /// One named segment: inclusive score ranges for recency, frequency and monetary value.
    package struct Rule: Sendable, Equatable {
        /// Segment name.
        package var name: String
        /// Recency score range.
        package var recency: ClosedRange<Int>
        /// Frequency score range.
        package var frequency: ClosedRange<Int>
        /// Monetary score range.
        package var monetary: ClosedRange<Int>

        /// Creates a rule.
        package init(_ name: String, r: ClosedRange<Int>, f: ClosedRange<Int>, m: ClosedRange<Int> = 1...5) {
            self.name = name
            self.recency = r
            self.frequency = f
            self.monetary = m
        }
    }

    /// Rules in precedence order.
    package var rules: [Rule]
    /// Name for customers no rule matches.
    package var fallback: String

    /// Creates a custom map.
    package init(rules: [Rule], fallback: String = "Others") {
        self.rules = rules
        self.fallback = fallback
    }

    /// The segment of one customer.
    package func segment(r: Int, f: Int, m: Int) -> String {
        for rule in rules where rule.recency.contains(r) && rule.frequency.contains(f) && rule.monetary.contains(m) {
            return rule.name
        }
        return fallback
    }

    /// Segment names in map order, then the fallback.
    package var names: [String] { rules.map(\.name) + [fallback] }

    /// The 11 segments described by the R `rfm` package (Hebbali; vignette table of segments and
    /// the `rfm_segment` first-match precedence). "Lost" shares Hibernating's published ranges and so,
    /// under first-match precedence, receives no customer; it is kept to mirror the package.
    package static let rfmPackage = RFMSegmentMap(rules: [
        Rule("Champions", r: 4...5, f: 4...5, m: 4...5),
        Rule("Loyal Customers", r: 2...5, f: 3...5, m: 3...5),
        Rule("Potential Loyalist", r: 3...5, f: 1...3, m: 1...3),
        Rule("New Customers", r: 4...5, f: 1...1, m: 1...1),
        Rule("Promising", r: 3...4, f: 1...1, m: 1...1),
        Rule("Need Attention", r: 2...3, f: 2...3, m: 2...3),
        Rule("About To Sleep", r: 2...3, f: 1...2, m: 1...2),
        Rule("At Risk", r: 1...2, f: 2...5, m: 2...5),
        Rule("Can't Lose Them", r: 1...1, f: 4...5, m: 4...5),
        Rule("Hibernating", r: 1...2, f: 1...2, m: 1...2),
        Rule("Lost", r: 1...2, f: 1...2, m: 1...2),
    ])

    /// The common 10-segment recency × frequency grid (monetary ignored); every one of the 25 cells
    /// belongs to exactly one segment.
    package static let recencyFrequency = RFMSegmentMap(rules: [
        Rule("Hibernating", r: 1...2, f: 1...2),
        Rule("At Risk", r: 1...2, f: 3...4),
        Rule("Can't Lose", r: 1...2, f: 5...5),
        Rule("About To Sleep", r: 3...3, f: 1...2),
        Rule("Need Attention", r: 3...3, f: 3...3),
        Rule("Loyal Customers", r: 3...4, f: 4...5),
        Rule("Promising", r: 4...4, f: 1...1),
        Rule("New Customers", r: 5...5, f: 1...1),
        Rule("Potential Loyalists", r: 4...5, f: 2...3),
        Rule("Champions", r: 5...5, f: 4...5),
    ])

    /// Segments every customer of a scored table.
    package func segments(_ table: RFM.Table) -> [String] {
        (0..<table.count).map { segment(r: Int(table.r[$0]), f: Int(table.f[$0]), m: Int(table.m[$0])) }
    }

    /// Customer counts per segment name (segments with no customer omitted).
    package func counts(_ table: RFM.Table) -> [String: Int] {
        // Precompute the 125 cells once.
        var cell = [Int](repeating: 0, count: 125)
        for i in 0..<table.count {
            cell[(Int(table.r[i]) - 1) * 25 + (Int(table.f[i]) - 1) * 5 + Int(table.m[i]) - 1] += 1
        }
        var result: [String: Int] = [:]
        for r in 1...5 { for f in 1...5 { for m in 1...5 {
            let c = cell[(r - 1) * 25 + (f - 1) * 5 + m - 1]
            if c > 0 { result[segment(r: r, f: f, m: m), default: 0] += c }
        } } }
        return result
    }
}
