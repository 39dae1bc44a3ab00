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
public enum RFM {
    /// Per-customer RFM values and scores (columnar).
    public struct Table: Sendable {
        /// Customer identifiers.
        public var ids: [String]
        /// Days since the last purchase.
        public var recencyDays: [Int32]
        /// Distinct purchase days.
        public var frequency: [Int32]
        /// Total amount.
        public var monetary: [Double]
        /// Recency score 1…5 (5 = most recent).
        public var r: [UInt8]
        /// Frequency score 1…5.
        public var f: [UInt8]
        /// Monetary score 1…5.
        public var m: [UInt8]

        /// Number of customers.
        public var count: Int { ids.count }
    }

    /// Quantile scores `1…bins` of `values` under the documented tie rule (higher value, higher score).
    public static func quantileScores(_ values: [Double], bins: Int = 5) -> [UInt8] {
        let n = values.count
        guard n > 0 else { return [] }
        let sorted = values.sorted()
        var scores = [UInt8](repeating: 1, count: n)
        sorted.withUnsafeBufferPointer { s in
            values.withUnsafeBufferPointer { v in
                scores.withUnsafeMutableBufferPointer { out in
                    let o = out
                    Parallel.forEach(chunks: n > 200_000 ? 4 : 1) { c in
                        let chunks = n > 200_000 ? 4 : 1
                        for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                            // lower bound: first position of v[i] in sorted order
                            let x = v[i]
                            var lo = 0, hi = n
                            while lo < hi {
                                let mid = (lo + hi) >> 1
                                if s[mid] < x { lo = mid + 1 } else { hi = mid }
                            }
                            o[i] = UInt8(bins * lo / n + 1)
                        }
                    }
                }
            }
        }
        return scores
    }

    /// Scores customers as of a day (default: the day after the last purchase in `activity`).
    public static func score(_ activity: CustomerActivity, asOf: Int? = nil) -> Table {
        let n = activity.count
        let asOfDay = Int32(truncatingIfNeeded: asOf ?? (Int(activity.lastDay.max() ?? 0) + 1))
        var recency = [Int32](repeating: 0, count: n)
        for i in 0..<n { recency[i] = asOfDay - activity.lastDay[i] }
        let negRecency = recency.map { -Double($0) }
        let freq = activity.purchaseDays.map(Double.init)
        let money = activity.totalAmount
        var columns = [[UInt8]](repeating: [], count: 3)
        columns.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            Parallel.forEach(chunks: 3) { k in
                switch k {
                case 0: out[0] = quantileScores(negRecency)
                case 1: out[1] = quantileScores(freq)
                default: out[2] = quantileScores(money)
                }
            }
        }
        return Table(
            ids: activity.ids, recencyDays: recency, frequency: activity.purchaseDays, monetary: money,
            r: columns[0], f: columns[1], m: columns[2])
    }

    /// Scores transactions as of a day (default: the day after the last transaction).
    public static func score(_ table: TransactionTable, asOf: Int? = nil) -> Table {
        let activity = CustomerActivity.build(from: table)
        return score(activity, asOf: asOf ?? ((table.lastDay ?? 0) + 1))
    }
}
