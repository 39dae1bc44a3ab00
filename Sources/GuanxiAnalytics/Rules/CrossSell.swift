import Foundation

/// Recommendations from purchase histories: "bought A, not yet B" cross-sell and item-to-item
/// co-occurrence similarity.
package enum CrossSell {
    /// A recommended item for a customer.
    package struct Recommendation: Sendable, Equatable {
        /// The recommended item index.
        package var item: Int32
        /// Confidence of the best rule that recommends it.
        package var confidence: Double
        /// Lift of that rule.
        package var lift: Double
        /// That rule's antecedent (items the customer already bought).
        package var because: [Int32]
    }

    /// Items the customer has not bought yet, recommended by rules whose antecedent the customer has
    /// fully bought; each item is scored by its best rule (confidence, then lift), best first.
    package static func recommend(owned: Set<Int32>, rules: [AssociationRules.Rule], limit: Int = 5) -> [Recommendation] {
        var best: [Int32: Recommendation] = [:]
        for rule in rules where rule.antecedents.allSatisfy(owned.contains) {
            for item in rule.consequents where !owned.contains(item) {
                let candidate = Recommendation(item: item, confidence: rule.confidence, lift: rule.lift, because: rule.antecedents)
                if let current = best[item],
                   current.confidence > candidate.confidence
                    || (current.confidence == candidate.confidence && current.lift >= candidate.lift) {
                    continue
                }
                best[item] = candidate
            }
        }
        return best.values.sorted {
            $0.confidence != $1.confidence ? $0.confidence > $1.confidence
                : ($0.lift != $1.lift ? $0.lift > $1.lift : $0.item < $1.item)
        }.prefix(limit).map { $0 }
    }

    /// Similarity measure between two items' basket sets.
    package enum Similarity: Sendable {
        /// |A∩B| / √(|A|·|B|).
        case cosine
        /// |A∩B| / |A∪B|.
        case jaccard
    }

    /// Items most similar to `item` by co-occurrence in baskets, best first (ties by index).
    package static func similarItems(to item: Int32, in table: BasketTable, measure: Similarity = .cosine, limit: Int = 10)
        -> [(item: Int32, similarity: Double)] {
        var counts = [Int](repeating: 0, count: table.items.count)
        var co = [Int](repeating: 0, count: table.items.count)
        for basket in table.baskets {
            let has = basket.contains(item)
            for i in basket {
                counts[Int(i)] += 1
                if has { co[Int(i)] += 1 }
            }
        }
        let own = Double(counts[Int(item)])
        var result: [(item: Int32, similarity: Double)] = []
        for j in 0..<table.items.count where j != Int(item) && co[j] > 0 {
            let c = Double(co[j])
            let s = measure == .cosine ? c / (own * Double(counts[j])).squareRoot() : c / (own + Double(counts[j]) - c)
            result.append((Int32(j), s))
        }
        result.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.item < $1.item }
        return Array(result.prefix(limit))
    }
}
