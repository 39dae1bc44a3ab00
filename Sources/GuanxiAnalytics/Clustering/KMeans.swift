import Foundation

/// k-means clustering (Lloyd's algorithm) with greedy k-means++ seeding (Arthur & Vassilvitskii
/// 2007; the greedy variant with 2 + ⌊ln k⌋ candidates per centre, as in scikit-learn), several
/// seeded initialisations, keeping the lowest inertia. Deterministic for a given seed.
package enum KMeans {
    /// Points in row-major order: `values[i * dimensions + j]`.
    package struct Matrix: Sendable {
        /// Row-major values.
        package var values: [Double]
        /// Number of columns.
        package var dimensions: Int

        /// Creates a matrix.
        package init(values: [Double], dimensions: Int) {
            precondition(dimensions > 0 && values.count % dimensions == 0)
            self.values = values
            self.dimensions = dimensions
        }

        /// Creates a matrix from rows.
        package init(rows: [[Double]]) {
            self.dimensions = rows.first?.count ?? 1
            self.values = rows.flatMap { $0 }
        }

        /// Number of rows.
        package var count: Int { values.count / dimensions }

        /// Row `i`.
        package func row(_ i: Int) -> [Double] { Array(values[(i * dimensions)..<((i + 1) * dimensions)]) }

        /// `m` rows picked at random (seeded), and which rows they are.
        package func sample(_ m: Int, seed: UInt64) -> (matrix: Matrix, rows: [Int]) {
            var rng = SplitMix64(seed: seed)
            var order = Array(0..<count)
            order.shuffle(using: &rng)
            let picked = Array(order.prefix(m))
            var out: [Double] = []
            out.reserveCapacity(picked.count * dimensions)
            for i in picked { out.append(contentsOf: values[(i * dimensions)..<((i + 1) * dimensions)]) }
            return (Matrix(values: out, dimensions: dimensions), picked)
        }
    }

    /// A clustering.
    package struct Result: Sendable {
        /// Cluster centres, `k` rows.
        package var centroids: Matrix
        /// Cluster of each point.
        package var labels: [Int32]
        /// Sum of squared distances of points to their centre.
        package var inertia: Double
        /// Points per cluster.
        package var sizes: [Int]
        /// Lloyd iterations of the winning initialisation.
        package var iterations: Int
    }

    /// Clusters `data` into `k` groups.
    ///
    /// - Parameters:
    ///   - k: number of clusters (1 ≤ k ≤ number of points).
    ///   - seed: random seed; the same seed gives the same result.
    ///   - initializations: independent k-means++ starts; the lowest inertia wins.
    ///   - maxIterations: Lloyd iterations per start.
    ///   - tolerance: stop when the squared centre shift falls below `tolerance ×` the mean per-column variance.
    package static func fit(
        _ data: Matrix, k: Int, seed: UInt64 = 0, initializations: Int = 10, maxIterations: Int = 300,
        tolerance: Double = 1e-4
    ) -> Result {
        let n = data.count
        precondition(k >= 1 && k <= n, "k must be between 1 and the number of points")
        var rng = SplitMix64(seed: seed)
        let d = data.dimensions
        var variance = 0.0
        for j in 0..<d {
            var mean = 0.0
            for i in 0..<n { mean += data.values[i * d + j] }
            mean /= Double(n)
            var v = 0.0
            for i in 0..<n { let t = data.values[i * d + j] - mean; v += t * t }
            variance += v / Double(n)
        }
        let tol = tolerance * variance / Double(d)
        // Each start draws a fixed number of random numbers, so every start's generator is known
        // up front: the starts run on all cores and give exactly what running them in turn gives.
        let starts = max(1, initializations)
        var generators: [SplitMix64] = []
        for _ in 0..<starts {
            generators.append(rng)
            for _ in 0..<(1 + (k - 1) * seedingTrials(k)) { _ = rng.next() }
        }
        var results = [Result?](repeating: nil, count: starts)
        results.withUnsafeMutableBufferPointer { out in
            let slots = out
            Parallel.forEach(chunks: starts) { s in
                var g = generators[s]
                let centres = kMeansPlusPlus(data, k: k, rng: &g)
                slots[s] = lloyd(data, centres: centres, k: k, maxIterations: maxIterations, tolerance: tol, splitAssignment: starts == 1)
            }
        }
        var best = results[0]!
        for r in results.dropFirst() where r!.inertia < best.inertia { best = r! }   // the first of equals, as in turn
        return best
    }

    /// Candidates tried per centre in greedy k-means++.
    static func seedingTrials(_ k: Int) -> Int { 2 + Int(log(Double(k))) }

    /// Greedy k-means++ seeding.
    static func kMeansPlusPlus(_ data: Matrix, k: Int, rng: inout SplitMix64) -> [Double] {
        let n = data.count, d = data.dimensions
        let x = data.values
        var centres = [Double](repeating: 0, count: k * d)
        let trials = seedingTrials(k)
        let first = Int(rng.next() % UInt64(n))
        for j in 0..<d { centres[j] = x[first * d + j] }
        var closest = [Double](repeating: 0, count: n)
        for i in 0..<n { closest[i] = squaredDistance(x, i * d, centres, 0, d) }
        var potential = closest.reduce(0, +)
        var candidateDistances = [Double](repeating: 0, count: n)
        var bestDistances = [Double](repeating: 0, count: n)
        for c in 1..<k {
            var bestCandidate = -1
            var bestPotential = Double.infinity
            for _ in 0..<trials {
                // Sample a point with probability proportional to its squared distance.
                let target = rng.nextUnit() * potential
                var acc = 0.0
                var candidate = n - 1
                for i in 0..<n {
                    acc += closest[i]
                    if acc > target { candidate = i; break }
                }
                var pot = 0.0
                for i in 0..<n {
                    let dist = min(closest[i], squaredDistance(x, i * d, x, candidate * d, d))
                    candidateDistances[i] = dist
                    pot += dist
                }
                if pot < bestPotential {
                    bestPotential = pot
                    bestCandidate = candidate
                    swap(&bestDistances, &candidateDistances)
                }
            }
            for j in 0..<d { centres[c * d + j] = x[bestCandidate * d + j] }
            potential = bestPotential
            swap(&closest, &bestDistances)
        }
        return centres
    }

    @inline(__always)
    static func squaredDistance(_ a: [Double], _ ao: Int, _ b: [Double], _ bo: Int, _ d: Int) -> Double {
        var s = 0.0
        for j in 0..<d { let t = a[ao + j] - b[bo + j]; s += t * t }
        return s
    }

    /// Lloyd iterations from given centres.
    /// `splitAssignment` spreads each assignment pass over the cores (when the starts do not).
    static func lloyd(_ data: Matrix, centres initial: [Double], k: Int, maxIterations: Int, tolerance: Double,
                      splitAssignment: Bool = true) -> Result {
        let n = data.count, d = data.dimensions
        var centres = initial
        var labels = [Int32](repeating: -1, count: n)
        var iterations = 0
        for iteration in 1...max(1, maxIterations) {
            iterations = iteration
            let (_, changed) = assign(data, centres: centres, k: k, labels: &labels, split: splitAssignment)
            // Update.
            var sums = [Double](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            data.values.withUnsafeBufferPointer { x in
                for i in 0..<n {
                    let c = Int(labels[i])
                    counts[c] += 1
                    for j in 0..<d { sums[c * d + j] += x[i * d + j] }
                }
            }
            var shift = 0.0
            for c in 0..<k where counts[c] > 0 {
                for j in 0..<d {
                    let v = sums[c * d + j] / Double(counts[c])
                    let t = v - centres[c * d + j]
                    shift += t * t
                    centres[c * d + j] = v
                }
            }
            if !changed && iteration > 1 { break }
            if shift <= tolerance { break }
        }
        let (inertia, _) = assign(data, centres: centres, k: k, labels: &labels, split: splitAssignment)
        var sizes = [Int](repeating: 0, count: k)
        for l in labels { sizes[Int(l)] += 1 }
        return Result(
            centroids: Matrix(values: centres, dimensions: d), labels: labels, inertia: inertia, sizes: sizes,
            iterations: iterations)
    }

    /// Assigns each point to its nearest centre; returns the inertia and whether any label changed.
    ///
    /// Eight centres at a time in SIMD lanes (centres transposed, missing ones at infinity): each
    /// lane sums the squared differences in the same order as a scalar loop would, so distances,
    /// labels (lowest centre among equals) and inertia are bit for bit those of the plain loop.
    static func assign(_ data: Matrix, centres: [Double], k: Int, labels: inout [Int32], split: Bool = true) -> (Double, Bool) {
        let n = data.count, d = data.dimensions
        let blocks = (k + 7) / 8
        var lanes = [SIMD8<Double>](repeating: SIMD8(repeating: .infinity), count: blocks * d)
        for c in 0..<k { for j in 0..<d { lanes[(c / 8) * d + j][c % 8] = centres[c * d + j] } }
        let parts: [(Double, Bool)] = data.values.withUnsafeBufferPointer { x in
            labels.withUnsafeMutableBufferPointer { lb in
                let l = lb
                return lanes.withUnsafeBufferPointer { ct in
                    Parallel.map(count: n, minimumPerChunk: split ? 25_000 : n + 1) { lo, hi in
                        var inertia = 0.0
                        var changed = false
                        for i in lo..<hi {
                            var best = Double.infinity
                            var bestC: Int32 = 0
                            for b in 0..<blocks {
                                var acc = SIMD8<Double>(repeating: 0)
                                for j in 0..<d {
                                    let t = SIMD8<Double>(repeating: x[i * d + j]) - ct[b * d + j]
                                    acc += t * t
                                }
                                let m = acc.min()
                                if m < best {
                                    best = m
                                    var lane = 0
                                    while acc[lane] != m { lane += 1 }
                                    bestC = Int32(b * 8 + lane)
                                }
                            }
                            if l[i] != bestC { changed = true; l[i] = bestC }
                            inertia += best
                        }
                        return (inertia, changed)
                    }
                }
            }
        }
        return (parts.reduce(0) { $0 + $1.0 }, parts.contains { $0.1 })
    }

    /// Inertia for each `k` in `ks` (for an elbow plot).
    package static func elbow(_ data: Matrix, ks: [Int], seed: UInt64 = 0, initializations: Int = 10) -> [(k: Int, inertia: Double)] {
        ks.map { k in (k, fit(data, k: k, seed: seed, initializations: initializations).inertia) }
    }

    /// Mean silhouette coefficient of a labelling (Rousseeuw 1987). Exact and O(n²); pass
    /// `sampleSize` for the silhouette of a seeded random sample of points, distances within the
    /// sample only (scikit-learn's `silhouette_score(sample_size=)`): O(sample²), where distances
    /// from the sample to every point cost a million customers half a minute per labelling.
    package static func silhouette(_ data: Matrix, labels: [Int32], sampleSize: Int? = nil, seed: UInt64 = 0) -> Double {
        let n = data.count, d = data.dimensions
        if let m = sampleSize, m < n {
            let (sample, rows) = data.sample(m, seed: seed)
            return silhouette(sample, labels: rows.map { labels[$0] })
        }
        let k = Int(labels.max() ?? 0) + 1
        var sizes = [Int](repeating: 0, count: k)
        for l in labels { sizes[Int(l)] += 1 }
        let x = data.values
        let parts: [Double] = Parallel.map(count: n, minimumPerChunk: 200) { lo, hi in
            var total = 0.0
            var sums = [Double](repeating: 0, count: k)
            for i in lo..<hi {
                for c in 0..<k { sums[c] = 0 }
                for j in 0..<n where j != i {
                    sums[Int(labels[j])] += squaredDistance(x, i * d, x, j * d, d).squareRoot()
                }
                let own = Int(labels[i])
                if sizes[own] <= 1 { continue }  // silhouette 0 for singletons
                let a = sums[own] / Double(sizes[own] - 1)
                var b = Double.infinity
                for c in 0..<k where c != own && sizes[c] > 0 { b = min(b, sums[c] / Double(sizes[c])) }
                if b.isFinite { total += (b - a) / max(a, b) }
            }
            return total
        }
        return parts.reduce(0, +) / Double(n)
    }
}
