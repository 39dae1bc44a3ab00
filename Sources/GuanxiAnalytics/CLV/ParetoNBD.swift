import Foundation

/// The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987), with the likelihood of
/// Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related Expressions" (2005).
///
/// While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); lifetimes are
/// exponential with rate μ ~ Gamma(s, β).
package enum ParetoNBD {
    /// Pareto/NBD parameters.
    package struct Parameters: Sendable, Equatable, Codable {
        /// Shape of the purchase-rate gamma distribution.
        package var r: Double
        /// Scale of the purchase-rate gamma distribution.
        package var alpha: Double
        /// Shape of the dropout-rate gamma distribution.
        package var s: Double
        /// Scale of the dropout-rate gamma distribution.
        package var beta: Double

        /// Creates parameters.
        package init(r: Double, alpha: Double, s: Double, beta: Double) {
            self.r = r
            self.alpha = alpha
            self.s = s
            self.beta = beta
        }
    }

    /// A fitted model.
    package struct Fit: Sendable {
        /// The maximum-likelihood parameters.
        package var parameters: Parameters
        /// The total log-likelihood at ``parameters``.
        package var logLikelihood: Double
        /// Objective evaluations used.
        package var evaluations: Int
    }

    /// ln A₀ of the Fader–Hardie note (the integral over the unobserved death time), in log space.
    static func logA0(_ p: Parameters, x: Double, tx: Double, T: Double) -> Double {
        let (r, alpha, s, beta) = (p.r, p.alpha, p.s, p.beta)
        let rsx = r + s + x
        let maxAB = max(alpha, beta)
        let diff = abs(alpha - beta)
        let second = alpha < beta ? r + x : s + 1
        let l1 = SpecialFunctions.logHypergeometric2F1(rsx, second, rsx + 1, diff / (maxAB + tx)) - rsx * log(maxAB + tx)
        let l2 = SpecialFunctions.logHypergeometric2F1(rsx, second, rsx + 1, diff / (maxAB + T)) - rsx * log(maxAB + T)
        if l1 <= l2 { return -.infinity }
        return SpecialFunctions.logSubExp(l1, l2)
    }

    /// The log-likelihood of one customer.
    package static func logLikelihood(_ p: Parameters, x: Double, tx: Double, T: Double) -> Double {
        let (r, alpha, s, beta) = (p.r, p.alpha, p.s, p.beta)
        let lg = SpecialFunctions.logGamma
        let head = lg(r + x) - lg(r) + r * log(alpha) + s * log(beta)
        let aliveAtT = -(r + x) * log(alpha + T) - s * log(beta + T)
        let diedBefore = log(s) - log(r + s + x) + logA0(p, x: x, tx: tx, T: T)
        return head + SpecialFunctions.logAddExp(aliveAtT, diedBefore)
    }

    /// The total log-likelihood of a summary.
    package static func logLikelihood(_ p: Parameters, summary: CustomerSummary) -> Double {
        var total = 0.0
        for i in 0..<summary.count {
            total += logLikelihood(p, x: summary.frequency[i], tx: summary.recency[i], T: summary.T[i])
        }
        return total
    }

    static func logLikelihood(_ p: Parameters, data: CompressedSummary) -> Double {
        let sums = parallelSum(count: data.count, width: 1, minimumPerChunk: 2_000) { lo, hi in
            var s = 0.0
            for i in lo..<hi {
                s += data.weight[i] * logLikelihood(p, x: data.x[i], tx: data.tx[i], T: data.T[i])
            }
            return [s]
        }
        return sums[0]
    }

    /// Fits the model by maximum likelihood (Nelder–Mead on log-parameters, restarted to convergence).
    package static func fit(_ summary: CustomerSummary, start: Parameters? = nil) -> Fit {
        precondition(summary.count > 0, "Pareto/NBD needs at least one customer")
        let data = CompressedSummary(frequency: summary.frequency, recency: summary.recency, T: summary.T)
        let meanT = max(summary.T.reduce(0, +) / Double(summary.count), 1e-3)
        let s = start ?? Parameters(r: 1, alpha: meanT, s: 1, beta: meanT)
        let scale = 1 / data.totalWeight
        let result = Minimizer.nelderMead(
            start: [log(s.r), log(s.alpha), log(s.s), log(s.beta)], step: 0.5, tolerance: 1e-15, maxEvaluations: 20_000
        ) { theta in
            let p = Parameters(r: exp(theta[0]), alpha: exp(theta[1]), s: exp(theta[2]), beta: exp(theta[3]))
            guard theta.allSatisfy({ abs($0) < 30 }) else { return .infinity }
            let ll = logLikelihood(p, data: data)
            return ll.isFinite ? -ll * scale : .infinity
        }
        let p = Parameters(
            r: exp(result.point[0]), alpha: exp(result.point[1]), s: exp(result.point[2]), beta: exp(result.point[3]))
        return Fit(parameters: p, logLikelihood: -result.value / scale, evaluations: result.evaluations)
    }

    /// Probability that a customer with history `(x, t_x, T)` is alive at `T`.
    package static func probabilityAlive(_ p: Parameters, x: Double, tx: Double, T: Double) -> Double {
        let logRatio = log(p.s) - log(p.r + p.s + x) + (p.r + x) * log(p.alpha + T) + p.s * log(p.beta + T)
            + logA0(p, x: x, tx: tx, T: T)
        return 1 / (1 + exp(logRatio))
    }

    /// Expected purchases in `(0, t]` for a new customer.
    package static func expectedPurchases(_ p: Parameters, t: Double) -> Double {
        if abs(p.s - 1) < 1e-9 { return p.r * p.beta / p.alpha * log((p.beta + t) / p.beta) }
        return p.r * p.beta / (p.alpha * (p.s - 1)) * (1 - pow(p.beta / (p.beta + t), p.s - 1))
    }

    /// Expected purchases in the next `t` time units for a customer with history `(x, t_x, T)`.
    package static func conditionalExpectedPurchases(_ p: Parameters, t: Double, x: Double, tx: Double, T: Double) -> Double {
        if t <= 0 { return 0 }
        let alive = probabilityAlive(p, x: x, tx: tx, T: T)
        let lead = (p.r + x) * (p.beta + T) / (p.alpha + T)
        if abs(p.s - 1) < 1e-9 { return lead * log((p.beta + T + t) / (p.beta + T)) * alive }
        return lead / (p.s - 1) * (1 - pow((p.beta + T) / (p.beta + T + t), p.s - 1)) * alive
    }
}
