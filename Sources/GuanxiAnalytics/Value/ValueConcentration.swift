import Foundation

/// How concentrated revenue is across customers.
package enum ValueConcentration {
    /// ABC tier of a customer.
    package enum Tier: String, Sendable, Codable {
        /// The customers that together make the first `a` share of revenue.
        case a = "A"
        /// The next customers up to the `b` share.
        case b = "B"
        /// Everyone else.
        case c = "C"
    }

    /// Share of total revenue made by the top `fraction` of customers by revenue
    /// (the top ⌈fraction · n⌉ customers). 0 when there is no revenue.
    package static func revenueShare(ofTop fraction: Double, amounts: [Double]) -> Double {
        let total = amounts.reduce(0, +)
        guard total > 0, !amounts.isEmpty else { return 0 }
        let k = min(amounts.count, Int((fraction * Double(amounts.count)).rounded(.up)))
        let top = amounts.sorted(by: >).prefix(k).reduce(0, +)
        return top / total
    }

    /// The fewest customers whose combined revenue reaches `share` of the total (0 when no revenue).
    package static func customers(forShare share: Double, amounts: [Double]) -> Int {
        let total = amounts.reduce(0, +)
        guard total > 0 else { return 0 }
        var running = 0.0
        for (i, v) in amounts.sorted(by: >).enumerated() {
            running += v
            if running >= share * total * (1 - 1e-12) { return i + 1 }
        }
        return amounts.count
    }

    /// Gini coefficient of the revenue distribution: 0 = everyone spends the same, → 1 = one customer
    /// makes all revenue. `G = 2 Σ i·xᵢ / (n Σ xᵢ) − (n + 1)/n` with xᵢ ascending and i from 1.
    package static func gini(_ amounts: [Double]) -> Double {
        let n = Double(amounts.count)
        let total = amounts.reduce(0, +)
        guard n > 0, total > 0 else { return 0 }
        var weighted = 0.0
        for (i, v) in amounts.sorted().enumerated() { weighted += Double(i + 1) * v }
        return 2 * weighted / (n * total) - (n + 1) / n
    }

    /// ABC tiers: customers sorted by revenue (ties by index); a customer is A while the revenue of
    /// the customers before them is below `a` of the total, B while below `b`, else C.
    package static func abcTiers(_ amounts: [Double], a: Double = 0.8, b: Double = 0.95) -> [Tier] {
        let total = amounts.reduce(0, +)
        var tiers = [Tier](repeating: .c, count: amounts.count)
        guard total > 0 else { return tiers }
        let order = amounts.indices.sorted { amounts[$0] > amounts[$1] || (amounts[$0] == amounts[$1] && $0 < $1) }
        var before = 0.0
        for i in order {
            let share = before / total
            tiers[i] = share < a ? .a : (share < b ? .b : .c)
            before += amounts[i]
        }
        return tiers
    }
}
