import Foundation

/// Selection of several order statistics at once (multi-quickselect), in expected O(n).
enum OrderStatistics {
    /// The values at the 0-based `positions` of `values` sorted ascending (positions ascending).
    /// Values must not be NaN.
    static func select(_ values: [Double], positions: [Int]) -> [Double] {
        precondition(positions.allSatisfy { $0 >= 0 && $0 < values.count })
        guard !positions.isEmpty else { return [] }
        var work = values
        var result = [Double](repeating: 0, count: positions.count)
        let wanted = positions.sorted()
        work.withUnsafeMutableBufferPointer { a in
            let budget = 3 * (Int.bitWidth - values.count.leadingZeroBitCount) + 16
            selectRange(a, 0, a.count, wanted[...], budget) { position, value in
                for (j, p) in positions.enumerated() where p == position { result[j] = value }
            }
        }
        return result
    }

    /// Places the wanted positions of `a[lo..<hi]` and reports them; three-way partitions (equal
    /// values are settled in one step, so heavy ties cost nothing) around a median-of-three pivot.
    /// When the depth budget of a path runs out (adversarial input), the range is sorted instead.
    private static func selectRange(
        _ a: UnsafeMutableBufferPointer<Double>, _ lo: Int, _ hi: Int, _ wanted: ArraySlice<Int>,
        _ budget: Int, _ report: (Int, Double) -> Void
    ) {
        var lo = lo, hi = hi
        var wanted = wanted
        var budget = budget
        while !wanted.isEmpty {
            if hi - lo <= 32 || budget <= 0 {
                var slice = UnsafeMutableBufferPointer(rebasing: a[lo..<hi])
                slice.sort()
                for p in wanted { report(p, a[p]) }
                return
            }
            budget -= 1
            let mid = lo + (hi - lo) / 2
            let x = a[lo], y = a[mid], z = a[hi - 1]
            let pivot = max(min(x, y), min(max(x, y), z))
            // Dutch national flag: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi) > pivot.
            var lt = lo, i = lo, gt = hi - 1
            while i <= gt {
                let v = a[i]
                if v < pivot {
                    a.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if v > pivot {
                    a.swapAt(i, gt)
                    gt -= 1
                } else {
                    i += 1
                }
            }
            // [lo, lt) below, [lt, gt] equal, (gt, hi) above.
            let below = wanted.prefix { $0 < lt }
            let equal = wanted.dropFirst(below.count).prefix { $0 <= gt }
            for p in equal { report(p, pivot) }
            let above = wanted.dropFirst(below.count + equal.count)
            if !below.isEmpty && !above.isEmpty {
                selectRange(a, lo, lt, below, budget, report)
                lo = gt + 1
                wanted = above
            } else if !below.isEmpty {
                hi = lt
                wanted = below
            } else {
                lo = gt + 1
                wanted = above
            }
        }
    }
}
