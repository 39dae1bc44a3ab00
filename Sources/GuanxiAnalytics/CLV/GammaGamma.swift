import Foundation

/// The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for
/// Customer Base Analysis"; Hardie, "The Gamma-Gamma Model of Monetary Value", 2013).
///
/// A customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ); the model is fitted on
/// repeat buyers only, from their number of repeat transactions `x` and average repeat value `m̄`.
package enum GammaGamma {
    /// Gamma-Gamma parameters.
    package struct Parameters: Sendable, Equatable, Codable {
        /// Shape of the per-transaction spend distribution.
        package var p: Double
        /// Shape of the gamma mixing distribution.
        package var q: Double
        /// Scale of the gamma mixing distribution.
        package var gamma: Double

        /// Creates parameters.
        package init(p: Double, q: Double, gamma: Double) {
            self.p = p
            self.q = q
            self.gamma = gamma
        }

        /// The population mean spend per transaction, pγ/(q − 1) (infinite when q ≤ 1).
        package var populationMeanSpend: Double { q > 1 ? p * gamma / (q - 1) : .infinity }
    }

    /// A fitted model.
    package struct Fit: Sendable {
        /// The maximum-likelihood parameters.
        package var parameters: Parameters
        /// The total log-likelihood at ``parameters``.
        package var logLikelihood: Double
        /// Number of repeat buyers used in the fit.
        package var customers: Int
    }

    /// The log-likelihood of one repeat buyer with `x` repeat transactions of average value `m`.
    package static func logLikelihood(_ par: Parameters, x: Double, m: Double) -> Double {
        let (p, q, g) = (par.p, par.q, par.gamma)
        let lg = SpecialFunctions.logGamma
        let px = p * x
        return lg(px + q) - lg(px) - lg(q) + q * log(g) + (px - 1) * log(m) + px * log(x) - (px + q) * log(g + x * m)
    }

    /// Fits the model by maximum likelihood (damped Newton on log-parameters with the analytic
    /// gradient and Hessian) on the customers with `frequency > 0` and a positive average repeat
    /// value. Returns `nil` when there is no such customer.
    ///
    /// The likelihood is evaluated from sufficient statistics (see ``SufficientStatistics``): the
    /// ln Γ, ψ and ψ′ terms once per distinct frequency, and per customer only `ln(γ + x m̄)` and
    /// `1/(γ + x m̄)`.
    package static func fit(_ summary: CustomerSummary, start: Parameters? = nil) -> Fit? {
        var xs: [Double] = [], ms: [Double] = []
        xs.reserveCapacity(summary.count)
        ms.reserveCapacity(summary.count)
        for i in 0..<summary.count where summary.frequency[i] > 0 && summary.monetaryValue[i] > 0 {
            xs.append(summary.frequency[i])
            ms.append(summary.monetaryValue[i])
        }
        guard !xs.isEmpty else { return nil }
        return fit(frequency: xs, monetaryValue: ms, start: start)
    }

    /// How far from 1 (in ln) a parameter may go: 1e-10 to 1e10.
    static let edge = 23.0

    /// Fits on repeat buyers given as columns (every `x > 0`, `m > 0`).
    static func fit(frequency xs: [Double], monetaryValue ms: [Double], start: Parameters? = nil) -> Fit {
        let stats = SufficientStatistics(frequency: xs, monetaryValue: ms)
        let s = start ?? Parameters(p: 1, q: 1, gamma: 1)
        let scale = 1 / stats.buyers
        // f(θ) = −LL/N with θ = ln(p, q, γ): ∂f/∂θᵢ = −uᵢ gᵢ/N, ∂²f/∂θᵢ∂θⱼ = −(uᵢ uⱼ Hᵢⱼ + δᵢⱼ uᵢ gᵢ)/N.
        let result = Minimizer.newton(start: [log(s.p), log(s.q), log(s.gamma)], gradientTolerance: 1e-10) { theta, grad, hess in
            // p, q and γ between 1e-10 and 1e10: beyond, ln Γ(q) and q ln γ are so large that the
            // likelihood's terms cancel to noise (customers whose mean spends barely differ drive q
            // and γ up together without end; at the edge the fit stops, its predictions the mean's)
            guard theta.allSatisfy({ abs($0) < Self.edge }) else { return .infinity }
            let u = theta.map { exp($0) }
            let d = stats.derivatives(p: u[0], q: u[1], gamma: u[2], hessian: true)
            for i in 0..<3 {
                grad[i] = -u[i] * d.gradient[i] * scale
                for j in 0..<3 {
                    hess[i * 3 + j] = -(u[i] * u[j] * d.hessian[i * 3 + j] + (i == j ? u[i] * d.gradient[i] : 0)) * scale
                }
            }
            return d.value.isFinite ? -d.value * scale : .infinity
        }
        let par = Parameters(p: exp(result.point[0]), q: exp(result.point[1]), gamma: exp(result.point[2]))
        let ll = stats.derivatives(p: par.p, q: par.q, gamma: par.gamma, hessian: false).value
        return Fit(parameters: par, logLikelihood: ll, customers: xs.count)
    }

    /// The repeat buyers reduced to what the likelihood needs. With `N` buyers and `c_x` of them at
    /// frequency `x`, the total log-likelihood is
    ///
    ///     Σₓ cₓ [ln Γ(px+q) − ln Γ(px)] − N ln Γ(q) + N q ln γ + p·A − B − Σₓ (px+q) Lₓ(γ)
    ///
    /// with `A = Σ x(ln m̄ + ln x)`, `B = Σ ln m̄` (constants) and `Lₓ(γ) = Σ_{buyers at x} ln(γ + x m̄)`.
    /// Only `Lₓ` and `Rₓ(γ) = Σ 1/(γ + x m̄)` (for ∂/∂γ) need a pass over the buyers, who are stored
    /// grouped by frequency as `x m̄`.
    struct SufficientStatistics {
        var buyers: Double
        /// Distinct frequencies and how many buyers have each.
        var distinctX: [Double]
        var countPerX: [Double]
        /// `x m̄` of every buyer, grouped by frequency: group `k` is `xm[groupStart[k]..<groupStart[k+1]]`.
        var xm: [Double]
        var groupStart: [Int]
        var a: Double
        var b: Double

        init(frequency xs: [Double], monetaryValue ms: [Double]) {
            let n = xs.count
            buyers = Double(n)
            // Group index of every buyer (integral frequencies by direct lookup, others by hashing).
            var groupOf = [Int32](repeating: 0, count: n)
            var distinct: [Double] = []
            var lookupSmall = [Int32](repeating: -1, count: 1025)
            var lookup: [UInt64: Int32] = [:]
            for i in 0..<n {
                let x = xs[i]
                let g: Int32
                if x >= 0, x <= 1024, x == x.rounded(.towardZero) {
                    let k = Int(x)
                    if lookupSmall[k] < 0 {
                        lookupSmall[k] = Int32(distinct.count)
                        distinct.append(x)
                    }
                    g = lookupSmall[k]
                } else if let known = lookup[x.bitPattern] {
                    g = known
                } else {
                    g = Int32(distinct.count)
                    lookup[x.bitPattern] = g
                    distinct.append(x)
                }
                groupOf[i] = g
            }
            var counts = [Int](repeating: 0, count: distinct.count)
            for g in groupOf { counts[Int(g)] += 1 }
            var starts = [0]
            for c in counts { starts.append(starts.last! + c) }
            var cursor = Array(starts.dropLast())
            var grouped = [Double](repeating: 0, count: n)
            var sumA = 0.0, sumB = 0.0
            for i in 0..<n {
                let g = Int(groupOf[i])
                let x = xs[i], m = ms[i]
                grouped[cursor[g]] = x * m
                cursor[g] += 1
                let logM = log(m)
                sumA += x * (logM + log(x))
                sumB += logM
            }
            distinctX = distinct
            countPerX = counts.map(Double.init)
            xm = grouped
            groupStart = starts
            a = sumA
            b = sumB
        }

        /// `Lₓ(γ)`, `Rₓ(γ)` and `Qₓ(γ) = Σ 1/(γ + x m̄)²` for every group (chunks of buyers on all
        /// cores for large inputs), as `[L₀, R₀, Q₀, L₁, …]`.
        func perGroupSums(gamma: Double) -> [Double] {
            let groups = distinctX.count
            let partial = Parallel.map(count: xm.count, minimumPerChunk: 50_000) { lo, hi -> [Double] in
                var sums = [Double](repeating: 0, count: 3 * groups)
                xm.withUnsafeBufferPointer { v in
                    groupStart.withUnsafeBufferPointer { gs in
                        var k = 0
                        while gs[k + 1] <= lo { k += 1 }
                        var i = lo
                        while i < hi {
                            let end = min(hi, gs[k + 1])
                            var l = 0.0, r = 0.0, q = 0.0
                            while i < end {
                                let d = gamma + v[i]
                                let inv = 1 / d
                                l += log(d)
                                r += inv
                                q += inv * inv
                                i += 1
                            }
                            sums[3 * k] += l
                            sums[3 * k + 1] += r
                            sums[3 * k + 2] += q
                            k += 1
                        }
                    }
                }
                return sums
            }
            var total = [Double](repeating: 0, count: 3 * groups)
            for sums in partial { for j in 0..<total.count { total[j] += sums[j] } }
            return total
        }

        /// The total log-likelihood, its gradient in (p, q, γ) and (when asked) its row-major Hessian.
        func derivatives(p: Double, q: Double, gamma: Double, hessian: Bool)
            -> (value: Double, gradient: [Double], hessian: [Double])
        {
            let lg = SpecialFunctions.logGamma
            let psi = SpecialFunctions.digamma
            let psi1 = SpecialFunctions.trigamma
            let sums = perGroupSums(gamma: gamma)
            let n = buyers
            let logGamma = log(gamma)
            var value = -n * lg(q) + n * q * logGamma + p * a - b
            var dp = a, dq = -n * psi(q) + n * logGamma, dg = n * q / gamma
            var hpp = 0.0, hpq = 0.0, hqq = hessian ? -n * psi1(q) : 0, hpg = 0.0, hqg = n / gamma
            var hgg = -n * q / (gamma * gamma)
            for k in 0..<distinctX.count {
                let x = distinctX[k], c = countPerX[k]
                let l = sums[3 * k], r = sums[3 * k + 1], qk = sums[3 * k + 2]
                let px = p * x
                let psiSum = psi(px + q)
                value += c * (lg(px + q) - lg(px)) - (px + q) * l
                dp += x * (c * (psiSum - psi(px)) - l)
                dq += c * psiSum - l
                dg -= (px + q) * r
                if hessian {
                    let t1 = psi1(px + q)
                    hpp += c * x * x * (t1 - psi1(px))
                    hpq += c * x * t1
                    hqq += c * t1
                    hpg -= x * r
                    hqg -= r
                    hgg += (px + q) * qk
                }
            }
            let h = hessian ? [hpp, hpq, hpg, hpq, hqq, hqg, hpg, hqg, hgg] : []
            return (value, [dp, dq, dg], h)
        }
    }

    /// The expected average transaction value of a customer with `x` repeat transactions of average
    /// value `m` (the population mean for `x = 0`).
    package static func conditionalExpectedSpend(_ par: Parameters, x: Double, m: Double) -> Double {
        if x <= 0 { return par.populationMeanSpend }
        return par.p * (par.gamma + x * m) / (par.p * x + par.q - 1)
    }
}
