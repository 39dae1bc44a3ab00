import Foundation
import Testing
@testable import GuanxiAnalytics

@Suite("Association rules")
struct AssociationRulesTests {
    static func baskets() throws -> BasketTable {
        try BasketCSV.read(contentsOf: Fixtures.url("baskets_small.csv"))
    }

    /// mlxtend 0.25.0 `fpgrowth(min_support=0.3)` on baskets_small.csv: 15 itemsets.
    static let mlxtendItemsets: [Set<String>: Double] = [
        ["eggs"]: 0.75, ["kidney beans"]: 0.75, ["milk"]: 0.625, ["onion"]: 0.625,
        ["eggs", "kidney beans"]: 0.625, ["yogurt"]: 0.5, ["kidney beans", "milk"]: 0.5,
        ["eggs", "kidney beans", "onion"]: 0.5, ["eggs", "milk"]: 0.5, ["kidney beans", "onion"]: 0.5,
        ["eggs", "onion"]: 0.5, ["bread"]: 0.375, ["eggs", "kidney beans", "milk"]: 0.375,
        ["onion", "yogurt"]: 0.375, ["kidney beans", "yogurt"]: 0.375,
    ]

    /// mlxtend 0.25.0 `association_rules(metric="confidence", min_threshold=0.6)`: 23 rules
    /// (antecedents, consequents, support, confidence, lift).
    static let mlxtendRules: [(Set<String>, Set<String>, Double, Double, Double)] = [
        (["kidney beans"], ["eggs"], 0.625, 0.8333333333333334, 1.1111111111111112),
        (["eggs"], ["kidney beans"], 0.625, 0.8333333333333334, 1.1111111111111112),
        (["kidney beans"], ["milk"], 0.5, 0.6666666666666666, 1.0666666666666667),
        (["milk"], ["kidney beans"], 0.5, 0.8, 1.0666666666666667),
        (["milk"], ["eggs"], 0.5, 0.8, 1.0666666666666667),
        (["eggs"], ["milk"], 0.5, 0.6666666666666666, 1.0666666666666667),
        (["kidney beans", "milk"], ["eggs"], 0.375, 0.75, 1.0),
        (["eggs", "kidney beans"], ["milk"], 0.375, 0.6, 0.96),
        (["eggs", "milk"], ["kidney beans"], 0.375, 0.75, 1.0),
        (["milk"], ["eggs", "kidney beans"], 0.375, 0.6, 0.96),
        (["kidney beans"], ["onion"], 0.5, 0.6666666666666666, 1.0666666666666667),
        (["onion"], ["kidney beans"], 0.5, 0.8, 1.0666666666666667),
        (["onion"], ["eggs"], 0.5, 0.8, 1.0666666666666667),
        (["eggs"], ["onion"], 0.5, 0.6666666666666666, 1.0666666666666667),
        (["kidney beans", "onion"], ["eggs"], 0.5, 1.0, 1.3333333333333333),
        (["eggs", "kidney beans"], ["onion"], 0.5, 0.8, 1.28),
        (["eggs", "onion"], ["kidney beans"], 0.5, 1.0, 1.3333333333333333),
        (["kidney beans"], ["eggs", "onion"], 0.5, 0.6666666666666666, 1.3333333333333333),
        (["onion"], ["eggs", "kidney beans"], 0.5, 0.8, 1.28),
        (["eggs"], ["kidney beans", "onion"], 0.5, 0.6666666666666666, 1.3333333333333333),
        (["yogurt"], ["onion"], 0.375, 0.75, 1.2),
        (["onion"], ["yogurt"], 0.375, 0.6, 1.2),
        (["yogurt"], ["kidney beans"], 0.375, 0.75, 1.0),
    ]

    @Test func frequentItemsetsMatchMlxtend() throws {
        // given
        let table = try Self.baskets()
        // when
        let result = FrequentItemsets.mine(table, minSupport: 0.3)
        let mined = Dictionary(uniqueKeysWithValues: result.itemsets.map {
            (Set($0.items.map { table.items[Int($0)] }), result.support($0.count))
        })
        // then
        #expect(mined.count == Self.mlxtendItemsets.count)
        for (set, support) in Self.mlxtendItemsets { #expect(mined[set].map { abs($0 - support) < 1e-12 } == true) }
    }

    @Test func rulesMatchMlxtendMetrics() throws {
        // given
        let table = try Self.baskets()
        // when
        let rules = AssociationRules.generate(FrequentItemsets.mine(table, minSupport: 0.3), minConfidence: 0.6)
        // then
        #expect(rules.count == Self.mlxtendRules.count)
        for (a, c, support, confidence, lift) in Self.mlxtendRules {
            let match = rules.first {
                Set($0.antecedents.map { table.items[Int($0)] }) == a && Set($0.consequents.map { table.items[Int($0)] }) == c
            }
            #expect(match != nil, "missing rule \(a) → \(c)")
            if let match {
                #expect(abs(match.support - support) < 1e-12)
                #expect(abs(match.confidence - confidence) < 1e-12)
                #expect(abs(match.lift - lift) < 1e-12)
            }
        }
    }

    @Test func confidenceIsJointSupportOverAntecedentSupport() throws {
        // given
        let table = try Self.baskets()
        let n = Double(table.baskets.count)
        // when
        let rules = AssociationRules.generate(FrequentItemsets.mine(table, minSupport: 0.2), minConfidence: 0)
        // then: recount supports by brute force
        func support(_ items: [Int32]) -> Double {
            Double(table.baskets.filter { b in items.allSatisfy(b.contains) }.count) / n
        }
        #expect(!rules.isEmpty)
        for r in rules {
            #expect(abs(r.confidence - support(r.antecedents + r.consequents) / support(r.antecedents)) < 1e-12)
            #expect(abs(r.lift - r.confidence / support(r.consequents)) < 1e-12)
        }
    }

    @Test func crossSellRecommendsOnlyItemsNotYetBought() throws {
        // given a customer who bought kidney beans and onion
        let table = try Self.baskets()
        let rules = AssociationRules.generate(FrequentItemsets.mine(table, minSupport: 0.3), minConfidence: 0.6)
        let index = { (name: String) in Int32(table.items.firstIndex(of: name)!) }
        let owned: Set<Int32> = [index("kidney beans"), index("onion")]
        // when
        let recommendations = CrossSell.recommend(owned: owned, rules: rules)
        // then eggs comes first (confidence 1.0) and nothing owned is recommended
        #expect(recommendations.first?.item == index("eggs"))
        #expect(recommendations.first?.confidence == 1.0)
        #expect(recommendations.allSatisfy { !owned.contains($0.item) })
    }

    @Test func itemSimilarityRanksCoPurchasedItemsFirst() throws {
        // given
        let table = try Self.baskets()
        let eggs = Int32(table.items.firstIndex(of: "eggs")!)
        // when
        let similar = CrossSell.similarItems(to: eggs, in: table, measure: .cosine, limit: 3)
        // then kidney beans co-occurs with eggs in 5 of 6 baskets: cosine 5/√(6·6)
        #expect(table.items[Int(similar[0].item)] == "kidney beans")
        #expect(abs(similar[0].similarity - 5.0 / 6.0) < 1e-12)
    }
}
