import Foundation

/// L2-regularised logistic regression fitted by Newton's method (IRLS), for churn scoring.
///
/// Features are standardised internally (z-scores, population SD); the intercept is not penalised.
/// The objective is `Σ log-loss + (λ/2)·‖w‖²` on the standardised scale.
package struct LogisticRegression: Sendable {
    /// Weights on the standardised features.
    package private(set) var weights: [Double]
    /// Intercept.
    package private(set) var intercept: Double
    /// Feature means used for standardisation.
    package private(set) var means: [Double]
    /// Feature standard deviations used for standardisation (1 where a feature is constant).
    package private(set) var scales: [Double]
    /// Newton iterations used.
    package private(set) var iterations: Int

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - features: one row per example.
    ///   - labels: 1 = churned, 0 = stayed.
    ///   - l2: penalty λ.
    package init(features: [[Double]], labels: [Double], l2: Double = 1.0, maxIterations: Int = 50) {
        let n = features.count
        let d = features.first?.count ?? 0
        var means = [Double](repeating: 0, count: d)
        var scales = [Double](repeating: 1, count: d)
        for j in 0..<d {
            let m = features.reduce(0) { $0 + $1[j] } / Double(max(n, 1))
            let v = features.reduce(0) { $0 + ($1[j] - m) * ($1[j] - m) } / Double(max(n, 1))
            means[j] = m
            scales[j] = v > 0 ? v.squareRoot() : 1
        }
        let x = features.map { row in (0..<d).map { (row[$0] - means[$0]) / scales[$0] } }
        var beta = [Double](repeating: 0, count: d + 1)  // beta[d] = intercept
        var iterations = 0
        for iteration in 1...maxIterations {
            iterations = iteration
            var gradient = [Double](repeating: 0, count: d + 1)
            var hessian = [Double](repeating: 0, count: (d + 1) * (d + 1))
            for i in 0..<n {
                var z = beta[d]
                for j in 0..<d { z += beta[j] * x[i][j] }
                let p = 1 / (1 + exp(-z))
                let w = max(p * (1 - p), 1e-12)
                let r = p - labels[i]
                for j in 0...d {
                    let xj = j == d ? 1 : x[i][j]
                    gradient[j] += r * xj
                    for k in 0...j {
                        let xk = k == d ? 1 : x[i][k]
                        hessian[j * (d + 1) + k] += w * xj * xk
                    }
                }
            }
            for j in 0...d { for k in 0..<j { hessian[k * (d + 1) + j] = hessian[j * (d + 1) + k] } }
            for j in 0..<d {
                gradient[j] += l2 * beta[j]
                hessian[j * (d + 1) + j] += l2
            }
            let step = LinearAlgebra.solveSymmetric(hessian, gradient, size: d + 1)
            var change = 0.0
            for j in 0...d {
                beta[j] -= step[j]
                change = max(change, abs(step[j]))
            }
            if change < 1e-10 { break }
        }
        self.weights = Array(beta[0..<d])
        self.intercept = beta[d]
        self.means = means
        self.scales = scales
        self.iterations = iterations
    }

    /// Churn probability of one example.
    package func probability(_ row: [Double]) -> Double {
        var z = intercept
        for j in 0..<weights.count { z += weights[j] * (row[j] - means[j]) / scales[j] }
        return 1 / (1 + exp(-z))
    }

    /// Churn probabilities of many examples.
    package func probabilities(_ rows: [[Double]]) -> [Double] { rows.map(probability) }

    /// Area under the ROC curve (Mann–Whitney U with average ranks for ties).
    package static func auc(scores: [Double], labels: [Double]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        let positives = labels.filter { $0 > 0.5 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return .nan }
        var rankSum = 0.0
        for k in labels.indices where labels[k] > 0.5 { rankSum += ranks[k] }
        return (rankSum - Double(positives) * Double(positives + 1) / 2) / (Double(positives) * Double(negatives))
    }

    /// A seeded shuffle split: returns (train indices, test indices).
    package static func trainTestSplit(count: Int, testFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        var indices = Array(0..<count)
        var rng = SplitMix64(seed: seed)
        indices.shuffle(using: &rng)
        let testCount = Int((Double(count) * testFraction).rounded())
        return (Array(indices[testCount...]).sorted(), Array(indices[..<testCount]).sorted())
    }
}

/// Small dense linear algebra.
enum LinearAlgebra {
    /// Solves `A x = b` for a symmetric positive-definite `A` (row-major `size × size`) by Cholesky,
    /// falling back to Gaussian elimination with partial pivoting.
    static func solveSymmetric(_ a: [Double], _ b: [Double], size n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        var ok = true
        outer: for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    if s <= 0 { ok = false; break outer }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        if ok {
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = b[i]
                for k in 0..<i { s -= l[i * n + k] * y[k] }
                y[i] = s / l[i * n + i]
            }
            var x = [Double](repeating: 0, count: n)
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = y[i]
                for k in (i + 1)..<n { s -= l[k * n + i] * x[k] }
                x[i] = s / l[i * n + i]
            }
            return x
        }
        var m = a
        var x = b
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0 * n + col]) < abs(m[$1 * n + col]) }!
            if pivot != col {
                for k in 0..<n { m.swapAt(col * n + k, pivot * n + k) }
                x.swapAt(col, pivot)
            }
            let p = m[col * n + col]
            guard p != 0 else { continue }
            for r in (col + 1)..<n {
                let f = m[r * n + col] / p
                for k in col..<n { m[r * n + k] -= f * m[col * n + k] }
                x[r] -= f * x[col]
            }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<n { s -= m[i * n + k] * x[k] }
            x[i] = m[i * n + i] != 0 ? s / m[i * n + i] : 0
        }
        return x
    }
}
