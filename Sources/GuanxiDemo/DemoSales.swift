import Foundation
import GuanxiCore

/// The demo's catalogue and a year of orders over it, reproducible from the seed: what a small tea
/// and tea-ware seller's CRM looks like, so the order, report and analytics pages have something
/// to show.
package enum DemoSales {
    /// SKU, name, unit, tax rate (basis points), list price (fen).
    package static let catalogue: [(sku: String, name: String, unit: String, taxBP: Int, price: Int64)] = [
        ("LJ-250", "西湖龙井 250g", "罐", 900, 58_800), ("LJ-500", "西湖龙井 500g 礼盒", "盒", 900, 109_800),
        ("PE-357", "云南普洱 357g 饼", "饼", 900, 26_800), ("TGY-250", "安溪铁观音 250g", "罐", 900, 32_800),
        ("DHP-200", "武夷大红袍 200g", "盒", 900, 45_800), ("BC-100", "白毫银针 100g", "罐", 900, 39_800),
        ("HC-300", "祁门红茶 300g", "罐", 900, 21_800), ("TS-01", "青瓷茶具套装", "套", 1300, 69_900),
        ("TS-02", "紫砂壶 宜兴原矿", "把", 1300, 128_000), ("CUP-6", "玻璃品茗杯（6 只）", "组", 1300, 8_900),
        ("GIFT-1", "节日茶礼组合", "份", 900, 39_900), ("SHIP", "顺丰运费", "次", 600, 1_800),
    ]

    /// Orders for `customers` (ids) over the last year before `now`: about one in two customers
    /// buys, the best ones often (a long tail, as in real shops), one to three lines each.
    package static func orders(customers: [String], products: [String], seed: UInt64, now: Date) -> [OrderDraft] {
        var rng = DemoRNG(seed: DemoRNG.mix(seed ^ 0x5A1E5))
        var out: [OrderDraft] = []
        for (n, c) in customers.enumerated() where rng.percent(50) {
            // a few customers buy a lot (80/20), most once or twice
            let count = rng.percent(10) ? rng.inRange(4...12) : rng.inRange(1...2)
            for k in 0..<count {
                var d = OrderDraft()
                d.customerID = c
                d.source = "demo"
                d.externalID = "D\(n)-\(k)"
                d.placedAt = now.addingTimeInterval(-Double(rng.inRange(1...365)) * 86_400 - Double(rng.below(86_400)))
                d.lines = (0..<rng.inRange(1...3)).map { _ in
                    let p = rng.below(products.count - 1)   // the last product is shipping
                    return LineDraft(productID: products[p], quantity: rng.inRange(1...4),
                                     discount: rng.percent(20) ? Percent(basisPoints: rng.pick([500, 1000, 1500])) : nil)
                }
                out.append(d)
            }
        }
        return out.sorted { ($0.placedAt ?? now) < ($1.placedAt ?? now) }
    }
}
