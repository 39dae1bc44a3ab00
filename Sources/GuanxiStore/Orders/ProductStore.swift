import Foundation
import SQLKit
import GuanxiCore

/// The catalogue: products and price lists. Everyone who works with orders reads it; changing it
/// is a settings matter (`settings.update`) and audited.
package struct ProductStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    // MARK: Price lists

    static func decodeList(_ r: any SQLRow) throws -> PriceList {
        PriceList(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                  currency: try r.decode(column: "currency", as: String.self), isDefault: try r.decode(column: "is_default", as: Int.self) != 0,
                  active: try r.decode(column: "active", as: Int.self) != 0, nameKey: try r.decode(column: "name_key", as: String?.self))
    }

    static func priceLists(_ workspaceID: String, sql: any SQLDatabase) async throws -> [PriceList] {
        try await sql.raw("""
            SELECT id, name, name_key, currency, is_default, active FROM price_lists WHERE workspace_id = \(bind: workspaceID) ORDER BY created_at, id
            """).all().map(decodeList)
    }

    /// The workspace's price lists; the first call makes 标准价 (CNY), the default.
    package func priceLists(_ scope: Scope) async throws -> [PriceList] {
        _ = try scope.require(.orders, .read)
        let existing = try await db.read { try await Self.priceLists(scope.workspaceID, sql: $0) }
        if !existing.isEmpty { return existing }
        let now = clock.now()
        return try await db.write { sql in
            if try await Self.priceLists(scope.workspaceID, sql: sql).isEmpty {
                try await sql.raw("""
                    INSERT INTO price_lists (id, workspace_id, name, name_key, currency, is_default, active, created_at)
                    VALUES (\(bind: ID.make(at: now)), \(bind: scope.workspaceID), \(bind: SeededName.text(SeededName.priceList)),
                      \(bind: SeededName.priceList), 'CNY', 1, 1, \(bind: now.millis))
                    """).run()
            }
            return try await Self.priceLists(scope.workspaceID, sql: sql)
        }
    }

    package func savePriceList(_ scope: Scope, id: String?, _ draft: PriceListDraft) async throws -> PriceList {
        _ = try scope.require(.settings, .update)
        try draft.validate(creating: id == nil)
        _ = try await priceLists(scope)
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let lists = try await Self.priceLists(scope.workspaceID, sql: sql)
            var p: PriceList
            if let id {
                guard let found = lists.first(where: { $0.id == id.lowercased() }) else { throw DomainError.notFound("price list") }
                p = found
                if let c = draft.currency.flatMap(Money.currencyCode), c != p.currency {
                    let priced = try await sql.raw("SELECT 1 AS x FROM product_prices WHERE price_list_id = \(bind: p.id) LIMIT 1").first()
                    if priced != nil { throw DomainError.field("currency", "this list already has prices in \(p.currency); make a new list") }
                    p.currency = c
                }
            } else {
                p = PriceList(id: ID.make(at: now), name: "", currency: Money.currencyCode(draft.currency!)!, isDefault: false, active: true)
            }
            if let n = draft.name { p.name = Text.clean(n); p.nameKey = SeededName.key(p.nameKey, after: p.name) }
            if let a = draft.active { p.active = a }
            if draft.isDefault == true { p.isDefault = true }
            if p.isDefault && !p.active { throw DomainError.field("active", "the default price list must stay active") }
            if let other = lists.first(where: { $0.id != p.id && $0.name == p.name }) {
                throw DomainError.duplicate(field: "name", existingID: other.id, message: "another price list has this name")
            }
            if p.isDefault { try await sql.raw("UPDATE price_lists SET is_default = 0 WHERE workspace_id = \(bind: scope.workspaceID)").run() }
            if id == nil {
                try await sql.raw("""
                    INSERT INTO price_lists (id, workspace_id, name, currency, is_default, active, created_at)
                    VALUES (\(bind: p.id), \(bind: scope.workspaceID), \(bind: p.name), \(bind: p.currency), \(bind: p.isDefault ? 1 : 0),
                      \(bind: p.active ? 1 : 0), \(bind: now.millis))
                    """).run()
            } else {
                try await sql.raw("""
                    UPDATE price_lists SET name = \(bind: p.name), name_key = \(bind: p.nameKey), currency = \(bind: p.currency), is_default = \(bind: p.isDefault ? 1 : 0),
                      active = \(bind: p.active ? 1 : 0) WHERE id = \(bind: p.id)
                    """).run()
            }
            try await tx.audit(id == nil ? "create" : "update", "price_lists", p.id, detail: AuditDetail.encoded(p))
            return p
        }
    }

    // MARK: Products

    static let columns = "p.id, p.sku, p.name, p.unit, p.tax_bp, p.active, p.version, p.created_at, p.updated_at"

    static func decode(_ r: any SQLRow, prices: [ProductPrice]) throws -> Product {
        Product(id: try r.decode(column: "id", as: String.self), sku: try r.decode(column: "sku", as: String.self),
                name: try r.decode(column: "name", as: String.self), unit: try r.decode(column: "unit", as: String?.self),
                taxRate: Percent(basisPoints: try r.decode(column: "tax_bp", as: Int.self)), active: try r.decode(column: "active", as: Int.self) != 0,
                prices: prices, version: try r.decode(column: "version", as: Int.self),
                createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)), updatedAt: Date(millis: try r.decode(column: "updated_at", as: Int64.self)))
    }

    /// Products by id, with their prices.
    static func products(_ workspaceID: String, ids: [String], sql: any SQLDatabase) async throws -> [String: Product] {
        guard !ids.isEmpty else { return [:] }
        let unique = Array(Set(ids))
        var prices: [String: [ProductPrice]] = [:]
        for r in try await sql.raw("""
            SELECT pp.product_id, pp.price_list_id, pp.unit_price, l.currency FROM product_prices pp JOIN price_lists l ON l.id = pp.price_list_id
            WHERE pp.workspace_id = \(bind: workspaceID) AND pp.product_id IN (\(binds: unique))
            """).all() {
            prices[try r.decode(column: "product_id", as: String.self), default: []].append(
                ProductPrice(priceListID: try r.decode(column: "price_list_id", as: String.self),
                             unitPrice: Money(minor: try r.decode(column: "unit_price", as: Int64.self), currency: try r.decode(column: "currency", as: String.self))))
        }
        var out: [String: Product] = [:]
        for r in try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM products p WHERE p.workspace_id = \(bind: workspaceID) AND p.id IN (\(binds: unique))
            """).all() {
            let id = try r.decode(column: "id", as: String.self)
            out[id] = try decode(r, prices: (prices[id] ?? []).sorted { $0.priceListID < $1.priceListID })
        }
        return out
    }

    package func get(_ scope: Scope, id: String) async throws -> Product {
        _ = try scope.require(.orders, .read)
        guard ID.isValid(id), let p = try await db.read({ try await Self.products(scope.workspaceID, ids: [id.lowercased()], sql: $0) })[id.lowercased()] else {
            throw DomainError.notFound("product")
        }
        return p
    }

    /// By SKU, then name; `query` matches SKU prefix or name substring; inactive ones only when asked.
    package func list(_ scope: Scope, query: String? = nil, includeInactive: Bool = false, limit: Int = 200) async throws -> [Product] {
        _ = try scope.require(.orders, .read)
        let limit = min(max(limit, 1), 500)
        return try await db.read { sql in
            var q = SQLQueryString("SELECT p.id FROM products p WHERE p.workspace_id = \(bind: scope.workspaceID)")
            if !includeInactive { q += " AND p.active = 1" }
            if let t = query.map(Text.clean), !t.isEmpty {
                let like = "%" + t.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
                q += " AND (p.sku LIKE \(bind: like) OR p.name LIKE \(bind: like))"
            }
            q += " ORDER BY p.sku LIMIT \(literal: limit)"
            let ids = try await sql.raw(q).all().map { try $0.decode(column: "id", as: String.self) }
            let found = try await Self.products(scope.workspaceID, ids: ids, sql: sql)
            return ids.compactMap { found[$0] }
        }
    }

    /// Adds a product, or changes one (`id`, with `ifVersion` from its ETag).
    package func save(_ scope: Scope, id: String?, _ draft: ProductDraft, ifVersion: Int? = nil) async throws -> Product {
        _ = try scope.require(.settings, .update)
        try draft.validate(creating: id == nil)
        let lists = try await priceLists(scope)
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            var p: Product
            if let id {
                guard ID.isValid(id), let found = try await Self.products(scope.workspaceID, ids: [id.lowercased()], sql: sql)[id.lowercased()] else {
                    throw DomainError.notFound("product")
                }
                if let v = ifVersion, v != found.version { throw DomainError.staleVersion(current: found.version) }
                p = found
            } else {
                p = Product(id: ID.make(at: now), sku: "", name: "", unit: nil, taxRate: Percent(basisPoints: 1300), active: true, prices: [],
                            version: 0, createdAt: now, updatedAt: now)
            }
            let before = p
            if let s = draft.sku { p.sku = Text.clean(s) }
            if let n = draft.name { p.name = Text.clean(n) }
            if let u = draft.unit { p.unit = Text.clean(u).isEmpty ? nil : Text.clean(u) }
            if let t = draft.taxRate { p.taxRate = t }
            if let a = draft.active { p.active = a }
            var prices = Dictionary(uniqueKeysWithValues: p.prices.map { ($0.priceListID, $0) })
            for (i, x) in (draft.prices ?? []).enumerated() {
                guard let list = lists.first(where: { $0.id == x.priceListID.lowercased() }) else {
                    throw DomainError.field("prices[\(i)].price_list_id", "no such price list")
                }
                prices[list.id] = x.unitPrice.map { ProductPrice(priceListID: list.id, unitPrice: Money(minor: $0, currency: list.currency)) }
            }
            p.prices = prices.values.sorted { $0.priceListID < $1.priceListID }
            if p.sku != before.sku, let other = try await sql.raw("""
                SELECT id FROM products WHERE workspace_id = \(bind: scope.workspaceID) AND sku = \(bind: p.sku) AND id <> \(bind: p.id)
                """).first() {
                // a duplicate is 409 with the other record's id, as customers and custom fields answer
                throw DomainError.duplicate(field: "sku", existingID: try other.decode(column: "id", as: String.self), message: "another product has SKU \(p.sku)")
            }
            guard p != before else { return p }
            p.version += 1; p.updatedAt = now
            if id == nil {
                try await sql.raw("""
                    INSERT INTO products (id, workspace_id, sku, name, unit, tax_bp, active, version, created_at, updated_at)
                    VALUES (\(bind: p.id), \(bind: scope.workspaceID), \(bind: p.sku), \(bind: p.name), \(bind: p.unit), \(bind: p.taxRate.basisPoints),
                      \(bind: p.active ? 1 : 0), 1, \(bind: now.millis), \(bind: now.millis))
                    """).run()
            } else {
                try await sql.raw("""
                    UPDATE products SET sku = \(bind: p.sku), name = \(bind: p.name), unit = \(bind: p.unit), tax_bp = \(bind: p.taxRate.basisPoints),
                      active = \(bind: p.active ? 1 : 0), version = \(bind: p.version), updated_at = \(bind: now.millis) WHERE id = \(bind: p.id)
                    """).run()
            }
            if p.prices != before.prices {
                try await sql.raw("DELETE FROM product_prices WHERE product_id = \(bind: p.id)").run()
                for x in p.prices {
                    try await sql.raw("""
                        INSERT INTO product_prices (workspace_id, price_list_id, product_id, unit_price)
                        VALUES (\(bind: scope.workspaceID), \(bind: x.priceListID), \(bind: p.id), \(bind: x.unitPrice.minor))
                        """).run()
                }
            }
            try await tx.audit(id == nil ? "create" : "update", "products", p.id, detail: AuditDetail.encoded(p))
            return p
        }
    }

    // MARK: Pricing documents

    /// Price lists and the products a set of documents names, read once for all of them.
    static func catalog(_ workspaceID: String, drafts: [[LineDraft]], sql: any SQLDatabase) async throws -> Catalog {
        let ids = drafts.flatMap { $0.compactMap { $0.productID.flatMap { ID.isValid($0) ? $0.lowercased() : nil } } }
        return Catalog(lists: try await priceLists(workspaceID, sql: sql), products: try await products(workspaceID, ids: ids, sql: sql))
    }
}

/// What pricing a document needs: the price lists and the products its lines name.
struct Catalog: Sendable {
    var lists: [PriceList]
    var products: [String: Product]

    /// Resolves a document's lines: prices from the chosen list (or the default list of the
    /// document's currency) unless given. Every line's problems are reported together.
    func lines(_ drafts: [LineDraft], priceListID: String?, currency: String?, allowUnpriced: Bool,
               now: Date) throws(DomainError) -> (lines: [LineItem], currency: String, priceListID: String?) {
        var list: PriceList?
        if let id = priceListID {
            guard let l = lists.first(where: { $0.id == id.lowercased() }) else { throw DomainError.field("price_list_id", "no such price list") }
            if !l.active { throw DomainError.field("price_list_id", "\(l.name) is no longer used") }
            list = l
        }
        let cur = list?.currency ?? currency.flatMap(Money.currencyCode) ?? lists.first(where: \.isDefault)?.currency ?? DealStore.defaultCurrency
        if let c = currency.flatMap(Money.currencyCode), let l = list, c != l.currency {
            throw DomainError.field("currency", "the price list \(l.name) is in \(l.currency)")
        }
        if list == nil { list = lists.first { $0.isDefault && $0.currency == cur } ?? lists.first { $0.active && $0.currency == cur } }
        var e = FieldErrors()
        var out: [LineItem] = []
        for (i, d) in drafts.enumerated() {
            var product: Product?
            if let pid = d.productID {
                product = ID.isValid(pid) ? products[pid.lowercased()] : nil
                if product == nil { e.add("lines[\(i)].product_id", "no such product"); continue }
            }
            var listPrice = product.flatMap { p in list.flatMap { l in p.prices.first { $0.priceListID == l.id }?.unitPrice.minor } }
            if listPrice == nil && allowUnpriced { listPrice = 0 }
            if let l = d.line(i, id: ID.make(at: now), product: product, listPrice: listPrice, errors: &e) { out.append(l) }
        }
        try e.throwIfAny()
        return (out, cur, list?.id)
    }
}
