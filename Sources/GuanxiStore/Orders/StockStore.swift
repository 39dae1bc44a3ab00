import Foundation
import SQLKit
import GuanxiCore

/// What became of one reported stock level.
package struct StockResult: Encodable, Sendable {
    package var index: Int
    /// `updated`, `unchanged` (the same report again), `stale` (older than the stored level) or `failed`.
    package var result: String
    package var productID: String?
    package var sku: String?
    package var warehouse: String?
    package var fields: [String: DomainMessage]?
    enum CodingKeys: String, CodingKey { case index, result, sku, warehouse, fields, productID = "product_id" }
}

/// A product's stock: per warehouse as last reported, and available over all of them.
package struct ProductStock: Encodable, Sendable {
    package var productID: String
    package var sku: String
    package var name: String
    package var availability: Availability?
    package var levels: [StockLevel]
    enum CodingKeys: String, CodingKey { case sku, name, levels, productID = "product_id" }
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(productID, forKey: .productID); try c.encode(sku, forKey: .sku); try c.encode(name, forKey: .name)
        try c.encode(levels, forKey: .levels)
        try availability?.encode(to: encoder)   // on_hand, reserved, open_orders, available beside the levels
    }
}

/// Stock levels per product and warehouse, as an ERP reports them, and what is available to sell.
/// Levels are the workspace's (not anyone's records): reading them takes `orders.read`, reporting
/// them `settings.update`, as the product catalogue does.
package struct StockStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    /// Stores up to 1,000 levels in one transaction, each answered in its place. Products are named
    /// by `product_id` or `sku`; a warehouse is known from its first level. A level older than the
    /// stored one is ignored (`stale`), also when two reports race.
    package func put(_ scope: Scope, _ updates: [StockUpdate]) async throws -> [StockResult] {
        try scope.require(.settings, .update)
        guard !updates.isEmpty, updates.count <= Stock.maxBatch else { throw DomainError.field("items", "give 1 to \(Stock.maxBatch) stock levels") }
        var checked = updates.indices.map { StockResult(index: $0, result: "failed", productID: updates[$0].productID?.lowercased(), sku: updates[$0].sku,
                                                        warehouse: updates[$0].warehouse) }
        var levels: [Int: StockLevel] = [:]
        for (i, u) in updates.enumerated() {
            var e = FieldErrors()
            if let l = Stock.check(u, i, into: &e) { levels[i] = l } else { checked[i].fields = e.messages }
        }
        let now = clock.now()
        return try await db.write(scope, at: now) { [checked, levels] tx in
            var results = checked
            let (sql, w) = (tx.sql, scope.workspaceID)
            // the products named, by id and by SKU
            let ids = Set(levels.keys.compactMap { updates[$0].productID?.lowercased() }), skus = Set(levels.keys.compactMap { updates[$0].sku })
            var byID: [String: String] = [:], bySKU: [String: (String, String)] = [:]
            if !ids.isEmpty {
                for r in try await sql.raw("SELECT id, sku FROM products WHERE workspace_id = \(bind: w) AND id IN (\(binds: ids.sorted()))").all() {
                    byID[try r.decode(column: "id", as: String.self)] = try r.decode(column: "sku", as: String.self)
                }
            }
            if !skus.isEmpty {
                for r in try await sql.raw("SELECT id, sku FROM products WHERE workspace_id = \(bind: w) AND sku IN (\(binds: skus.sorted()))").all() {
                    let sku = try r.decode(column: "sku", as: String.self)
                    bySKU[sku] = (try r.decode(column: "id", as: String.self), sku)
                }
            }
            var stored: [String: StockLevel] = [:]   // product \0 warehouse
            let products = Set(byID.keys).union(bySKU.values.map(\.0)).sorted()
            if !products.isEmpty {
                for r in try await sql.raw("""
                    SELECT product_id, warehouse, on_hand, reserved, as_of FROM stock_levels WHERE workspace_id = \(bind: w) AND product_id IN (\(binds: products))
                    """).all() {
                    let l = StockLevel(warehouse: try r.decode(column: "warehouse", as: String.self), onHand: try r.decode(column: "on_hand", as: Int64.self),
                                       reserved: try r.decode(column: "reserved", as: Int64.self), asOf: Date(millis: try r.decode(column: "as_of", as: Int64.self)))
                    stored[(try r.decode(column: "product_id", as: String.self)) + "\u{0}" + l.warehouse] = l
                }
            }
            var changed: [[String: JSONValue]] = []
            for i in levels.keys.sorted() {
                let u = updates[i], level = levels[i]!
                let found: (String, String)? = if let id = u.productID?.lowercased() { byID[id].map { (id, $0) } } else { u.sku.flatMap { bySKU[$0] } }
                guard let (productID, sku) = found else {
                    results[i].fields = [u.productID != nil ? "items[\(i)].product_id" : "items[\(i)].sku": "no such product"]
                    continue
                }
                results[i].productID = productID; results[i].sku = sku; results[i].warehouse = level.warehouse
                let key = productID + "\u{0}" + level.warehouse
                let outcome = Stock.outcome(stored: stored[key], incoming: level)
                results[i].result = outcome.rawValue
                guard outcome == .updated else { continue }
                try await sql.raw("""
                    INSERT INTO stock_levels (workspace_id, product_id, warehouse, on_hand, reserved, as_of, updated_at)
                    VALUES (\(bind: w), \(bind: productID), \(bind: level.warehouse), \(bind: level.onHand), \(bind: level.reserved), \(bind: level.asOf.millis), \(bind: now.millis))
                    ON CONFLICT (workspace_id, product_id, warehouse) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved,
                      as_of = excluded.as_of, updated_at = excluded.updated_at WHERE stock_levels.as_of <= excluded.as_of
                    """).run()
                stored[key] = level
                changed.append(["product_id": .string(productID), "sku": .string(sku), "warehouse": .string(level.warehouse),
                                "on_hand": .number(Double(level.onHand)), "reserved": .number(Double(level.reserved))])
            }
            if !changed.isEmpty {
                try await tx.audit("update", "stock", nil, detail: .object(["levels": .number(Double(changed.count)),
                                                                           "items": .array(Array(changed.prefix(50)).map { .object($0) })]))
            }
            return results
        }
    }

    /// A product's levels and what is available, named by id or SKU.
    package func get(_ scope: Scope, productID: String?, sku: String?) async throws -> ProductStock {
        try scope.require(.orders, .read)
        return try await db.read { sql in
            var q = SQLQueryString("SELECT id, sku, name FROM products WHERE workspace_id = \(bind: scope.workspaceID)")
            if let p = productID { guard ID.isValid(p) else { throw DomainError.notFound("product") }; q += " AND id = \(bind: p.lowercased())" }
            else if let s = sku { q += " AND sku = \(bind: s)" } else { throw DomainError.field("product_id", "give product_id or sku") }
            guard let r = try await sql.raw(q).first() else { throw DomainError.notFound("product") }
            let id = try r.decode(column: "id", as: String.self)
            let levels = try await sql.raw("""
                SELECT warehouse, on_hand, reserved, as_of FROM stock_levels WHERE workspace_id = \(bind: scope.workspaceID) AND product_id = \(bind: id) ORDER BY warehouse
                """).all().map { r in
                StockLevel(warehouse: try r.decode(column: "warehouse", as: String.self), onHand: try r.decode(column: "on_hand", as: Int64.self),
                           reserved: try r.decode(column: "reserved", as: Int64.self), asOf: Date(millis: try r.decode(column: "as_of", as: Int64.self)))
            }
            return ProductStock(productID: id, sku: try r.decode(column: "sku", as: String.self), name: try r.decode(column: "name", as: String.self),
                                availability: try await Self.availability(scope.workspaceID, productIDs: [id], sql: sql)[id], levels: levels)
        }
    }

    /// Available per product over every warehouse (products with no reported level are left out:
    /// their stock is unknown). Nil `productIDs`: every product of the workspace.
    package func availability(_ scope: Scope, productIDs: [String]? = nil, excludingOrder: String? = nil) async throws -> [String: Availability] {
        try scope.require(.orders, .read)
        return try await db.read { sql in try await Self.availability(scope.workspaceID, productIDs: productIDs, excludingOrder: excludingOrder, sql: sql) }
    }

    static func availability(_ workspaceID: String, productIDs: [String]?, excludingOrder: String? = nil, sql: any SQLDatabase) async throws -> [String: Availability] {
        if let p = productIDs, p.isEmpty { return [:] }
        var q = SQLQueryString("""
            SELECT product_id, CAST(SUM(on_hand) AS BIGINT) AS on_hand, CAST(SUM(reserved) AS BIGINT) AS reserved FROM stock_levels
            WHERE workspace_id = \(bind: workspaceID)
            """)
        if let p = productIDs { q += " AND product_id IN (\(binds: p))" }
        var stock: [String: (Int64, Int64)] = [:]
        for r in try await sql.raw(q + " GROUP BY product_id").all() {
            stock[try r.decode(column: "product_id", as: String.self)] = (try r.decode(column: "on_hand", as: Int64.self), try r.decode(column: "reserved", as: Int64.self))
        }
        guard !stock.isEmpty else { return [:] }
        // what open orders (placed, paid, partly shipped) still wait for
        let open = [OrderStatus.placed, .paid, .partiallyShipped].map(\.rawValue)
        var o = SQLQueryString("""
            SELECT l.product_id, CAST(SUM(l.quantity - l.shipped) AS BIGINT) AS q FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE l.workspace_id = \(bind: workspaceID) AND o.workspace_id = \(bind: workspaceID) AND o.status IN (\(binds: open))
              AND l.product_id IN (\(binds: stock.keys.sorted()))
            """)
        if let x = excludingOrder { o += " AND o.id <> \(bind: x)" }
        var waiting: [String: Int64] = [:]
        for r in try await sql.raw(o + " GROUP BY l.product_id").all() {
            waiting[try r.decode(column: "product_id", as: String.self)] = try r.decode(column: "q", as: Int64.self)
        }
        return Dictionary(uniqueKeysWithValues: stock.map { p, s in (p, Availability(onHand: s.0, reserved: s.1, openOrders: waiting[p] ?? 0)) })
    }

    /// The order's lines that ask for more than was available besides it (a warning: it is placed).
    package func warnings(_ scope: Scope, for order: Order) async throws -> [StockWarning] {
        guard !order.status.isClosed, order.lines.contains(where: { $0.item.productID != nil && $0.shipped < $0.item.quantity }) else { return [] }
        let ids = Set(order.lines.compactMap(\.item.productID)).sorted()
        let a = try await availability(scope, productIDs: ids, excludingOrder: order.id)
        return Stock.oversold(order.lines.map(\.item), available: a.mapValues(\.available))
    }
}
