/// The Insights page's figures as pure rules: collections ageing buckets, the bands of the CLV
/// distribution and the Pareto (80/20) curve. The store reads sums and counts; these decide what
/// they mean.
package enum Figures {
    /// Ageing buckets of money owed, by days since the order was placed: 0–30, 31–60, 61–90, 90+
    /// (each bucket up to its limit in days, the last one open).
    package static let ageingLimits = [30, 60, 90]
    package static let ageingBuckets = ["0-30", "31-60", "61-90", "90+"]

    /// The bucket (index into `ageingBuckets`) of a debt `days` old.
    package static func ageingBucket(days: Int) -> Int {
        ageingLimits.firstIndex { days <= $0 } ?? ageingLimits.count
    }

    /// `part` of `whole` (nil when the whole is nothing): repurchase rate, orders per customer.
    package static func ratio(_ part: Int, _ whole: Int) -> Double? {
        whole > 0 ? Double(part) / Double(whole) : nil
    }

    /// The lower edges of value bands from 0 up past `maximum` in round steps (1, 2, 5 × 10ⁿ), at
    /// most `count` bands: `[0, 1000, 2000, 5000, …]`; the last band is open upwards.
    package static func bands(upTo maximum: Int64, count: Int = 8) -> [Int64] {
        guard maximum > 0 else { return [0] }
        var steps: [Int64] = []
        var p: Int64 = 1
        while steps.count < 60 {
            for m: Int64 in [1, 2, 5] {
                let (v, o) = p.multipliedReportingOverflow(by: m)
                if !o { steps.append(v) }
            }
            let (next, o) = p.multipliedReportingOverflow(by: 10)
            if o { break }
            p = next
        }
        // the largest edges below the maximum, count − 1 of them, above 0
        let below = steps.filter { $0 <= maximum }
        return [0] + below.suffix(count - 1)
    }

    /// The band (index into `edges`) a value falls in.
    package static func band(_ value: Int64, edges: [Int64]) -> Int {
        (edges.lastIndex { value >= $0 }) ?? 0
    }

    /// The Pareto curve: given the value of each of `n` equal slices of the customers, most valuable
    /// first, the share of all value (0…100 %) made by the first 1, 2, … slices.
    package static func paretoCurve(_ slices: [Double]) -> [Double] {
        let total = slices.reduce(0, +)
        guard total > 0 else { return slices.map { _ in 0 } }
        var running = 0.0
        return slices.map { running += $0; return 100 * running / total }
    }
}
