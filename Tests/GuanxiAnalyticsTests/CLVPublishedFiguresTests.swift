import Foundation
import Testing
@testable import GuanxiAnalytics

@Suite("CDNOW published figures")
struct CLVPublishedFiguresTests {
    @Test func bgnbdReproducesFaderHardieLee2005() throws {
        // given
        let summary = try Fixtures.cdnowSummary()
        // when
        let fit = BGNBD.fit(summary)
        // then
        #expect(summary.count == 2357)
        #expect(rounded(fit.parameters.r, 3) == 0.243)
        #expect(rounded(fit.parameters.alpha, 3) == 4.414)
        #expect(rounded(fit.parameters.a, 3) == 0.793)
        #expect(rounded(fit.parameters.b, 3) == 2.426)
        #expect(rounded(fit.logLikelihood, 1) == -9582.4)
    }

    @Test func paretoNBDReproducesPublishedFit() throws {
        let summary = try Fixtures.cdnowSummary()
        let fit = ParetoNBD.fit(summary)
        #expect(rounded(fit.parameters.r, 3) == 0.553)
        #expect(rounded(fit.parameters.alpha, 3) == 10.578)
        #expect(rounded(fit.parameters.s, 3) == 0.606)
        #expect(rounded(fit.parameters.beta, 3) == 11.669)
        #expect(rounded(fit.logLikelihood, 1) == -9595.0)
    }

    @Test func gammaGammaReproducesHardieNote() throws {
        let summary = try Fixtures.cdnowSummary()
        let fit = try #require(GammaGamma.fit(summary))
        #expect(fit.customers == 946)
        #expect(rounded(fit.parameters.p, 2) == 6.25)
        #expect(rounded(fit.parameters.q, 2) == 3.74)
        #expect(rounded(fit.parameters.gamma, 2) == 15.44)
        #expect(rounded(fit.logLikelihood, 2) == -4055.92)
    }
}
