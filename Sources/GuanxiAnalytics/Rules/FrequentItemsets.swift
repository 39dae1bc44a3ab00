import Foundation

/// Frequent itemset mining by Eclat (Zaki 2000): depth-first prefix extension over vertical
/// transaction bitsets. It finds exactly the itemsets Apriori or FP-growth find (every itemset whose
/// support, the share of baskets containing it, is at least the minimum support), usually faster for
/// the dense, modest-sized item catalogues of a CRM.
package enum FrequentItemsets {
    /// A frequent itemset.
    package struct Itemset: Sendable, Hashable {
        /// Item indices, ascending.
        package var items: [Int32]
        /// Number of baskets containing all the items.
        package var count: Int
    }

    /// The result of a mining run.
    package struct Result: Sendable {
        /// All frequent itemsets (order: depth-first discovery; sort if you need an order).
        package var itemsets: [Itemset]
        /// Number of baskets.
        package var basketCount: Int

        /// Support (share of baskets) of an itemset count.
        package func support(_ count: Int) -> Double { Double(count) / Double(basketCount) }
    }

    /// Mines all itemsets with `support ≥ minSupport` (compared as `count / baskets ≥ minSupport`,
    /// as mlxtend does), optionally up to `maxLength` items.
    package static func mine(_ table: BasketTable, minSupport: Double, maxLength: Int? = nil) -> Result {
        let n = table.baskets.count
        guard n > 0 else { return Result(itemsets: [], basketCount: 0) }
        let words = (n + 63) / 64
        var counts = [Int](repeating: 0, count: table.items.count)
        for basket in table.baskets { for item in basket { counts[Int(item)] += 1 } }
        let frequent = (0..<table.items.count).filter { Double(counts[$0]) / Double(n) >= minSupport }
        // Vertical bitsets of the frequent items, ordered by ascending support (smaller tidsets first).
        let ordered = frequent.sorted { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
        var position = [Int](repeating: -1, count: table.items.count)
        for (p, item) in ordered.enumerated() { position[item] = p }
        var bits = [UInt64](repeating: 0, count: ordered.count * words)
        for (b, basket) in table.baskets.enumerated() {
            for item in basket where position[Int(item)] >= 0 {
                bits[position[Int(item)] * words + b >> 6] |= 1 << UInt64(b & 63)
            }
        }
        let minCount = minCountFor(minSupport, n)
        let limit = maxLength ?? Int.max
        var out: [Itemset] = []
        // Depth-first search from each single item, in parallel over first items.
        let firsts = Array(0..<ordered.count)
        let perFirst: [[Itemset]] = Parallel.map(count: firsts.count, minimumPerChunk: 1) { lo, hi in
            var local: [Itemset] = []
            for p in lo..<hi {
                let tids = Array(bits[(p * words)..<((p + 1) * words)])
                local.append(Itemset(items: [Int32(ordered[p])], count: counts[ordered[p]]))
                if limit >= 2 {
                    extend(prefix: [Int32(ordered[p])], tids: tids, from: p + 1, ordered: ordered, bits: bits, words: words,
                           minCount: minCount, limit: limit, out: &local)
                }
            }
            return local
        }
        for part in perFirst { out.append(contentsOf: part) }
        for i in out.indices { out[i].items.sort() }
        return Result(itemsets: out, basketCount: n)
    }

    /// Smallest count whose support passes the threshold under floating-point comparison.
    static func minCountFor(_ minSupport: Double, _ n: Int) -> Int {
        var c = max(0, Int((minSupport * Double(n)).rounded(.down)) - 1)
        while Double(c) / Double(n) < minSupport { c += 1 }
        return c
    }

    private static func extend(
        prefix: [Int32], tids: [UInt64], from start: Int, ordered: [Int], bits: [UInt64], words: Int,
        minCount: Int, limit: Int, out: inout [Itemset]
    ) {
        guard start < ordered.count else { return }
        var children: [(Int, [UInt64], Int)] = []
        for q in start..<ordered.count {
            var count = 0
            var next = [UInt64](repeating: 0, count: words)
            tids.withUnsafeBufferPointer { t in
                bits.withUnsafeBufferPointer { b in
                    next.withUnsafeMutableBufferPointer { nx in
                        let base = q * words
                        for w in 0..<words {
                            let v = t[w] & b[base + w]
                            nx[w] = v
                            count += v.nonzeroBitCount
                        }
                    }
                }
            }
            if count >= minCount { children.append((q, next, count)) }
        }
        for (q, childTids, count) in children {
            let items = prefix + [Int32(ordered[q])]
            out.append(Itemset(items: items, count: count))
            if items.count < limit {
                extend(prefix: items, tids: childTids, from: q + 1, ordered: ordered, bits: bits, words: words,
                       minCount: minCount, limit: limit, out: &out)
            }
        }
    }
}
