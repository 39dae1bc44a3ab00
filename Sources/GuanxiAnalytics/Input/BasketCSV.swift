import Foundation

/// Market baskets: each basket is a set of item indices into ``items``.
package struct BasketTable: Sendable {
    /// Basket identifiers, in order of first appearance.
    package var basketIDs: [String]
    /// Item names, in order of first appearance.
    package var items: [String]
    /// For each basket, its distinct item indices in ascending order.
    package var baskets: [[Int32]]

    /// Creates a table from baskets given as lists of item names (duplicates collapse).
    package init(baskets named: [[String]]) {
        var items: [String] = []
        var lookup: [String: Int32] = [:]
        var baskets: [[Int32]] = []
        for basket in named {
            var set = Set<Int32>()
            for name in basket {
                let index: Int32
                if let known = lookup[name] {
                    index = known
                } else {
                    index = Int32(items.count)
                    lookup[name] = index
                    items.append(name)
                }
                set.insert(index)
            }
            baskets.append(set.sorted())
        }
        self.basketIDs = (0..<named.count).map(String.init)
        self.items = items
        self.baskets = baskets
    }

    /// Creates a table from its parts.
    package init(basketIDs: [String], items: [String], baskets: [[Int32]]) {
        self.basketIDs = basketIDs
        self.items = items
        self.baskets = baskets
    }
}

/// Reads baskets from CSV with a header naming `basket_id` and `item`, one row per item.
/// Rows of one basket need not be adjacent; a repeated item in a basket counts once.
package enum BasketCSV {
    /// Parses a CSV file.
    package static func read(contentsOf url: URL) throws -> BasketTable {
        try parse(Data(contentsOf: url, options: .alwaysMapped))
    }

    /// Parses CSV text.
    package static func parse(_ text: String) throws -> BasketTable {
        try parse(Data(text.utf8))
    }

    /// Parses CSV bytes; errors carry the 1-based line number.
    package static func parse(_ data: Data) throws -> BasketTable {
        try data.withUnsafeBytes { raw -> BasketTable in
            let bytes = raw.bindMemory(to: UInt8.self)
            let n = bytes.count
            var pos = 0
            var line = 0
            var columns: [String] = []
            while pos < n {
                var end = pos
                while end < n, bytes[end] != 0x0A { end += 1 }
                line += 1
                let (a, b) = ByteParsing.trim(bytes, pos, end)
                pos = end + 1
                if a < b { columns = ByteParsing.headerColumns(bytes, a, b); break }
            }
            guard let basketColumn = columns.firstIndex(of: "basket_id"),
                  let itemColumn = columns.firstIndex(of: "item")
            else {
                throw AnalyticsInputError(line: max(line, 1), message: "header must name basket_id and item")
            }
            var basketInterner = ByteStringInterner()
            var itemInterner = ByteStringInterner()
            var basketOf: [Int32] = []
            var itemOf: [Int32] = []
            var starts = [Int](repeating: 0, count: columns.count)
            var ends = [Int](repeating: 0, count: columns.count)
            while pos < n {
                line += 1
                var end = pos
                var f = 0
                starts[0] = pos
                while end < n, bytes[end] != 0x0A {
                    if bytes[end] == 0x2C {
                        if f < columns.count { ends[f] = end }
                        f += 1
                        if f < columns.count { starts[f] = end + 1 }
                    }
                    end += 1
                }
                if f < columns.count { ends[f] = end }
                f += 1
                let lineStart = pos
                pos = end + 1
                if f == 1 {
                    let (a, b) = ByteParsing.trim(bytes, lineStart, end)
                    if a == b { continue }
                }
                guard f == columns.count else {
                    throw AnalyticsInputError(line: line, message: "expected \(columns.count) fields, found \(f)")
                }
                let (ba, bb) = ByteParsing.trim(bytes, starts[basketColumn], ends[basketColumn])
                let (ia, ib) = ByteParsing.trim(bytes, starts[itemColumn], ends[itemColumn])
                guard ba < bb else { throw AnalyticsInputError(line: line, message: "empty basket_id") }
                guard ia < ib else { throw AnalyticsInputError(line: line, message: "empty item") }
                basketOf.append(basketInterner.intern(bytes, ba, bb))
                itemOf.append(itemInterner.intern(bytes, ia, ib))
            }
            var baskets = [[Int32]](repeating: [], count: basketInterner.count)
            for (b, i) in zip(basketOf, itemOf) { baskets[Int(b)].append(i) }
            for k in baskets.indices {
                baskets[k].sort()
                var out: [Int32] = []
                out.reserveCapacity(baskets[k].count)
                for v in baskets[k] where out.last != v { out.append(v) }
                baskets[k] = out
            }
            return BasketTable(
                basketIDs: basketInterner.strings(bytes), items: itemInterner.strings(bytes), baskets: baskets)
        }
    }
}
