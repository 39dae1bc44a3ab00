import Foundation
import Testing
@testable import GuanxiAnalytics

@Suite("Customer summary")
struct CustomerSummaryTests {
    static func table(_ csv: String) throws -> TransactionTable {
        try TransactionCSV.parse("customer_id,date,amount\n" + csv)
    }

    @Test func samePurchaseDayCollapsesIntoOneWithSummedAmount() throws {
        // given two purchases on the first day and two on a later day
        let t = try Self.table("a,2020-01-01,5\na,2020-01-01,7\na,2020-01-08,3\na,2020-01-08,1\n")
        // when
        let s = CustomerSummary.from(t, unit: .days)
        // then
        #expect(s.frequency == [1])
        #expect(s.recency == [7])
        #expect(s.monetaryValue == [4])
    }

    @Test func calibrationEndSplitsHoldoutAndMeasuresAgeToIt() throws {
        // given
        let t = try Self.table("a,2020-01-01,5\na,2020-01-15,5\na,2020-02-01,5\nb,2020-02-10,9\n")
        // when
        let s = CustomerSummary.from(t, calibrationEnd: CivilDate.parse("2020-01-29"), unit: .weeks)
        // then customer b, first seen after the calibration end, is left out
        #expect(s.ids == ["a"])
        #expect(s.frequency == [1])
        #expect(s.recency == [2])
        #expect(s.T == [4])
        #expect(s.frequencyHoldout == [1])
        #expect(abs(s.durationHoldout - 12.0 / 7) < 1e-12)
    }

    @Test func cdnowSummaryHasHardieCounts() throws {
        // given / when
        let s = try Fixtures.cdnowSummary()
        // then
        #expect(s.count == 2357)
        #expect(s.repeatBuyers.count == 946)
        #expect(s.frequency.reduce(0, +) == 2457)
    }

    @Test func oneCustomerStillFits() throws {
        // given
        let t = try Self.table("a,2020-01-01,5\na,2020-02-01,6\na,2020-03-01,7\n")
        let s = CustomerSummary.from(t, calibrationEnd: CivilDate.parse("2020-04-01"), unit: .weeks)
        // when
        let fit = BGNBD.fit(s)
        // then
        #expect(fit.logLikelihood.isFinite)
        let alive = BGNBD.probabilityAlive(fit.parameters, x: s.frequency[0], tx: s.recency[0], T: s.T[0])
        #expect(alive >= 0 && alive <= 1)
    }

    @Test func noRepeatBuyersLeavesGammaGammaUnfitted() throws {
        // given every customer bought once
        let t = try Self.table("a,2020-01-01,5\nb,2020-01-05,6\nc,2020-02-01,7\n")
        let s = CustomerSummary.from(t, unit: .days)
        // when
        let gg = GammaGamma.fit(s)
        let bg = BGNBD.fit(s)
        // then
        #expect(gg == nil)
        #expect(bg.logLikelihood.isFinite)
    }

    @Test func zeroAmountsAreAcceptedButExcludedFromSpendFit() throws {
        // given a repeat buyer whose repeat purchases are free
        let t = try Self.table("a,2020-01-01,0\na,2020-01-05,0\nb,2020-01-01,3\nb,2020-01-09,5\n")
        let s = CustomerSummary.from(t, unit: .days)
        // when
        let gg = GammaGamma.fit(s)
        // then
        #expect(s.monetaryValue == [0, 5])
        #expect(gg?.customers == 1)
    }
}
