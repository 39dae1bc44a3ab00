import Foundation
import Testing
@testable import GuanxiAnalytics

@Suite("BG/NBD and Pareto/NBD properties")
struct BGNBDPropertiesTests {
    static let published = BGNBD.Parameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)

    @Test func conditionalExpectationMatchesFaderHardieLeeWorkedExample() {
        // given the paper's customer: 2 repeat purchases, last at week 30.43, observed for 38.86 weeks
        let fitted = BGNBD.Parameters(r: 0.24259, alpha: 4.41360, a: 0.79292, b: 2.42591)
        // when
        let expected = BGNBD.conditionalExpectedPurchases(fitted, t: 39, x: 2, tx: 30.43, T: 38.86)
        // then
        #expect(rounded(expected, 3) == 1.226)
    }

    @Test func probabilityAliveStaysInUnitInterval() throws {
        // given
        let summary = try Fixtures.cdnowSummary()
        // when
        let values = (0..<summary.count).map {
            BGNBD.probabilityAlive(Self.published, x: summary.frequency[$0], tx: summary.recency[$0], T: summary.T[$0])
        }
        // then
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func probabilityAliveFallsAsTheLastPurchaseAges() {
        // given a repeat buyer whose last purchase was at week 10
        let ages: [Double] = [12, 20, 30, 40, 60]
        // when
        let alive = ages.map { BGNBD.probabilityAlive(Self.published, x: 3, tx: 10, T: $0) }
        // then
        #expect(zip(alive, alive.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func paretoProbabilityAliveFallsAsTheLastPurchaseAges() {
        // given
        let p = ParetoNBD.Parameters(r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669)
        // when
        let alive = [12.0, 20, 30, 40].map { ParetoNBD.probabilityAlive(p, x: 3, tx: 10, T: $0) }
        // then
        #expect(alive.allSatisfy { $0 > 0 && $0 <= 1 })
        #expect(zip(alive, alive.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func purchaseCountDistributionSumsToOneAndMatchesItsMean() {
        // given
        let t = 39.0
        // when
        let probabilities = (0..<200).map { BGNBD.probabilityOfPurchases(Self.published, t: t, n: $0) }
        let mean = probabilities.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
        // then
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-6)
        #expect(abs(mean - BGNBD.expectedPurchases(Self.published, t: t)) < 1e-4)
    }

    @Test func oneTimeBuyersAreCertainlyAliveUnderBGNBD() {
        // given / when
        let alive = BGNBD.probabilityAlive(Self.published, x: 0, tx: 0, T: 38)
        // then
        #expect(alive == 1)
    }

    @Test func likelihoodIsFiniteForExtremeHistories() {
        // given very long histories and large frequencies
        let p = Self.published
        // when
        let ll = BGNBD.logLikelihood(p, x: 500, tx: 5_000, T: 5_001)
        let pareto = ParetoNBD.logLikelihood(
            ParetoNBD.Parameters(r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669), x: 300, tx: 2_000, T: 2_100)
        // then
        #expect(ll.isFinite)
        #expect(pareto.isFinite)
    }

    @Test func clvDiscountsLaterMonths() {
        // given
        let p = Self.published
        let expected: CustomerLifetimeValue.ExpectedPurchases = { t, x, tx, T in
            BGNBD.conditionalExpectedPurchases(p, t: t, x: x, tx: tx, T: T)
        }
        // when
        let undiscounted = CustomerLifetimeValue.value(
            x: 2, tx: 30.43, T: 38.86, spend: 20, months: 12, discountRate: 0, unit: .weeks, expected: expected)
        let discounted = CustomerLifetimeValue.value(
            x: 2, tx: 30.43, T: 38.86, spend: 20, months: 12, discountRate: 0.01, unit: .weeks, expected: expected)
        // then
        #expect(abs(undiscounted - 20 * expected(12 * 4.345, 2, 30.43, 38.86)) < 1e-9)
        #expect(discounted < undiscounted)
    }
}
