import Foundation

/// The outcome of a numerical minimisation.
package struct MinimizationResult: Sendable {
    /// The minimising point.
    package var point: [Double]
    /// The objective at ``point``.
    package var value: Double
    /// Iterations used.
    package var iterations: Int
    /// Objective evaluations used.
    package var evaluations: Int
    /// Whether the convergence criterion was met (rather than the iteration limit).
    package var converged: Bool
    /// BFGS only: the final inverse-Hessian approximation (row-major), reusable as a warm start.
    package var inverseHessian: [[Double]]? = nil
}

/// Derivative-free and quasi-Newton minimisers.
package enum Minimizer {
    /// Nelder–Mead simplex minimisation (adaptive coefficients of Gao & Han 2012), restarted from the
    /// best point until a restart no longer improves the objective.
    ///
    /// - Parameters:
    ///   - start: initial point.
    ///   - step: initial simplex edge length.
    ///   - tolerance: stop when the simplex's objective spread is below `tolerance · (|f| + 1e-12)`.
    ///   - maxEvaluations: evaluation budget.
    ///   - objective: the function to minimise (may return `.infinity` outside its domain).
    package static func nelderMead(
        start: [Double], step: Double = 0.5, tolerance: Double = 1e-14, maxEvaluations: Int = 20_000,
        objective: ([Double]) -> Double
    ) -> MinimizationResult {
        var best = start
        var bestValue = objective(start)
        var evaluations = 1
        var iterations = 0
        var converged = false
        var restarts = 0
        var currentStep = step
        while restarts < 6 && evaluations < maxEvaluations {
            let r = nelderMeadOnce(
                start: best, step: currentStep, tolerance: tolerance,
                maxEvaluations: maxEvaluations - evaluations, objective: objective)
            evaluations += r.evaluations
            iterations += r.iterations
            converged = r.converged
            let improved = bestValue - r.value
            if r.value <= bestValue {
                best = r.point
                bestValue = r.value
            }
            restarts += 1
            if improved <= tolerance * (abs(bestValue) + 1e-12) && restarts > 1 { break }
            currentStep = max(step * 0.1, 1e-3)
        }
        return MinimizationResult(point: best, value: bestValue, iterations: iterations, evaluations: evaluations, converged: converged)
    }

    static func nelderMeadOnce(
        start: [Double], step: Double, tolerance: Double, maxEvaluations: Int, objective: ([Double]) -> Double
    ) -> MinimizationResult {
        let n = start.count
        let nd = Double(n)
        let alpha = 1.0, beta = 1.0 + 2.0 / nd, gamma = 0.75 - 1.0 / (2.0 * nd), delta = 1.0 - 1.0 / nd
        var simplex: [[Double]] = [start]
        for i in 0..<n {
            var p = start
            p[i] += step
            simplex.append(p)
        }
        var values = simplex.map(objective)
        var evaluations = n + 1
        var iterations = 0
        var converged = false
        while evaluations < maxEvaluations {
            iterations += 1
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let spread = abs(values[n] - values[0])
            if spread <= tolerance * (abs(values[0]) + 1e-12) {
                var size = 0.0
                for p in simplex.dropFirst() { for j in 0..<n { size = max(size, abs(p[j] - simplex[0][j])) } }
                if size < 1e-9 || spread == 0 { converged = true; break }
            }
            var centroid = [Double](repeating: 0, count: n)
            for p in simplex.dropLast() { for j in 0..<n { centroid[j] += p[j] / nd } }
            let worst = simplex[n]
            let reflected = (0..<n).map { centroid[$0] + alpha * (centroid[$0] - worst[$0]) }
            let fr = objective(reflected)
            evaluations += 1
            if fr < values[0] {
                let expanded = (0..<n).map { centroid[$0] + beta * (reflected[$0] - centroid[$0]) }
                let fe = objective(expanded)
                evaluations += 1
                if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = reflected
                values[n] = fr
            } else {
                let outside = fr < values[n]
                let contracted = outside
                    ? (0..<n).map { centroid[$0] + gamma * (reflected[$0] - centroid[$0]) }
                    : (0..<n).map { centroid[$0] - gamma * (centroid[$0] - worst[$0]) }
                let fc = objective(contracted)
                evaluations += 1
                if fc < (outside ? fr : values[n]) {
                    simplex[n] = contracted
                    values[n] = fc
                } else {
                    for i in 1...n {
                        simplex[i] = (0..<n).map { simplex[0][$0] + delta * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = objective(simplex[i])
                    }
                    evaluations += n
                }
            }
        }
        let bestIndex = values.indices.min { values[$0] < values[$1] }!
        return MinimizationResult(
            point: simplex[bestIndex], value: values[bestIndex], iterations: iterations, evaluations: evaluations,
            converged: converged)
    }

    /// BFGS quasi-Newton minimisation with an Armijo backtracking line search.
    ///
    /// - Parameters:
    ///   - start: initial point.
    ///   - gradientTolerance: stop when every |∂f/∂xᵢ| is below it.
    ///   - valueTolerance: or when two successive steps change f by less than `valueTolerance · |f|`.
    ///   - initialInverseHessian: warm-start curvature (e.g. from a fit on a subsample).
    ///   - objective: returns the value and fills the gradient (value `.infinity` outside the domain).
    package static func bfgs(
        start: [Double], gradientTolerance: Double = 1e-9, valueTolerance: Double = 1e-15, maxIterations: Int = 500,
        initialInverseHessian: [[Double]]? = nil, objective: ([Double], inout [Double]) -> Double
    ) -> MinimizationResult {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var f = objective(x, &g)
        var evaluations = 1
        var h = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { h[i][i] = 1 / max(1, abs(g[i])) }
        if let initialInverseHessian, initialInverseHessian.count == n { h = initialInverseHessian }
        var iterations = 0
        var converged = false
        var smallSteps = 0
        var gNew = g
        while iterations < maxIterations {
            iterations += 1
            if g.allSatisfy({ abs($0) < gradientTolerance }) { converged = true; break }
            var d = [Double](repeating: 0, count: n)
            for i in 0..<n { for j in 0..<n { d[i] -= h[i][j] * g[j] } }
            var slope = zip(d, g).reduce(0) { $0 + $1.0 * $1.1 }
            if slope >= 0 {
                for i in 0..<n { for j in 0..<n { h[i][j] = i == j ? 1 / max(1, abs(g[i])) : 0 } }
                d = (0..<n).map { -h[$0][$0] * g[$0] }
                slope = zip(d, g).reduce(0) { $0 + $1.0 * $1.1 }
            }
            var t = 1.0
            var xNew = x
            var fNew = Double.infinity
            var accepted = false
            for _ in 0..<60 {
                for i in 0..<n { xNew[i] = x[i] + t * d[i] }
                fNew = objective(xNew, &gNew)
                evaluations += 1
                if fNew.isFinite && fNew <= f + 1e-4 * t * slope { accepted = true; break }
                t *= 0.5
            }
            if !accepted { converged = true; break }
            let s = (0..<n).map { xNew[$0] - x[$0] }
            let y = (0..<n).map { gNew[$0] - g[$0] }
            let sy = zip(s, y).reduce(0) { $0 + $1.0 * $1.1 }
            let change = f - fNew
            x = xNew
            g = gNew
            f = fNew
            if sy > 1e-300 {
                var hy = [Double](repeating: 0, count: n)
                for i in 0..<n { for j in 0..<n { hy[i] += h[i][j] * y[j] } }
                let yhy = zip(y, hy).reduce(0) { $0 + $1.0 * $1.1 }
                let rho = 1 / sy
                for i in 0..<n {
                    for j in 0..<n {
                        h[i][j] += (1 + yhy * rho) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j])
                    }
                }
            }
            if change <= valueTolerance * abs(f) {
                smallSteps += 1
                if smallSteps >= 3 { converged = true; break }
            } else {
                smallSteps = 0
            }
        }
        return MinimizationResult(
            point: x, value: f, iterations: iterations, evaluations: evaluations, converged: converged, inverseHessian: h)
    }

    /// Damped Newton minimisation with the exact Hessian, for small smooth problems whose Hessian is
    /// cheap (e.g. a likelihood reduced to sufficient statistics). Where the Hessian is not positive
    /// definite (far from the optimum) `μI` is added, doubling μ until its Cholesky factor exists;
    /// steps are capped at `maxStep` per coordinate and backtracked (Armijo) like BFGS's.
    ///
    /// - Parameters:
    ///   - start: initial point.
    ///   - gradientTolerance: stop when every |∂f/∂xᵢ| is below it.
    ///   - objective: returns the value and fills the gradient and the row-major Hessian
    ///     (value `.infinity` outside the domain).
    package static func newton(
        start: [Double], gradientTolerance: Double = 1e-10, maxIterations: Int = 200, maxStep: Double = 4,
        objective: ([Double], inout [Double], inout [Double]) -> Double
    ) -> MinimizationResult {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var h = [Double](repeating: 0, count: n * n)
        var f = objective(x, &g, &h)
        var evaluations = 1
        var iterations = 0
        var converged = false
        var gNew = g, hNew = h
        var xNew = x
        while iterations < maxIterations {
            iterations += 1
            if g.allSatisfy({ abs($0) < gradientTolerance }) { converged = true; break }
            // Newton direction from (H + μI) d = −g, μ raised until the factorisation succeeds.
            var scaleH = 0.0
            for i in 0..<n { scaleH = max(scaleH, abs(h[i * n + i])) }
            var mu = 0.0
            var d = [Double](repeating: 0, count: n)
            var solved = false
            for _ in 0..<80 {
                if let step = choleskySolve(h, n: n, shift: mu, rhs: g) {
                    d = step.map { -$0 }
                    if zip(d, g).reduce(0, { $0 + $1.0 * $1.1 }) < 0 { solved = true; break }
                }
                mu = mu == 0 ? 1e-10 * max(1, scaleH) : mu * 4
            }
            if !solved { d = g.map { -$0 } }
            let longest = d.reduce(0) { max($0, abs($1)) }
            if longest > maxStep { d = d.map { $0 * maxStep / longest } }
            let slope = zip(d, g).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0
            var fNew = Double.infinity
            var accepted = false
            for _ in 0..<60 {
                for i in 0..<n { xNew[i] = x[i] + t * d[i] }
                fNew = objective(xNew, &gNew, &hNew)
                evaluations += 1
                if fNew.isFinite && fNew <= f + 1e-4 * t * slope { accepted = true; break }
                t *= 0.5
            }
            if !accepted { converged = true; break }
            let change = f - fNew
            swap(&x, &xNew)
            swap(&g, &gNew)
            swap(&h, &hNew)
            f = fNew
            // At the precision floor a full step no longer changes f.
            if t == 1, change <= 1e-16 * abs(f), d.allSatisfy({ abs($0) < 1e-9 }) { converged = true; break }
            // Pressed against the edge of the domain (each step cut a thousandfold) and no longer
            // gaining: the minimum is on the edge; more iterations would only halve steps there.
            if t < 1e-3, change <= 1e-12 * max(1, abs(f)) { break }
        }
        return MinimizationResult(point: x, value: f, iterations: iterations, evaluations: evaluations, converged: converged)
    }

    /// Solves `(A + shift·I) z = rhs` for a symmetric row-major `n×n` matrix `A` by Cholesky;
    /// `nil` when `A + shift·I` is not positive definite.
    static func choleskySolve(_ a: [Double], n: Int, shift: Double, rhs: [Double]) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j] + (i == j ? shift : 0)
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = rhs
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y.allSatisfy(\.isFinite) ? y : nil
    }
}
