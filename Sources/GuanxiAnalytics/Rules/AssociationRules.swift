import Foundation

/// Association rules A → C from frequent itemsets, with the metrics of mlxtend's `association_rules`.
package enum AssociationRules {
    /// A rule.
    package struct Rule: Sendable, Hashable {
        /// Antecedent item indices, ascending.
        package var antecedents: [Int32]
        /// Consequent item indices, ascending.
        package var consequents: [Int32]
        /// Support of A ∪ C.
        package var support: Double
        /// support(A ∪ C) / support(A).
        package var confidence: Double
        /// confidence / support(C).
        package var lift: Double
        /// support(A).
        package var antecedentSupport: Double
        /// support(C).
        package var consequentSupport: Double
    }

    /// All rules whose confidence is at least `minConfidence`, from every frequent itemset of two or
    /// more items and every non-empty proper subset as antecedent. Sorted by descending confidence,
    /// then lift, then support, then items (deterministic).
    package static func generate(_ itemsets: FrequentItemsets.Result, minConfidence: Double = 0) -> [Rule] {
        var countOf: [[Int32]: Int] = [:]
        countOf.reserveCapacity(itemsets.itemsets.count)
        for s in itemsets.itemsets { countOf[s.items] = s.count }
        let n = Double(itemsets.basketCount)
        var rules: [Rule] = []
        for set in itemsets.itemsets where set.items.count >= 2 {
            let m = set.items.count
            let supportAC = Double(set.count) / n
            for mask in 1..<((1 << m) - 1) {
                var a: [Int32] = [], c: [Int32] = []
                for b in 0..<m { if mask & (1 << b) != 0 { a.append(set.items[b]) } else { c.append(set.items[b]) } }
                guard let ca = countOf[a], let cc = countOf[c] else { continue }
                let supportA = Double(ca) / n
                let supportC = Double(cc) / n
                let confidence = supportAC / supportA
                guard confidence >= minConfidence else { continue }
                rules.append(Rule(
                    antecedents: a, consequents: c, support: supportAC, confidence: confidence,
                    lift: confidence / supportC, antecedentSupport: supportA, consequentSupport: supportC))
            }
        }
        rules.sort { l, r in
            if l.confidence != r.confidence { return l.confidence > r.confidence }
            if l.lift != r.lift { return l.lift > r.lift }
            if l.support != r.support { return l.support > r.support }
            if l.antecedents != r.antecedents { return l.antecedents.lexicographicallyPrecedes(r.antecedents) }
            return l.consequents.lexicographicallyPrecedes(r.consequents)
        }
        return rules
    }
}
