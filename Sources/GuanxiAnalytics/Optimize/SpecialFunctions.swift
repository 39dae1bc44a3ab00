import Foundation

/// Special functions used by the probability models.
package enum SpecialFunctions {
    /// ln Γ(x) for x > 0.
    @inlinable
    package static func logGamma(_ x: Double) -> Double {
        Foundation.lgamma(x)
    }

    /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
    @inlinable
    package static func logBeta(_ a: Double, _ b: Double) -> Double {
        logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    /// The digamma function ψ(x) = d/dx ln Γ(x), for x > 0 (recurrence to x ≥ 6, then the asymptotic series).
    package static func digamma(_ x: Double) -> Double {
        var x = x
        var result = 0.0
        while x < 6 {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        let series = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132)))))
        return result + log(x) - 0.5 / x + series
    }

    /// The trigamma function ψ′(x) = d²/dx² ln Γ(x), for x > 0 (recurrence to x ≥ 6, then the
    /// asymptotic series).
    package static func trigamma(_ x: Double) -> Double {
        var x = x
        var result = 0.0
        while x < 6 {
            result += 1 / (x * x)
            x += 1
        }
        let f = 1 / (x * x)
        let series = 1 / x + f / 2 + f / x * (1.0 / 6 + f * (-1.0 / 30 + f * (1.0 / 42 + f * (-1.0 / 30 + f * (5.0 / 66)))))
        return result + series
    }

    /// ln(eᵃ + eᵇ) without overflow.
    @inlinable
    package static func logAddExp(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b))
    }

    /// ln(eᵃ − eᵇ) for a ≥ b.
    @inlinable
    package static func logSubExp(_ a: Double, _ b: Double) -> Double {
        if b == -.infinity { return a }
        return a + log(-expm1(b - a))
    }

    /// The Gauss hypergeometric function ₂F₁(a, b; c; z) for |z| < 1 by its power series.
    ///
    /// Terms follow tₖ₊₁ = tₖ (a+k)(b+k) / ((c+k)(k+1)) z; summation stops when a term no longer
    /// changes the sum at double precision (or after 200,000 terms).
    package static func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        precondition(abs(z) < 1, "hypergeometric2F1 needs |z| < 1")
        var term = 1.0
        var sum = 1.0
        var k = 0.0
        while k < 200_000 {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            sum += term
            if abs(term) <= 1e-16 * abs(sum) && k > 2 { break }
            if term == 0 { break }
            k += 1
        }
        return sum
    }

    /// ln ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, where every series term is positive;
    /// the running sum is rescaled so very large values do not overflow.
    package static func logHypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        precondition(z >= 0 && z < 1, "logHypergeometric2F1 needs 0 ≤ z < 1")
        var logScale = 0.0
        var term = 1.0
        var sum = 1.0
        var k = 0.0
        while k < 200_000 {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            sum += term
            if term <= 1e-17 * sum { break }
            if sum > 1e200 {
                sum *= 1e-200
                term *= 1e-200
                logScale += 200 * M_LN10
            }
            k += 1
        }
        return log(sum) + logScale
    }
}
