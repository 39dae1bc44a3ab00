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

@Suite("RFM scoring by selection and counting")
struct RFMSelectionTests {
    @Test func selectionScoresEqualTheSortingReference() {
        // given arrays of many sizes with heavy ties, negatives and both signed zeros
        var rng = SplitMix64(seed: 5)
        for n in [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 33, 100, 257, 1_000, 4_099, 250_001] {
            for distinct in [1, 2, 3, 7, 50, 1_000_000] {
                let values: [Double] = (0..<n).map { _ in
                    let v = Double(rng.next() % UInt64(distinct)) - Double(distinct / 3)
                    return v == 0 && rng.next() % 2 == 0 ? -0.0 : v * 0.37
                }
                // when / then
                for bins in [5, 3, 10] {
                    #expect(RFM.quantileScores(values, bins: bins) == RFM.quantileScoresBySorting(values, bins: bins),
                            "n \(n), distinct \(distinct), bins \(bins)")
                }
            }
        }
    }

    @Test func integerScoresEqualTheDoubleScores() {
        // given integer columns with narrow and very wide ranges
        var rng = SplitMix64(seed: 9)
        for n in [1, 5, 12, 1_000, 300_000] {
            for range in [1, 4, 700, 2_000_000_000] {
                let values: [Int32] = (0..<n).map { _ in Int32(Int64(rng.next() % UInt64(range)) - Int64(range / 2)) }
                // when / then
                #expect(RFM.quantileScores(values) == RFM.quantileScoresBySorting(values.map(Double.init)),
                        "n \(n), range \(range)")
            }
        }
    }

    @Test func adversarialOrdersStillSelectCorrectly() {
        // given sorted, reversed, organ-pipe and all-equal inputs
        let n = 10_000
        let inputs: [[Double]] = [
            (0..<n).map(Double.init), (0..<n).reversed().map(Double.init),
            (0..<n).map { Double(min($0, n - $0)) }, [Double](repeating: 4, count: n),
        ]
        for values in inputs {
            // when
            let picked = OrderStatistics.select(values, positions: [0, 1999, 1999, 5000, n - 1])
            // then
            let sorted = values.sorted()
            #expect(picked == [sorted[0], sorted[1999], sorted[1999], sorted[5000], sorted[n - 1]])
            #expect(RFM.quantileScores(values) == RFM.quantileScoresBySorting(values))
        }
    }

    @Test func scoreMatchesThePreviousColumnsOnCDNOW() throws {
        // given
        let table = try Fixtures.cdnowTransactions()
        let activity = CustomerActivity.build(from: table)
        let asOf = (table.lastDay ?? 0) + 1
        // when
        let rfm = RFM.score(activity, asOf: asOf)
        // then each column equals the sort-based scoring of the same values
        #expect(rfm.r == RFM.quantileScoresBySorting(rfm.recencyDays.map { -Double($0) }))
        #expect(rfm.f == RFM.quantileScoresBySorting(activity.purchaseDays.map(Double.init)))
        #expect(rfm.m == RFM.quantileScoresBySorting(activity.totalAmount))
    }
}
