import Foundation

/// Recency–frequency–monetary scoring.
///
/// Inputs per customer (same-day purchases collapsed, see ``CustomerActivity``):
/// - recency = days from the last purchase to the as-of day;
/// - frequency = number of distinct purchase days;
/// - monetary = total amount.
///
/// Scores are quintiles 1…5 (5 best: most recent, most frequent, highest spend).
///
/// **Tie rule.** Values are ranked ascending (recency: descending days, so the most recent rank
/// highest); all customers with an equal value share the score of the *first* position of their tie
/// group: `score = ⌊5·k/n⌋ + 1`, where `k` is the 0-based rank of the group's first member and `n`
/// the number of customers. The result does not depend on input order, and equal inputs always get
/// equal scores (so a heavily tied column may leave some scores unused).
package enum RFM {
    /// Per-customer RFM values and scores (columnar).
    package struct Table: Sendable {
        /// Customer identifiers.
        package var ids: [String]
        /// Days since the last purchase.
        package var recencyDays: [Int32]
        /// Distinct purchase days.
        package var frequency: [Int32]
        /// Total amount.
        package var monetary: [Double]
        /// Recency score 1…5 (5 = most recent).
        package var r: [UInt8]
        /// Frequency score 1…5.
        package var f: [UInt8]
        /// Monetary score 1…5.
        package var m: [UInt8]

        /// Number of customers.
        package var count: Int { ids.count }
    }

    /// Quantile scores `1…bins` of `values` under the documented tie rule (higher value, higher score).
    ///
    /// Only `bins − 1` order statistics are needed, not a full ranking: with `k(v)` the number of
    /// values below `v`, `⌊bins·k/n⌋ ≥ s − 1` exactly when `k ≥ Pₛ = ⌈(s−1)·n/bins⌉`, i.e. when the
    /// `Pₛ`-th smallest value is `< v`. So `score(v) = 1 + #{s ∈ 2…bins : tₛ < v}` with `tₛ` the
    /// `Pₛ`-th smallest value, found by selection in O(n) instead of an O(n log n) sort.
    /// Values must not be NaN.
    package static func quantileScores(_ values: [Double], bins: Int = 5) -> [UInt8] {
        let n = values.count
        guard n > 0 else { return [] }
        let positions = thresholdPositions(n: n, bins: bins)
        let thresholds = OrderStatistics.select(values, positions: positions)
        var scores = [UInt8](repeating: 1, count: n)
        values.withUnsafeBufferPointer { v in
            scores.withUnsafeMutableBufferPointer { out in
                let o = out
                let chunks = n >= 200_000 ? Parallel.cores : 1
                Parallel.forEach(chunks: chunks) { c in
                    for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                        let x = v[i]
                        var s: UInt8 = 1
                        for t in thresholds where t < x { s += 1 }
                        o[i] = s
                    }
                }
            }
        }
        return scores
    }

    /// Quantile scores of integer values (same tie rule), by counting: one histogram over the value
    /// range gives every value's `k` directly. Falls back to selection when the range is much wider
    /// than the number of values.
    package static func quantileScores(_ values: [Int32], bins: Int = 5) -> [UInt8] {
        let n = values.count
        guard n > 0 else { return [] }
        var lo = Int32.max, hi = Int32.min
        for v in values {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        let range = Int(hi) - Int(lo) + 1
        guard range <= max(1 << 16, 4 * n) else { return quantileScores(values.map(Double.init), bins: bins) }
        // score per distinct value from the count of smaller values
        var table = [UInt8](repeating: 0, count: range)
        do {
            var counts = [Int](repeating: 0, count: range)
            counts.withUnsafeMutableBufferPointer { c in
                for v in values { c[Int(v) - Int(lo)] += 1 }
            }
            var below = 0
            for j in 0..<range {
                table[j] = UInt8(bins * below / n + 1)
                below += counts[j]
            }
        }
        var scores = [UInt8](repeating: 1, count: n)
        table.withUnsafeBufferPointer { t in
            values.withUnsafeBufferPointer { v in
                scores.withUnsafeMutableBufferPointer { out in
                    let o = out
                    let chunks = n >= 200_000 ? Parallel.cores : 1
                    Parallel.forEach(chunks: chunks) { c in
                        for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                            o[i] = t[Int(v[i]) - Int(lo)]
                        }
                    }
                }
            }
        }
        return scores
    }

    /// 0-based sorted positions `Pₛ − 1` (s = 2…bins) whose values are the score thresholds.
    static func thresholdPositions(n: Int, bins: Int) -> [Int] {
        precondition(bins >= 1 && bins <= 255, "bins must be in 1…255")
        return (2..<(bins + 1)).map { s in ((s - 1) * n + bins - 1) / bins - 1 }
    }

    /// The former implementation (full sort, then a lower-bound search per value); kept as the
    /// reference the tests compare the selection and counting paths against.
    static func quantileScoresBySorting(_ values: [Double], bins: Int = 5) -> [UInt8] {
        let n = values.count
        guard n > 0 else { return [] }
        let sorted = values.sorted()
        return values.map { x in
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo + hi) >> 1
                if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            return UInt8(bins * lo / n + 1)
        }
    }

    /// Scores customers as of a day (default: the day after the last purchase in `activity`).
    package static func score(_ activity: CustomerActivity, asOf: Int? = nil) -> Table {
        let n = activity.count
        let asOfDay = Int32(truncatingIfNeeded: asOf ?? (Int(activity.lastDay.max() ?? 0) + 1))
        var recency = [Int32](repeating: 0, count: n)
        for i in 0..<n { recency[i] = asOfDay - activity.lastDay[i] }
        var columns = [[UInt8]](repeating: [], count: 3)
        columns.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            Parallel.forEach(chunks: 3) { k in
                switch k {
                case 0: out[0] = quantileScores(recency.map { 0 &- $0 })  // most recent ranks highest
                case 1: out[1] = quantileScores(activity.purchaseDays)
                default: out[2] = quantileScores(activity.totalAmount)
                }
            }
        }
        return Table(
            ids: activity.ids, recencyDays: recency, frequency: activity.purchaseDays, monetary: activity.totalAmount,
            r: columns[0], f: columns[1], m: columns[2])
    }

    /// Scores transactions as of a day (default: the day after the last transaction).
    package static func score(_ table: TransactionTable, asOf: Int? = nil) -> Table {
        let activity = CustomerActivity.build(from: table)
        return score(activity, asOf: asOf ?? ((table.lastDay ?? 0) + 1))
    }
}
