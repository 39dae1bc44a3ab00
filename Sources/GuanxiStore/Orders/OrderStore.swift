import Foundation
import SQLKit
import GuanxiCore

package struct OrderFilter: Sendable {
    package var status: OrderStatus?
    package var customerID: String?
    package var ownerID: String?
    package init() {}
}

/// What became of one order a client sent.
package enum OrderPlacement: Sendable {
    case created(Order)
    /// The same source and external id arrived before: nothing was written.
    case existing(Order)
    case failed(DomainError)
}

/// Orders: placed by people, by accepted quotes, or pushed by shops and ERP systems (idempotent by
/// source and external id, in batches). Every step is checked by `OrderRules`, written on the
/// customer's timeline and in the audit log in the same transaction.
package struct OrderStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// New buyers in pushed orders become customers.
    let customers: CustomerStore
    /// Group commit for single orders (nil inside the queue's own writer): shops pushing one order
    /// per request share transactions under load, as batches do.
    let queue: GroupCommit<OrderRequest, OrderPlacement>?

    struct OrderRequest: Sendable { let scope: Scope; let level: AccessLevel; let draft: OrderDraft }

    package init(db: Database, clock: any GuanxiCore.Clock, customers: CustomerStore) {
        self.db = db; self.clock = clock; self.customers = customers
        let inner = OrderStore(db: db, clock: clock, customers: customers, queue: nil)
        queue = GroupCommit(stats: db.stats, write: { try await inner.placeGroup($0) })
    }

    private init(db: Database, clock: any GuanxiCore.Clock, customers: CustomerStore, queue: GroupCommit<OrderRequest, OrderPlacement>?) {
        self.db = db; self.clock = clock; self.customers = customers; self.queue = queue
    }

    /// One transaction for a group of single orders, each placed with its own caller's scope.
    func placeGroup(_ requests: [OrderRequest]) async throws -> [OrderPlacement] {
        let now = clock.now()
        return try await db.write { sql in
            var out = [OrderPlacement?](repeating: nil, count: requests.count)
            var parts: [(scope: Scope, level: AccessLevel, members: [Int])] = []
            for (i, r) in requests.enumerated() {
                if let k = parts.firstIndex(where: { $0.scope == r.scope }) { parts[k].members.append(i) } else { parts.append((r.scope, r.level, [i])) }
            }
            for p in parts {
                let placed = try await place(p.members.map { requests[$0].draft }, level: p.level, quoteID: nil,
                                             tx: Tx(sql: sql, scope: p.scope, now: now, db: db))
                for (i, r) in zip(p.members, placed) { out[i] = r }
            }
            return out.map { $0! }
        }
    }

    package static let maxBatch = 1_000

    // MARK: Reading

    static let columns = """
        o.id, o.number, o.source, o.external_id, o.status, o.customer_id, o.owner_id, o.quote_id, o.deal_id, o.currency, o.gross, o.discount,
        o.net, o.tax, o.total, o.paid, o.refunded, o.has_plan, o.note, o.cancel_reason, o.placed_at, o.confirmed_at, o.version, o.created_at, o.updated_at,
        o.ship_to_json, o.credit_hold_json
        """

    static func decode(_ r: any SQLRow, lines: [OrderLine]) throws -> Order {
        func d(_ c: String) throws -> Date { Date(millis: try r.decode(column: c, as: Int64.self)) }
        var totals = try DocumentTotals(currency: try r.decode(column: "currency", as: String.self), lines: [])
        totals.gross = try r.decode(column: "gross", as: Int64.self); totals.discount = try r.decode(column: "discount", as: Int64.self)
        totals.net = try r.decode(column: "net", as: Int64.self); totals.tax = try r.decode(column: "tax", as: Int64.self)
        totals.total = try r.decode(column: "total", as: Int64.self)
        var o = Order(id: try r.decode(column: "id", as: String.self), number: try r.decode(column: "number", as: String.self),
                     source: try r.decode(column: "source", as: String.self), externalID: try r.decode(column: "external_id", as: String?.self),
                     status: OrderStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .placed,
                     customerID: try r.decode(column: "customer_id", as: String.self), ownerID: try r.decode(column: "owner_id", as: String?.self),
                     quoteID: try r.decode(column: "quote_id", as: String?.self), dealID: try r.decode(column: "deal_id", as: String?.self),
                     lines: lines, totals: totals, paid: try r.decode(column: "paid", as: Int64.self), refunded: try r.decode(column: "refunded", as: Int64.self),
                     note: try r.decode(column: "note", as: String?.self), cancelReason: try r.decode(column: "cancel_reason", as: String?.self),
                     placedAt: try d("placed_at"), confirmedAt: try r.decode(column: "confirmed_at", as: Int64?.self).map(Date.init(millis:)),
                     version: try r.decode(column: "version", as: Int.self), createdAt: try d("created_at"), updatedAt: try d("updated_at"))
        o.shipTo = try r.decode(column: "ship_to_json", as: String?.self).flatMap { JSONCoding.decode(ShipTo.self, $0) }
        o.creditHold = CreditStore.decode(try r.decode(column: "credit_hold_json", as: String?.self))
        return o
    }

    static func lines(orderIDs: [String], sql: any SQLDatabase) async throws -> [String: [OrderLine]] {
        guard !orderIDs.isEmpty else { return [:] }
        var out: [String: [OrderLine]] = [:]
        for r in try await sql.raw("""
            SELECT order_id, line_id, product_id, sku, name, unit, quantity, unit_price, discount_bp, tax_bp, shipped, returned
            FROM order_lines WHERE order_id IN (\(binds: orderIDs)) ORDER BY order_id, position
            """).all() {
            let item = try LineItem(id: try r.decode(column: "line_id", as: String.self), productID: try r.decode(column: "product_id", as: String?.self),
                                    sku: try r.decode(column: "sku", as: String?.self), name: try r.decode(column: "name", as: String.self),
                                    unit: try r.decode(column: "unit", as: String?.self), quantity: try r.decode(column: "quantity", as: Int.self),
                                    unitPrice: try r.decode(column: "unit_price", as: Int64.self),
                                    discount: Percent(basisPoints: try r.decode(column: "discount_bp", as: Int.self)),
                                    taxRate: Percent(basisPoints: try r.decode(column: "tax_bp", as: Int.self)))
            out[try r.decode(column: "order_id", as: String.self), default: []].append(
                OrderLine(item: item, shipped: try r.decode(column: "shipped", as: Int.self), returned: try r.decode(column: "returned", as: Int.self)))
        }
        return out
    }

    /// Orders by id with their lines (no access check: callers check).
    static func orders(ids: [String], workspaceID: String, sql: any SQLDatabase) async throws -> [String: Order] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM orders o WHERE o.workspace_id = \(bind: workspaceID) AND o.id IN (\(binds: ids))
            """).all()
        let lines = try await lines(orderIDs: ids, sql: sql)
        var out: [String: Order] = [:]
        for r in rows {
            let id = try r.decode(column: "id", as: String.self)
            out[id] = try decode(r, lines: lines[id] ?? [])
        }
        return out
    }

    static let records = OwnedRecords(table: "orders", alias: "o", columns: columns, object: .orders, name: "order", plural: "orders",
                                      decode: { try decode($0, lines: []) })
    /// By when the customer placed them, newest first.
    static let newest = records.keyset("placed_at", descending: true) { $0.placedAt }
    static let oldest = records.keyset("placed_at", descending: false) { $0.placedAt }

    /// The order if the scope may `action` it (404 when it may not read it, 403 when it may read but not act),
    /// with its lines, payments, collection plan and shipments.
    static func load(_ scope: Scope, _ id: String, for action: AccessAction, ifVersion: Int? = nil, now: Date,
                     sql: any SQLDatabase) async throws -> (Order, hasPlan: Bool) {
        var o = try await records.load(scope, id, for: action, ifVersion: ifVersion, sql: sql)
        o.lines = try await lines(orderIDs: [o.id], sql: sql)[o.id] ?? []
        o.payments = try await sql.raw("""
            SELECT id, kind, amount, method, reference, note, paid_at, created_by FROM order_payments WHERE order_id = \(bind: o.id) ORDER BY paid_at, id
            """).all().map { r in
            Payment(id: try r.decode(column: "id", as: String.self), kind: Payment.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .payment,
                    amount: try r.decode(column: "amount", as: Int64.self), method: try r.decode(column: "method", as: String?.self),
                    reference: try r.decode(column: "reference", as: String?.self), note: try r.decode(column: "note", as: String?.self),
                    paidAt: Date(millis: try r.decode(column: "paid_at", as: Int64.self)), createdBy: try r.decode(column: "created_by", as: String?.self))
        }
        let plan = try await sql.raw("SELECT due_date, amount FROM order_plans WHERE order_id = \(bind: o.id) ORDER BY seq").all().map { r in
            Instalment(dueDate: try r.decode(column: "due_date", as: String.self), amount: try r.decode(column: "amount", as: Int64.self))
        }
        o.plan = Instalment.settle(plan, netPaid: o.netPaid, today: try await DocumentNumbers.today(scope.workspaceID, now: now, sql: sql))
        o.shipments = try await sql.raw("""
            SELECT id, carrier, tracking_number, lines_json, shipped_at, delivered_at FROM shipments WHERE order_id = \(bind: o.id) ORDER BY shipped_at, id
            """).all().map { r in
            Shipment(id: try r.decode(column: "id", as: String.self), carrier: try r.decode(column: "carrier", as: String.self),
                     trackingNumber: try r.decode(column: "tracking_number", as: String?.self),
                     lines: JSONCoding.decode([Shipment.Line].self, try r.decode(column: "lines_json", as: String.self)) ?? [],
                     shippedAt: Date(millis: try r.decode(column: "shipped_at", as: Int64.self)),
                     deliveredAt: try r.decode(column: "delivered_at", as: Int64?.self).map(Date.init(millis:)))
        }
        return (o, !plan.isEmpty)
    }

    package func get(_ scope: Scope, id: String) async throws -> Order {
        try await db.read { sql in try await Self.load(scope, id, for: .read, now: clock.now(), sql: sql).0 }
    }

    /// Newest first (by when the customer placed them); lines are left out of lists.
    package func list(_ scope: Scope, filter: OrderFilter, cursor: String?, limit: Int = 50) async throws -> Page<Order> {
        try await Self.records.page(scope, where: try clauses(scope, filter), order: Self.newest, cursor: cursor, limit: limit, in: db)
    }

    func clauses(_ scope: Scope, _ filter: OrderFilter) throws -> SQLQueryString {
        try Self.records.clauses(scope, equal: ["status": filter.status?.rawValue, "customer_id": filter.customerID, "owner_id": filter.ownerID])
    }

    /// The list page's window: by when the order was placed (the indexed key), newest or oldest
    /// first, paged either way (`OwnedRecords.window`).
    package func window(_ scope: Scope, filter: OrderFilter, oldestFirst: Bool = false, cursor: String?, before: String?,
                        limit: Int = 50) async throws -> (items: [Order], next: String?, previous: String?) {
        try await Self.records.window(scope, where: try clauses(scope, filter), order: oldestFirst ? Self.oldest : Self.newest,
                                      cursor: cursor, before: before, limit: limit, in: db)
    }

    /// How many orders `filter` finds for `scope`, up to the list's cap (`ListCount`).
    package func count(_ scope: Scope, filter: OrderFilter) async throws -> (count: Int, exact: Bool) {
        try await Self.records.count(scope, where: try clauses(scope, filter), in: db)
    }

    /// Orders a search box finds by number: the whole number or a part of it ("SO-2026-000123",
    /// "000123", "123"), among the workspace's newest 5,000 orders; newest first, within the
    /// scope's read reach. Nothing for a term without a digit (names are the customers' search).
    package func find(_ scope: Scope, number raw: String, limit: Int = 10) async throws -> [Order] {
        let term = Text.clean(raw).uppercased()
        guard term.contains(where: \.isNumber), term.count <= 40 else { return [] }
        let pattern = "%" + term.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%").replacingOccurrences(of: "_", with: "!_") + "%"
        var q = try Self.records.clauses(scope)
        q += " AND o.id IN (SELECT id FROM orders WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY placed_at DESC LIMIT 5000)"
        q += " AND o.number LIKE \(bind: pattern) ESCAPE '!'"
        return try await Self.records.page(scope, where: q, order: Self.newest, cursor: nil, limit: limit, in: db).items
    }

    /// How many orders (and how much, per currency) stand at each status.
    /// Orders by status, with their totals per currency: all of them, or those placed in `[from, to)`.
    package func statusBoard(_ scope: Scope, placedFrom from: Date? = nil, to: Date? = nil) async throws -> [(OrderStatus, Int, [Money])] {
        let reach = try Self.records.readLimit(scope)
        return try await db.read { sql in
            var q = SQLQueryString("""
                SELECT o.status, o.currency, COUNT(*) AS n, \(MoneySum.select("o.total", as: "total")) FROM orders o WHERE o.workspace_id = \(bind: scope.workspaceID)
                """)
            q += reach
            if let from { q += " AND o.placed_at >= \(bind: from.millis)" }
            if let to { q += " AND o.placed_at < \(bind: to.millis)" }
            q += " GROUP BY o.status, o.currency"
            var by: [OrderStatus: (Int, MoneyTotals)] = [:]
            for r in try await sql.raw(q).all() {
                guard let s = OrderStatus(rawValue: try r.decode(column: "status", as: String.self)) else { continue }
                var x = by[s] ?? (0, MoneyTotals())
                x.0 += try r.decode(column: "n", as: Int.self)
                x.1.add(Money(minor: try MoneySum.decode(r, "total"), currency: try r.decode(column: "currency", as: String.self)))
                by[s] = x
            }
            return OrderStatus.allCases.map { ($0, by[$0]?.0 ?? 0, by[$0]?.1.items ?? []) }
        }
    }

    // MARK: Placing

    package func create(_ scope: Scope, _ draft: OrderDraft) async throws -> (Order, created: Bool) {
        let level = try scope.require(.orders, .create)
        let placed = if let queue { try await queue.submit(OrderRequest(scope: scope, level: level, draft: draft)) } else { try await place(scope, [draft])[0] }
        switch placed {
        case .created(let o): return (o, true)
        case .existing(let o): return (o, false)
        case .failed(let e): throw e
        }
    }

    /// Places up to `maxBatch` orders in one transaction. Each succeeds, is found to exist already
    /// (same source and external id), or fails on its own with its reasons; the others are kept.
    package func place(_ scope: Scope, _ drafts: [OrderDraft], quoteID: String? = nil) async throws -> [OrderPlacement] {
        let level = try scope.require(.orders, .create)
        guard drafts.count <= Self.maxBatch else { throw DomainError.field("orders", "at most \(Self.maxBatch) orders per request") }
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in try await place(drafts, level: level, quoteID: quoteID, tx: tx) }
    }

    /// Inside the caller's transaction (quote acceptance places its order with it).
    func place(_ drafts: [OrderDraft], level: AccessLevel, quoteID: String?, tx: Tx) async throws -> [OrderPlacement] {
        let (scope, now, sql) = (tx.scope, tx.now, tx.sql)
        var results = [OrderPlacement?](repeating: nil, count: drafts.count)
        for (i, d) in drafts.enumerated() {
            do { try d.validate() } catch { results[i] = .failed(error) }
        }
        // 1. the same order again: by source and external id, earlier or earlier in this batch
        var keyed: [String: [Int]] = [:]
        for (i, d) in drafts.enumerated() where results[i] == nil {
            if let x = d.externalID { keyed[Self.key(d.source ?? "api", x), default: []].append(i) }
        }
        if !keyed.isEmpty {
            let ext = Set(drafts.compactMap(\.externalID)).sorted()
            let found = try await sql.raw("""
                SELECT id, source, external_id FROM orders WHERE workspace_id = \(bind: scope.workspaceID) AND external_id IN (\(binds: ext))
                """).all()
            var existing: [String: String] = [:]
            for r in found {
                existing[Self.key(try r.decode(column: "source", as: String.self), try r.decode(column: "external_id", as: String.self))] =
                    try r.decode(column: "id", as: String.self)
            }
            let orders = try await Self.orders(ids: Array(existing.values), workspaceID: scope.workspaceID, sql: sql)
            for (k, idx) in keyed {
                guard let id = existing[k], let o = orders[id] else { continue }
                let visible = scope.may(.orders, .read, RecordAccess(ownerID: o.ownerID))
                for i in idx { results[i] = visible ? .existing(o) : .failed(.conflict("an order with this external id exists already")) }
            }
        }
        // 2. customers: named by id, or found (created) by the buyer's external id, phone or email
        let buyers = try await resolveCustomers(drafts, &results, tx: tx)
        // 3. lines priced from the catalogue, owners checked
        let catalog = try await ProductStore.catalog(scope.workspaceID, drafts: drafts.map { $0.lines ?? [] }, sql: sql)
        var memberOK: [String: Bool] = [:]
        var ready: [(Int, Order)] = []
        var firstOfKey: [String: Int] = [:]
        for (i, d) in drafts.enumerated() where results[i] == nil {
            guard let customer = buyers[i] else { continue }
            if let x = d.externalID {
                let k = Self.key(d.source ?? "api", x)
                if firstOfKey[k] != nil { continue }   // a twin later in the batch: answered after insert
                firstOfKey[k] = i
            }
            do {
                let shipTo = try d.shipTo?.validated()
                let priced = try catalog.lines(d.lines ?? [], priceListID: d.priceListID, currency: d.currency, allowUnpriced: false, now: now)
                var owner = d.ownerID?.lowercased() ?? (level == .all ? customer.ownerID : customer.ownerID ?? scope.userID)
                if owner == nil && level != .all { owner = scope.userID }
                if let o = owner, o != customer.ownerID || d.ownerID != nil, o != scope.userID {
                    let assign = try scope.require(.orders, .assign)
                    guard scope.covers(assign, RecordAccess(ownerID: o)) else { throw DomainError.forbidden("you may not give orders to this user") }
                    if memberOK[o] == nil { memberOK[o] = try await AccessStore.activeMember(o, scope.workspaceID, sql: sql) }
                    if memberOK[o] != true { throw DomainError.field("owner_id", "\(o) is not an active user of this workspace") }
                }
                if let dealID = d.dealID {
                    let deal = try await DealStore.records.load(scope, dealID, for: .read, sql: sql)
                    if deal.customerID != customer.id { throw DomainError.field("deal_id", "the deal is with another customer") }
                }
                let totals = try DocumentTotals(currency: priced.currency, lines: priced.lines)
                ready.append((i, Order(id: ID.make(at: now), number: "", source: d.source ?? "api", externalID: d.externalID, status: .placed,
                                       customerID: customer.id, ownerID: owner, quoteID: quoteID, dealID: d.dealID?.lowercased(),
                                       lines: priced.lines.map { OrderLine(item: $0) }, totals: totals, paid: 0, refunded: 0,
                                       note: d.note.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }, cancelReason: nil,
                                       placedAt: d.placedAt ?? now, confirmedAt: nil, version: 1, createdAt: now, updatedAt: now).with(shipTo: shipTo)))
            } catch let e as DomainError {
                results[i] = .failed(e)
            }
        }
        // 3b. credit: an order that takes its customer past their credit limit waits for approval
        try await CreditStore.holds(&ready, tx: tx)
        // 4. numbers, rows, timeline and audit for all of them at once
        let year = Int(try await DocumentNumbers.today(scope.workspaceID, now: now, sql: sql).prefix(4)) ?? 2026
        let numbers = try await DocumentNumbers.take(ready.count, prefix: "SO", workspaceID: scope.workspaceID, year: year, sql: sql)
        for k in ready.indices { ready[k].1.number = numbers[k] }
        try await insert(ready.map(\.1), tx: tx)
        var created: [String: Order] = [:]
        for (i, o) in ready {
            results[i] = .created(o)
            if let x = o.externalID { created[Self.key(o.source, x)] = o }
        }
        for (i, d) in drafts.enumerated() where results[i] == nil {
            if let x = d.externalID, let o = created[Self.key(d.source ?? "api", x)] { results[i] = .existing(o) }
            else { results[i] = .failed(.badRequest("the order could not be placed")) }
        }
        return results.map { $0! }
    }

    static func key(_ source: String, _ external: String) -> String { source + "\u{0}" + external }

    /// The customer of each draft still in play; failures are written into `results`.
    func resolveCustomers(_ drafts: [OrderDraft], _ results: inout [OrderPlacement?], tx: Tx) async throws -> [Int: (id: String, ownerID: String?)] {
        let (scope, sql) = (tx.scope, tx.sql)
        var out: [Int: (id: String, ownerID: String?)] = [:]
        let byID = Set(drafts.indices.filter { results[$0] == nil }.compactMap { drafts[$0].customerID?.lowercased() })
        var known: [String: String?] = [:]
        if !byID.isEmpty {
            for r in try await sql.raw("""
                SELECT id, owner_id FROM customers WHERE workspace_id = \(bind: scope.workspaceID) AND id IN (\(binds: byID.sorted())) AND deleted_at IS NULL
                """).all() {
                known[try r.decode(column: "id", as: String.self)] = try r.decode(column: "owner_id", as: String?.self)
            }
        }
        // buyers: every identity they carry, looked up in one query per kind
        var wanted: [IdentityKind: Set<String>] = [:]
        func identities(_ d: OrderDraft) -> [Identity] {
            guard let b = d.customer else { return [] }
            var ids: [Identity] = []
            if let x = b.externalID, !x.isEmpty, let n = IdentityNormalizer.externalID(namespace: d.source ?? "api", value: x) {
                ids.append(Identity(kind: .external, value: n.value, namespace: n.namespace))
            }
            if let p = b.phone.flatMap({ IdentityNormalizer.phone($0) }) { ids.append(Identity(kind: .phone, value: p)) }
            if let e = b.email.flatMap(IdentityNormalizer.email) { ids.append(Identity(kind: .email, value: e)) }
            return ids
        }
        for (i, d) in drafts.enumerated() where results[i] == nil && d.customerID == nil {
            for id in identities(d) { wanted[id.kind, default: []].insert(id.uniqueKey) }
        }
        var holder: [String: (String, String?)] = [:]   // kind:value → customer
        for (kind, values) in wanted {
            for r in try await sql.raw("""
                SELECT i.value, c.id, c.owner_id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                WHERE i.workspace_id = \(bind: scope.workspaceID) AND i.kind = \(bind: kind.rawValue) AND i.value IN (\(binds: values.sorted()))
                AND c.deleted_at IS NULL
                """).all() {
                holder[kind.rawValue + ":" + (try r.decode(column: "value", as: String.self))] =
                    (try r.decode(column: "id", as: String.self), try r.decode(column: "owner_id", as: String?.self))
            }
        }
        // buyers nobody knows, grouped when they share an identity (the same buyer twice in a batch)
        var groupOf: [String: Int] = [:]
        var groups: [(draft: CustomerDraft, members: [Int])] = []
        for (i, d) in drafts.enumerated() where results[i] == nil {
            do {
                if let cid = d.customerID?.lowercased() {
                    guard let owner = known[cid] else { throw DomainError.field("customer_id", "no such customer") }
                    if !scope.may(.customers, .read, RecordAccess(ownerID: owner)) {
                        _ = try await CustomerStore.load(scope, cid, for: .read, sql: sql)   // shared with the user, or 404
                    }
                    out[i] = (cid, owner)
                    continue
                }
                let ids = identities(d)
                if ids.isEmpty { throw DomainError.field("customer", "needs a valid external_id, phone or email") }
                if let hit = ids.lazy.compactMap({ holder[$0.kind.rawValue + ":" + $0.uniqueKey] }).first {
                    if !scope.may(.customers, .read, RecordAccess(ownerID: hit.1)) {
                        _ = try await CustomerStore.load(scope, hit.0, for: .read, sql: sql)
                    }
                    out[i] = (hit.0, hit.1)
                    continue
                }
                _ = try scope.require(.customers, .create)
                let keys = ids.map { $0.kind.rawValue + ":" + $0.uniqueKey }
                if let g = keys.lazy.compactMap({ groupOf[$0] }).first {
                    groups[g].members.append(i)
                    for k in keys { groupOf[k] = g }
                    continue
                }
                // a new buyer: a customer like any other (validated, searchable, on the timeline)
                var c = CustomerDraft()
                c.kind = .person
                let name = Text.clean(d.customer?.name ?? "")
                c.name = name.isEmpty ? (d.customer?.phone ?? d.customer?.email ?? d.customer?.externalID ?? "") : name
                c.stage = .customer
                c.source = .some(d.source ?? "api")
                c.phones = ids.filter { $0.kind == .phone }.map(\.value)
                c.emails = ids.filter { $0.kind == .email }.map(\.value)
                c.identities = ids.filter { $0.kind == .external }
                for k in keys { groupOf[k] = groups.count }
                groups.append((c, [i]))
            } catch let e as DomainError {
                results[i] = .failed(e)
            }
        }
        let made = try await customers.insertMany(groups.map(\.draft), tx: tx)
        for (g, r) in zip(groups, made) {
            for i in g.members {
                switch r {
                case .success(let c): out[i] = (c.id, c.ownerID)
                case .failure(let e): results[i] = .failed(e)
                }
            }
        }
        return out
    }

    func insert(_ orders: [Order], tx: Tx) async throws {
        guard !orders.isEmpty else { return }
        try await ScoreChanges.note(orders.map(\.customerID), tx: tx)
        let (w, now, sql) = (tx.scope.workspaceID, tx.now, tx.sql)
        _ = try await BulkSQL.insert("orders", """
            id, workspace_id, number, source, external_id, status, customer_id, owner_id, quote_id, deal_id, currency, gross, discount, net, tax,
            total, paid, refunded, has_plan, note, placed_at, version, created_at, updated_at, ship_to_json, credit_hold_json
            """, orders.map { o -> [any Encodable & Sendable] in
                [o.id, w, o.number, o.source, o.externalID, o.status.rawValue, o.customerID, o.ownerID, o.quoteID, o.dealID, o.totals.currency,
                 o.totals.gross, o.totals.discount, o.totals.net, o.totals.tax, o.totals.total, Int64(0), Int64(0), Int64(0), o.note,
                 o.placedAt.millis, Int64(1), now.millis, now.millis, o.shipTo.map { JSONCoding.encode($0) }, CreditStore.encode(o.creditHold)]
            }, sql: sql)
        _ = try await BulkSQL.insert("order_lines", """
            workspace_id, order_id, line_id, position, product_id, sku, name, unit, quantity, unit_price, discount_bp, tax_bp, gross, discount, net,
            tax, total, shipped, returned
            """, orders.flatMap { o in o.lines.enumerated().map { n, l -> [any Encodable & Sendable] in
                let x = l.item
                return [w, o.id, x.id, Int64(n + 1), x.productID, x.sku, x.name, x.unit, Int64(x.quantity), x.unitPrice, Int64(x.discount.basisPoints),
                        Int64(x.taxRate.basisPoints), x.gross, x.discountAmount, x.net, x.tax, x.total, Int64(0), Int64(0)]
            } }, sql: sql)
        try await tx.timeline(orders.map { o in tx.event(o.customerID, .order, data: Self.eventData(o, step: "placed")) })
        try await tx.audit(orders.map { o in AuditEvent("create", "orders", o.id, detail: .object(Self.eventData(o, step: "placed"))) })
        let held = orders.filter { $0.creditHold != nil }
        if !held.isEmpty {
            try await tx.audit(held.map { o in AuditEvent("credit_hold", "orders", o.id, detail: .object(["number": .string(o.number), "reason": .string(o.creditHold!.text)])) })
        }
        try await Self.publish(.orderPlaced, orders, tx: tx)
    }

    /// The one place an order event's `data` is made: the order as the API shows it, with its lines
    /// (product, SKU, name, quantity, unit price and amounts), ship-to, external id and source, and
    /// (after placement) its payments and shipments — what an ERP plans production and stock from.
    static func publish(_ type: WebhookEventType, _ orders: [Order], changes: [String: JSONValue] = [:], tx: Tx) async throws {
        if orders.count == 1 { try await tx.publish(type, orders[0].id, orders[0], changes: changes) }
        else { try await tx.publish(type, orders.map { (id: $0.id, data: $0) }) }
    }

    /// What the timeline and the audit log say about an order step.
    static func eventData(_ o: Order, step: String, extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var d: [String: JSONValue] = ["order_id": .string(o.id), "number": .string(o.number), "step": .string(step),
                                      "status": .string(o.status.rawValue), "total_minor": .number(Double(o.totals.total)),
                                      "currency": .string(o.totals.currency)]
        if let x = o.externalID { d["external_id"] = .string(x); d["source"] = .string(o.source) }
        for (k, v) in extra { d[k] = v }
        return d
    }
}
