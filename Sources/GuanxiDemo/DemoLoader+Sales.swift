import Foundation
import SQLKit
import GuanxiCore
import GuanxiStore

extension DemoLoader {
    /// The demo catalogue, a year of orders for the loaded customers (placed through the same
    /// batched path shops use), and the recent ones walked along: paid, shipped, delivered, confirmed.
    package func loadSales(_ scope: Scope, seed: UInt64, now: Date = Date(), maxCustomers: Int = 20_000) async throws -> (products: Int, orders: Int) {
        let list = try await products.priceLists(scope)[0]
        var ids: [String] = []
        for p in DemoSales.catalogue {
            var d = ProductDraft()
            d.sku = p.sku; d.name = p.name; d.unit = p.unit; d.taxRate = Percent(basisPoints: p.taxBP)
            d.prices = [.init(priceListID: list.id, unitPrice: p.price)]
            ids.append(try await products.save(scope, id: nil, d).id)
        }
        let customers = try await db.read { sql in
            try await sql.raw("""
                SELECT id FROM customers WHERE workspace_id = \(bind: scope.workspaceID) AND kind = 'person' AND deleted_at IS NULL ORDER BY seq LIMIT \(literal: maxCustomers)
                """).all().map { try $0.decode(column: "id", as: String.self) }
        }
        let drafts = DemoSales.orders(customers: customers, products: ids, seed: seed, now: now)
        var placed: [Order] = []
        for chunk in stride(from: 0, to: drafts.count, by: 500).map({ Array(drafts[$0..<min($0 + 500, drafts.count)]) }) {
            for r in try await orders.place(scope, chunk) { if case .created(let o) = r { placed.append(o) } }
        }
        // the latest orders (at most 1,500: each step is its own audited transaction) are walked along:
        // those older than three weeks are done with, the recent ones stand at every step of the way
        let cutoff = now.addingTimeInterval(-21 * 86_400)
        for (i, o) in placed.enumerated().suffix(1_500) where o.placedAt < cutoff || i % 3 == 0 {
            let steps = o.placedAt < cutoff ? 4 : i % 4
            if steps >= 1 { _ = try await orders.pay(scope, id: o.id, PaymentDraft(amount: o.totals.total, method: "微信支付", paidAt: o.placedAt)) }
            if steps >= 2 { _ = try await orders.ship(scope, id: o.id, ShipmentDraft(carrier: "顺丰速运", trackingNumber: "SF" + String(100_000_000 + i))) }
            if steps >= 3 { _ = try await orders.deliver(scope, id: o.id) }
            if steps >= 4 { _ = try await orders.confirm(scope, id: o.id) }
        }
        return (ids.count, placed.count)
    }
}
