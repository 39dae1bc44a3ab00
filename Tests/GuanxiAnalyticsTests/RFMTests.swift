import Foundation
import Testing
@testable import GuanxiAnalytics

@Suite("RFM and value concentration")
struct RFMTests {
    @Test func scoresStayBetweenOneAndFive() throws {
        // given
        let table = try Fixtures.cdnowTransactions()
        // when
        let rfm = RFM.score(table)
        // then
        for column in [rfm.r, rfm.f, rfm.m] { #expect(column.allSatisfy { (1...5).contains($0) }) }
        #expect(Set(rfm.m) == [1, 2, 3, 4, 5])
    }

    @Test func mostRecentCustomerGetsRecencyFive() throws {
        // given five customers whose last purchases are 1…5 days before the as-of day
        let csv = "customer_id,date,amount\n" + (1...5).map { "c\($0),2020-01-\(String(format: "%02d", 10 - $0)),1" }.joined(separator: "\n")
        let table = try TransactionCSV.parse(csv)
        // when
        let rfm = RFM.score(table, asOf: CivilDate.parse("2020-01-10"))
        // then c1 (1 day ago) is most recent
        #expect(rfm.r == [5, 4, 3, 2, 1])
    }

    @Test func tiesShareTheScoreOfTheirFirstRank() {
        // given ten values where six tie at the bottom
        let values: [Double] = [1, 1, 1, 1, 1, 1, 7, 8, 9, 10]
        // when
        let scores = RFM.quantileScores(values)
        // then all tied values get the score of rank 0; the rest follow ⌊5k/n⌋+1
        #expect(scores == [1, 1, 1, 1, 1, 1, 4, 4, 5, 5])
    }

    @Test func scoresDoNotDependOnInputOrder() {
        // given
        let values: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
        let order = [4, 2, 9, 0, 10, 1, 7, 3, 8, 5, 6]
        // when
        let direct = RFM.quantileScores(values)
        let shuffled = RFM.quantileScores(order.map { values[$0] })
        // then
        #expect(order.enumerated().allSatisfy { shuffled[$0.offset] == direct[$0.element] })
    }

    @Test func rfmPackagePresetUsesFirstMatchPrecedence() {
        // given
        let map = RFMSegmentMap.rfmPackage
        // when / then
        #expect(map.segment(r: 5, f: 5, m: 5) == "Champions")
        #expect(map.segment(r: 4, f: 3, m: 3) == "Loyal Customers")
        #expect(map.segment(r: 5, f: 1, m: 1) == "Potential Loyalist")
        #expect(map.segment(r: 1, f: 5, m: 5) == "At Risk")
        #expect(map.segment(r: 1, f: 1, m: 1) == "Hibernating")
        #expect(map.segment(r: 5, f: 1, m: 5) == "Others")
        #expect(map.rules.count == 11)
    }

    @Test func recencyFrequencyGridCoversEveryCellOnce() {
        // given
        let map = RFMSegmentMap.recencyFrequency
        // when
        var matches = 0
        for r in 1...5 { for f in 1...5 {
            matches += map.rules.filter { $0.recency.contains(r) && $0.frequency.contains(f) }.count == 1 ? 1 : 0
        } }
        // then
        #expect(matches == 25)
        #expect(map.segment(r: 5, f: 5, m: 1) == "Champions")
        #expect(map.segment(r: 1, f: 5, m: 1) == "Can't Lose")
    }

    @Test func customMapFallsBackToItsOwnName() {
        // given
        let map = RFMSegmentMap(rules: [.init("VIP", r: 5...5, f: 5...5, m: 5...5)], fallback: "Rest")
        // when / then
        #expect(map.segment(r: 5, f: 5, m: 5) == "VIP")
        #expect(map.segment(r: 4, f: 5, m: 5) == "Rest")
    }

    @Test func giniIsZeroForEqualSpendAndHighForConcentratedSpend() {
        // given / when / then
        #expect(abs(ValueConcentration.gini([5, 5, 5, 5])) < 1e-12)
        #expect(abs(ValueConcentration.gini([0, 0, 0, 10]) - 0.75) < 1e-12)
    }

    @Test func topShareAndCustomersForEightyPercent() {
        // given ten customers, one making half of revenue
        let amounts: [Double] = [50, 10, 10, 5, 5, 5, 5, 5, 3, 2]
        // when / then
        #expect(abs(ValueConcentration.revenueShare(ofTop: 0.2, amounts: amounts) - 0.6) < 1e-12)
        #expect(ValueConcentration.customers(forShare: 0.8, amounts: amounts) == 5)
    }

    @Test func abcTiersSplitAtEightyAndNinetyFivePercent() {
        // given
        let amounts: [Double] = [50, 10, 10, 5, 5, 5, 5, 5, 3, 2]
        // when
        let tiers = ValueConcentration.abcTiers(amounts)
        // then
        #expect(tiers.map(\.rawValue).joined() == "AAAAABBBCC")
    }
}
