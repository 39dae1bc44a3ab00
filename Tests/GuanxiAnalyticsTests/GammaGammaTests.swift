import Foundation
import Testing
@testable import GuanxiAnalytics

@Suite("Gamma-Gamma from sufficient statistics")
struct GammaGammaTests {
    /// Repeat buyers of CDNOW (x > 0, m̄ > 0).
    static func cdnowBuyers() throws -> (x: [Double], m: [Double]) {
        let s = try Fixtures.cdnowSummary()
        let rows = (0..<s.count).filter { s.frequency[$0] > 0 && s.monetaryValue[$0] > 0 }
        return (rows.map { s.frequency[$0] }, rows.map { s.monetaryValue[$0] })
    }

    @Test func groupedLikelihoodEqualsThePerCustomerSum() throws {
        // given
        let (xs, ms) = try Self.cdnowBuyers()
        let stats = GammaGamma.SufficientStatistics(frequency: xs, monetaryValue: ms)
        for par in [GammaGamma.Parameters(p: 6.25, q: 3.74, gamma: 15.44), .init(p: 0.7, q: 1.3, gamma: 200)] {
            // when
            let grouped = stats.derivatives(p: par.p, q: par.q, gamma: par.gamma, hessian: false).value
            let direct = zip(xs, ms).reduce(0.0) { $0 + GammaGamma.logLikelihood(par, x: $1.0, m: $1.1) }
            // then
            #expect(abs(grouped - direct) <= 1e-9 * abs(direct))
        }
    }

    @Test func analyticGradientAndHessianMatchFiniteDifferences() throws {
        // given non-integral frequencies too (the hashed grouping path)
        var (xs, ms) = try Self.cdnowBuyers()
        xs.append(contentsOf: [1.5, 2.25, 1.5])
        ms.append(contentsOf: [10, 30, 12])
        let stats = GammaGamma.SufficientStatistics(frequency: xs, monetaryValue: ms)
        let point = [5.0, 3.0, 12.0]
        let at = { (v: [Double]) in stats.derivatives(p: v[0], q: v[1], gamma: v[2], hessian: true) }
        // when
        let analytic = at(point)
        let h = 1e-5
        // then the gradient matches central differences of the value, the Hessian those of the gradient
        for i in 0..<3 {
            var up = point, down = point
            up[i] += h
            down[i] -= h
            let numeric = (at(up).value - at(down).value) / (2 * h)
            #expect(abs(analytic.gradient[i] - numeric) <= 1e-5 * max(1, abs(numeric)))
            for j in 0..<3 {
                let numericH = (at(up).gradient[j] - at(down).gradient[j]) / (2 * h)
                #expect(abs(analytic.hessian[i * 3 + j] - numericH) <= 1e-5 * max(1, abs(numericH)))
            }
        }
    }

    @Test func fitUsesOnlyRepeatBuyersWithPositiveSpend() {
        // given two non-repeat customers and one zero-spend repeat customer besides three buyers
        let summary = CustomerSummary(
            frequency: [0, 0, 2, 1, 3, 4], recency: [0, 0, 5, 3, 9, 9], T: [10, 10, 10, 10, 10, 10],
            monetaryValue: [0, 0, 0, 20, 35, 27])
        // when
        let fit = GammaGamma.fit(summary)
        // then
        #expect(fit?.customers == 3)
        #expect(fit.map { $0.logLikelihood.isFinite } == true)
    }

    @Test func largeInputFitAgreesWithTheSmallSampleFitOfTheSameData() {
        // given 80,000 buyers (the multi-core path) that repeat 2,000 buyers 40 times
        var rng = SplitMix64(seed: 21)
        var xs: [Double] = [], ms: [Double] = []
        for _ in 0..<2_000 {
            let x = Double(1 + rng.next() % 12)
            let nu = 0.05 + rng.nextUnit() * 0.2
            xs.append(x)
            ms.append(max(0.5, (1 + rng.nextUnit() * 4) / nu))
        }
        let small = CustomerSummary(frequency: xs, recency: xs, T: xs.map { $0 + 1 }, monetaryValue: ms)
        let bigX = (0..<40).flatMap { _ in xs }, bigM = (0..<40).flatMap { _ in ms }
        let big = CustomerSummary(frequency: bigX, recency: bigX, T: bigX.map { $0 + 1 }, monetaryValue: bigM)
        // when
        let a = GammaGamma.fit(small)!, b = GammaGamma.fit(big)!
        // then replicating every buyer 40 times leaves the maximum where it was
        #expect(b.customers == 80_000)
        #expect(abs(a.parameters.p - b.parameters.p) <= 1e-5 * a.parameters.p)
        #expect(abs(a.parameters.q - b.parameters.q) <= 1e-5 * a.parameters.q)
        #expect(abs(a.parameters.gamma - b.parameters.gamma) <= 1e-5 * a.parameters.gamma)
        #expect(abs(b.logLikelihood - 40 * a.logLikelihood) <= 1e-8 * abs(b.logLikelihood))
    }

    @Test func buyersWhoseMeanSpendsDoNotDifferStopAtTheEdgeWithTheMeanAsTheirSpend() {
        // given 20,000 repeat buyers each spending uniformly between 5 and 500 per purchase: no customer spends more than
        // another on average, so the likelihood keeps rising as q and γ grow together (this took 35 s and ended with
        // q ≈ 2e17 and a positive, meaningless log-likelihood on a million customers)
        var rng = SplitMix64(seed: 7)
        var xs: [Double] = [], ms: [Double] = []
        for _ in 0..<20_000 {
            let x = 1 + Int(rng.next() % 6)
            xs.append(Double(x))
            ms.append((0..<x).reduce(0.0) { acc, _ in acc + 5 + rng.nextUnit() * 495 } / Double(x))
        }
        let mean = zip(xs, ms).reduce(0.0) { $0 + $1.0 * $1.1 } / xs.reduce(0, +)
        // when
        let started = ContinuousClock.now
        let fit = GammaGamma.fit(frequency: xs, monetaryValue: ms)
        let took = ContinuousClock.now - started
        // then the fit stops at the edge of the parameters, quickly, with a log-likelihood that means something
        #expect(max(fit.parameters.q, fit.parameters.gamma) > 1e6 && max(fit.parameters.q, fit.parameters.gamma) <= exp(GammaGamma.edge))
        #expect(fit.logLikelihood.isFinite && fit.logLikelihood < 0)
        #expect(took < .seconds(5), "\(took)")
        // and every buyer's expected spend is the mean spend, whatever they bought
        for (x, m) in [(1.0, 10.0), (6.0, 480.0), (3.0, 250.0)] {
            let spend = GammaGamma.conditionalExpectedSpend(fit.parameters, x: x, m: m)
            #expect(abs(spend - mean) <= 0.01 * mean, "x \(x) m \(m): \(spend) vs mean \(mean)")
        }
    }
}
