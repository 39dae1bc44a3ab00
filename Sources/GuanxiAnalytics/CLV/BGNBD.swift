import Foundation

/// The BG/NBD ("beta-geometric / negative binomial") buy-till-you-die model of
/// Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2).
///
/// While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase
/// they drop out with probability p ~ Beta(a, b).
package enum BGNBD {
    /// Fitted BG/NBD parameters.
    package struct Parameters: Sendable, Equatable, Codable {
        /// Shape of the purchase-rate gamma distribution.
        package var r: Double
        /// Scale (rate) of the purchase-rate gamma distribution, in the summary's time unit.
        package var alpha: Double
        /// First shape of the drop-out beta distribution.
        package var a: Double
        /// Second shape of the drop-out beta distribution.
        package var b: Double

        /// Creates parameters.
        package init(r: Double, alpha: Double, a: Double, b: Double) {
            self.r = r
            self.alpha = alpha
            self.a = a
            self.b = b
        }
    }

    /// A fitted model.
    package struct Fit: Sendable {
        /// The maximum-likelihood parameters.
        package var parameters: Parameters
        /// The total log-likelihood at ``parameters`` (all terms kept, comparable with the literature).
        package var logLikelihood: Double
        /// Optimiser iterations.
        package var iterations: Int
        /// Whether the optimiser met its convergence criterion.
        package var converged: Bool
    }

    // MARK: Likelihood

    /// The log-likelihood of one customer (FHL 2005, eq. 6), computed in log space.
    package static func logLikelihood(_ p: Parameters, x: Double, tx: Double, T: Double) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let lg = SpecialFunctions.logGamma
        let a1 = lg(r + x) - lg(r) + r * log(alpha)
        let a2 = lg(a + b) + lg(b + x) - lg(b) - lg(a + b + x)
        let a3 = -(r + x) * log(alpha + T)
        if x > 0 {
            let a4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + tx)
            return a1 + a2 + SpecialFunctions.logAddExp(a3, a4)
        }
        return a1 + a2 + a3
    }

    /// The total log-likelihood of a summary.
    package static func logLikelihood(_ p: Parameters, summary: CustomerSummary) -> Double {
        let data = CompressedSummary(frequency: summary.frequency, recency: summary.recency, T: summary.T)
        var g = [Double](repeating: 0, count: 4)
        return -negativeLogLikelihood(data, logParameters: [log(p.r), log(p.alpha), log(p.a), log(p.b)], gradient: &g)
    }

    /// Negative total log-likelihood and its gradient with respect to the log-parameters.
    static func negativeLogLikelihood(_ data: CompressedSummary, logParameters theta: [Double], gradient: inout [Double]) -> Double {
        let r = exp(theta[0]), alpha = exp(theta[1]), a = exp(theta[2]), b = exp(theta[3])
        if !(r.isFinite && alpha.isFinite && a.isFinite && b.isFinite) || r <= 0 || alpha <= 0 || a <= 0 || b <= 0 {
            return .infinity
        }
        let lg = SpecialFunctions.logGamma
        let psi = SpecialFunctions.digamma
        // Terms that depend only on x.
        var ll = data.totalWeight * r * log(alpha)
        var dr = data.totalWeight * log(alpha)
        var dalpha = data.totalWeight * r / alpha
        var da = 0.0, db = 0.0
        let lgR = lg(r), lgAB = lg(a + b), lgB = lg(b)
        let psiR = psi(r), psiAB = psi(a + b), psiB = psi(b)
        let m = data.distinctX.count
        var logBX1 = [Double](repeating: 0, count: m)
        var invBX1 = [Double](repeating: 0, count: m)
        for j in 0..<m {
            let x = data.distinctX[j]
            let w = data.weightPerX[j]
            ll += w * (lg(r + x) - lgR + lgAB + lg(b + x) - lgB - lg(a + b + x))
            dr += w * (psi(r + x) - psiR)
            da += w * (psiAB - psi(a + b + x))
            db += w * (psiAB + psi(b + x) - psiB - psi(a + b + x))
            if x > 0 {
                logBX1[j] = log(b + x - 1)
                invBX1[j] = 1 / (b + x - 1)
            }
        }
        let logA = log(a)
        let invA = 1 / a
        let sums = logBX1.withUnsafeBufferPointer { lb in
            invBX1.withUnsafeBufferPointer { ib in
                data.x.withUnsafeBufferPointer { xs in
                    data.tx.withUnsafeBufferPointer { txs in
                        data.T.withUnsafeBufferPointer { ts in
                            data.weight.withUnsafeBufferPointer { ws in
                                data.xIndex.withUnsafeBufferPointer { xis in
                                    parallelSum(count: data.count, width: 5) { lo, hi in
                                        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
                                        for i in lo..<hi {
                                            let x = xs[i], w = ws[i]
                                            let rx = r + x
                                            let lT = log(alpha + ts[i])
                                            let a3 = -rx * lT
                                            if x > 0 {
                                                let lt = log(alpha + txs[i])
                                                let j = Int(xis[i])
                                                let a4 = logA - lb[j] - rx * lt
                                                // logsumexp with the weight p of the a4 branch.
                                                let d = a4 - a3
                                                let p: Double
                                                let lse: Double
                                                if d > 0 {
                                                    let e = exp(-d)
                                                    lse = a4 + log1p(e)
                                                    p = 1 / (1 + e)
                                                } else {
                                                    let e = exp(d)
                                                    lse = a3 + log1p(e)
                                                    p = e / (1 + e)
                                                }
                                                let q = 1 - p
                                                s0 += w * lse
                                                s1 += w * (-(q * lT + p * lt))
                                                s2 += w * (-rx * (q / (alpha + ts[i]) + p / (alpha + txs[i])))
                                                s3 += w * p * invA
                                                s4 -= w * p * ib[j]
                                            } else {
                                                s0 += w * a3
                                                s1 -= w * lT
                                                s2 -= w * rx / (alpha + ts[i])
                                            }
                                        }
                                        return [s0, s1, s2, s3, s4]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        ll += sums[0]
        dr += sums[1]
        dalpha += sums[2]
        da += sums[3]
        db += sums[4]
        // Chain rule to log-parameters; negate for minimisation.
        gradient[0] = -dr * r
        gradient[1] = -dalpha * alpha
        gradient[2] = -da * a
        gradient[3] = -db * b
        return ll.isFinite ? -ll : .infinity
    }

    // MARK: Fitting

    /// Fits the model by maximum likelihood (BFGS on log-parameters with the analytic gradient,
    /// customers compressed over distinct `(x, t_x, T)`).
    package static func fit(_ summary: CustomerSummary, start: Parameters? = nil) -> Fit {
        fitWithCurvature(summary, start: start).fit
    }

    static func fitWithCurvature(_ summary: CustomerSummary, start: Parameters? = nil, curvature: [[Double]]? = nil)
        -> (fit: Fit, curvature: [[Double]]?) {
        precondition(summary.count > 0, "BG/NBD needs at least one customer")
        let n = summary.count
        var initial = start
        var warmCurvature = curvature
        if initial == nil, n > 60_000 {
            // Warm start from a systematic 1-in-k subsample: the full-data BFGS then needs few iterations.
            let stride = n / 20_000
            let rows = Swift.stride(from: 0, to: n, by: stride)
            let sub = CustomerSummary(
                frequency: rows.map { summary.frequency[$0] }, recency: rows.map { summary.recency[$0] },
                T: rows.map { summary.T[$0] }, unit: summary.unit)
            let warm = fitWithCurvature(sub)
            initial = warm.fit.parameters
            warmCurvature = warm.curvature
        }
        let data = CompressedSummary(frequency: summary.frequency, recency: summary.recency, T: summary.T)
        let meanT = summary.T.reduce(0, +) / Double(summary.count)
        let s = initial ?? Parameters(r: 1, alpha: max(meanT, 1e-3), a: 1, b: 1)
        let theta0 = [log(s.r), log(s.alpha), log(s.a), log(s.b)]
        let scale = 1 / data.totalWeight
        let result = Minimizer.bfgs(start: theta0, gradientTolerance: 1e-10, valueTolerance: 1e-16, maxIterations: 1000,
            initialInverseHessian: warmCurvature
        ) { theta, g in
            let v = negativeLogLikelihood(data, logParameters: theta, gradient: &g)
            for k in 0..<4 { g[k] *= scale }
            return v * scale
        }
        let p = Parameters(r: exp(result.point[0]), alpha: exp(result.point[1]), a: exp(result.point[2]), b: exp(result.point[3]))
        return (Fit(parameters: p, logLikelihood: -result.value / scale, iterations: result.iterations, converged: result.converged),
                result.inverseHessian)
    }

    // MARK: Predictions

    /// Probability that a customer with history `(x, t_x, T)` is still alive at `T` (FHL 2005, eq. 13 note).
    package static func probabilityAlive(_ p: Parameters, x: Double, tx: Double, T: Double) -> Double {
        if x == 0 { return 1 }
        let logRatio = log(p.a) - log(p.b + x - 1) + (p.r + x) * (log(p.alpha + T) - log(p.alpha + tx))
        return 1 / (1 + exp(logRatio))
    }

    /// Expected number of purchases in `(0, t]` for a randomly chosen new customer (FHL 2005, eq. 9).
    package static func expectedPurchases(_ p: Parameters, t: Double) -> Double {
        if t <= 0 { return 0 }
        // Euler's transformation ₂F₁(r, b; a+b−1; z) = (1−z)^{a−1−r} ₂F₁(a+b−1−r, a−1; a+b−1; z) keeps
        // the series short even when z = t/(α+t) is close to 1.
        let z = t / (p.alpha + t)
        let f = SpecialFunctions.hypergeometric2F1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b - 1, z)
        return (p.a + p.b - 1) / (p.a - 1) * (1 - pow(1 - z, p.a - 1) * f)
    }

    /// Expected purchases in the next `t` time units for a customer with history `(x, t_x, T)`
    /// (FHL 2005, eq. 10).
    package static func conditionalExpectedPurchases(_ p: Parameters, t: Double, x: Double, tx: Double, T: Double) -> Double {
        if t <= 0 { return 0 }
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        // ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z) rewritten with Euler's transformation as
        // (1−z)^{a−1} ₂F₁(a+b−1−r, a−1; a+b+x−1; z): the upper parameters no longer grow with x, so
        // the series converges in a few terms even for frequent buyers and long horizons.
        let z = t / (alpha + T + t)
        let f = SpecialFunctions.hypergeometric2F1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        let numerator = (a + b + x - 1) / (a - 1) * (1 - pow(1 - z, a - 1) * f)
        let denominator: Double
        if x > 0 {
            denominator = 1 + exp(log(a) - log(b + x - 1) + (r + x) * (log(alpha + T) - log(alpha + tx)))
        } else {
            denominator = 1
        }
        return numerator / denominator
    }

    /// P(X(t) = n): the probability that a new customer makes exactly `n` purchases in `(0, t]`
    /// (FHL 2005, eq. 8).
    package static func probabilityOfPurchases(_ p: Parameters, t: Double, n: Int) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let x = Double(n)
        let lg = SpecialFunctions.logGamma
        let logBeta = SpecialFunctions.logBeta
        let logRatio = log(alpha / (alpha + t))
        let logZ = log(t / (alpha + t))
        let first = exp(
            logBeta(a, b + x) - logBeta(a, b) + lg(r + x) - lg(r) - lg(x + 1) + r * logRatio + (t > 0 ? x * logZ : (n == 0 ? 0 : -.infinity)))
        guard n > 0 else { return first }
        var partial = 0.0
        for j in 0..<n {
            let jd = Double(j)
            partial += exp(lg(r + jd) - lg(r) - lg(jd + 1) + r * logRatio + jd * logZ)
        }
        let second = exp(logBeta(a + 1, b + x - 1) - logBeta(a, b)) * (1 - partial)
        return first + second
    }
}
