import Foundation

/// The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for
/// Customer Base Analysis"; Hardie, "The Gamma-Gamma Model of Monetary Value", 2013).
///
/// A customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ); the model is fitted on
/// repeat buyers only, from their number of repeat transactions `x` and average repeat value `m̄`.
public enum GammaGamma {
    /// Gamma-Gamma parameters.
    public struct Parameters: Sendable, Equatable, Codable {
        /// Shape of the per-transaction spend distribution.
        public var p: Double
        /// Shape of the gamma mixing distribution.
        public var q: Double
        /// Scale of the gamma mixing distribution.
        public var gamma: Double

        /// Creates parameters.
        public init(p: Double, q: Double, gamma: Double) {
            self.p = p
            self.q = q
            self.gamma = gamma
        }

        /// The population mean spend per transaction, pγ/(q − 1) (infinite when q ≤ 1).
        public var populationMeanSpend: Double { q > 1 ? p * gamma / (q - 1) : .infinity }
    }

    /// A fitted model.
    public struct Fit: Sendable {
        /// The maximum-likelihood parameters.
        public var parameters: Parameters
        /// The total log-likelihood at ``parameters``.
        public var logLikelihood: Double
        /// Number of repeat buyers used in the fit.
        public var customers: Int
    }

    /// The log-likelihood of one repeat buyer with `x` repeat transactions of average value `m`.
    public static func logLikelihood(_ par: Parameters, x: Double, m: Double) -> Double {
        let (p, q, g) = (par.p, par.q, par.gamma)
        let lg = SpecialFunctions.logGamma
        let px = p * x
        return lg(px + q) - lg(px) - lg(q) + q * log(g) + (px - 1) * log(m) + px * log(x) - (px + q) * log(g + x * m)
    }

    /// Fits the model by maximum likelihood (BFGS on log-parameters, analytic gradient) on the
    /// customers with `frequency > 0` and a positive average repeat value.
    /// Returns `nil` when there is no such customer.
    public static func fit(_ summary: CustomerSummary, start: Parameters? = nil) -> Fit? {
        fitWithCurvature(summary, start: start)?.fit
    }

    static func fitWithCurvature(_ summary: CustomerSummary, start: Parameters? = nil) -> (fit: Fit, curvature: [[Double]]?)? {
        let rows = (0..<summary.count).filter { summary.frequency[$0] > 0 && summary.monetaryValue[$0] > 0 }
        guard !rows.isEmpty else { return nil }
        let xs = rows.map { summary.frequency[$0] }
        let ms = rows.map { summary.monetaryValue[$0] }
        var initial = start
        var warmCurvature: [[Double]]? = nil
        if initial == nil, rows.count > 60_000 {
            // Warm start from a systematic subsample of about 20,000 repeat buyers.
            let step = rows.count / 20_000
            let picked = Swift.stride(from: 0, to: rows.count, by: step).map { rows[$0] }
            let sub = CustomerSummary(
                frequency: picked.map { summary.frequency[$0] }, recency: picked.map { summary.recency[$0] },
                T: picked.map { summary.T[$0] }, monetaryValue: picked.map { summary.monetaryValue[$0] })
            let warm = fitWithCurvature(sub)
            initial = warm?.fit.parameters
            warmCurvature = warm?.curvature
        }
        let s = initial ?? Parameters(p: 1, q: 1, gamma: 1)
        let scale = 1 / Double(rows.count)
        let lg = SpecialFunctions.logGamma
        let psi = SpecialFunctions.digamma
        let logM = ms.map { log($0) }
        let logX = xs.map { log($0) }
        // BFGS on log-parameters with the analytic gradient.
        let result = Minimizer.bfgs(start: [log(s.p), log(s.q), log(s.gamma)], gradientTolerance: 1e-9, valueTolerance: 1e-15, maxIterations: 300,
            initialInverseHessian: warmCurvature
        ) { theta, g in
            guard theta.allSatisfy({ abs($0) < 40 }) else { return .infinity }
            let p = exp(theta[0]), q = exp(theta[1]), gamma = exp(theta[2])
            let logGamma = log(gamma)
            let lgQ = lg(q), psiQ = psi(q)
            let sums = parallelSum(count: xs.count, width: 4, minimumPerChunk: 20_000) { lo, hi in
                var total = 0.0, dp = 0.0, dq = 0.0, dg = 0.0
                for i in lo..<hi {
                    let x = xs[i], m = ms[i]
                    let px = p * x
                    let logDen = log(gamma + x * m)
                    let psiSum = psi(px + q)
                    total += lg(px + q) - lg(px) - lgQ + q * logGamma + (px - 1) * logM[i] + px * logX[i] - (px + q) * logDen
                    dp += x * (psiSum - psi(px) + logM[i] + logX[i] - logDen)
                    dq += psiSum - psiQ + logGamma - logDen
                    dg += q / gamma - (px + q) / (gamma + x * m)
                }
                return [total, dp, dq, dg]
            }
            let (total, dp, dq, dg) = (sums[0], sums[1], sums[2], sums[3])
            g[0] = -dp * p * scale
            g[1] = -dq * q * scale
            g[2] = -dg * gamma * scale
            return total.isFinite ? -total * scale : .infinity
        }
        let par = Parameters(p: exp(result.point[0]), q: exp(result.point[1]), gamma: exp(result.point[2]))
        var total = 0.0
        for i in 0..<xs.count { total += logLikelihood(par, x: xs[i], m: ms[i]) }
        return (Fit(parameters: par, logLikelihood: total, customers: rows.count), result.inverseHessian)
    }

    /// The expected average transaction value of a customer with `x` repeat transactions of average
    /// value `m` (the population mean for `x = 0`).
    public static func conditionalExpectedSpend(_ par: Parameters, x: Double, m: Double) -> Double {
        if x <= 0 { return par.populationMeanSpend }
        return par.p * (par.gamma + x * m) / (par.p * x + par.q - 1)
    }
}
