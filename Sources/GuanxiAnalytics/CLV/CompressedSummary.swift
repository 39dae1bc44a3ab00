import Foundation

/// Customers grouped by identical `(x, t_x, T)` so a likelihood is evaluated once per distinct triple
/// and weighted by how many customers share it.
struct CompressedSummary: Sendable {
    var x: [Double]
    var tx: [Double]
    var T: [Double]
    var weight: [Double]
    /// Distinct frequencies, and for each row the index of its frequency in that list.
    var distinctX: [Double]
    var xIndex: [Int32]
    /// Total weight per distinct frequency.
    var weightPerX: [Double]
    var totalWeight: Double

    init(frequency: [Double], recency: [Double], T: [Double]) {
        struct Key: Hashable {
            let x: UInt64, tx: UInt64, t: UInt64
        }
        var index: [Key: Int] = [:]
        index.reserveCapacity(min(frequency.count, 1 << 20))
        var xs: [Double] = [], txs: [Double] = [], ts: [Double] = [], ws: [Double] = []
        for i in 0..<frequency.count {
            let key = Key(x: frequency[i].bitPattern, tx: recency[i].bitPattern, t: T[i].bitPattern)
            if let k = index[key] {
                ws[k] += 1
            } else {
                index[key] = xs.count
                xs.append(frequency[i]); txs.append(recency[i]); ts.append(T[i]); ws.append(1)
            }
        }
        var xLookup: [UInt64: Int32] = [:]
        var distinct: [Double] = []
        var perX: [Double] = []
        var xi = [Int32](repeating: 0, count: xs.count)
        for k in 0..<xs.count {
            if let j = xLookup[xs[k].bitPattern] {
                xi[k] = j
                perX[Int(j)] += ws[k]
            } else {
                let j = Int32(distinct.count)
                xLookup[xs[k].bitPattern] = j
                distinct.append(xs[k])
                perX.append(ws[k])
                xi[k] = j
            }
        }
        self.x = xs
        self.tx = txs
        self.T = ts
        self.weight = ws
        self.distinctX = distinct
        self.xIndex = xi
        self.weightPerX = perX
        self.totalWeight = Double(frequency.count)
    }

    var count: Int { x.count }
}

/// Runs `body(lo, hi)` over `0..<count` split into chunks on all cores and sums the returned vectors.
func parallelSum(count: Int, width: Int, minimumPerChunk: Int = 20_000, _ body: (Int, Int) -> [Double]) -> [Double] {
    let partial = Parallel.map(count: count, minimumPerChunk: minimumPerChunk, body)
    var total = [Double](repeating: 0, count: width)
    for p in partial { for j in 0..<width { total[j] += p[j] } }
    return total
}
