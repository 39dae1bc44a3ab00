import Foundation
import SQLKit
import GuanxiCore

package struct QuoteFilter: Sendable {
    package var status: QuoteStatus?
    package var customerID: String?
    package var dealID: String?
    package init() {}
}

/// Inquiries and quotes. Lines are priced from the catalogue; a sent quote is frozen (changes make a
/// new revision under the same number); accepting one places its order in the same transaction.
/// Quotes are sales documents under the `orders` permissions, by owner.
package struct QuoteStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let orders: OrderStore
    package init(db: Database, clock: any GuanxiCore.Clock, orders: OrderStore) { self.db = db; self.orders = orders; self.clock = clock }

    /// How long a new quote's prices hold unless it says.
    package static let validityDays = 30

    static let columns = """
        id, number, revision, previous_id, status, customer_id, deal_id, owner_id, price_list_id, title, valid_until, currency, lines_json,
        message, terms, reason, order_id, sent_at, version, created_at, updated_at
        """

    static func decode(_ r: any SQLRow) throws -> Quote {
        func d(_ c: String) throws -> Date { Date(millis: try r.decode(column: c, as: Int64.self)) }
        let currency = try r.decode(column: "currency", as: String.self)
        let lines = JSONCoding.decode([LineItem].self, try r.decode(column: "lines_json", as: String.self)) ?? []
        return Quote(id: try r.decode(column: "id", as: String.self), number: try r.decode(column: "number", as: String.self),
                     revision: try r.decode(column: "revision", as: Int.self), previousID: try r.decode(column: "previous_id", as: String?.self),
                     status: QuoteStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .draft,
                     customerID: try r.decode(column: "customer_id", as: String.self), dealID: try r.decode(column: "deal_id", as: String?.self),
                     ownerID: try r.decode(column: "owner_id", as: String?.self), priceListID: try r.decode(column: "price_list_id", as: String?.self),
                     title: try r.decode(column: "title", as: String.self), validUntil: try r.decode(column: "valid_until", as: String?.self),
                     lines: lines, totals: try DocumentTotals(currency: currency, lines: lines), message: try r.decode(column: "message", as: String?.self),
                     terms: try r.decode(column: "terms", as: String?.self), reason: try r.decode(column: "reason", as: String?.self),
                     orderID: try r.decode(column: "order_id", as: String?.self), sentAt: try r.decode(column: "sent_at", as: Int64?.self).map(Date.init(millis:)),
                     version: try r.decode(column: "version", as: Int.self), createdAt: try d("created_at"), updatedAt: try d("updated_at"))
    }

    /// Quotes are sales documents: the `orders` permissions, by owner.
    static let records = OwnedRecords(table: "quotes", alias: "q", columns: columns, object: .orders, name: "quote", plural: "quotes", decode: decode)
    static let newest = records.keyset("created_at", descending: true) { $0.createdAt }

    package func get(_ scope: Scope, id: String) async throws -> Quote {
        try await Self.records.get(scope, id, in: db)
    }

    /// Every revision of a quote's number, oldest first.
    package func revisions(_ scope: Scope, of q: Quote) async throws -> [Quote] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM quotes WHERE workspace_id = \(bind: scope.workspaceID) AND number = \(bind: q.number) ORDER BY revision
                """).all().map(Self.decode).filter { scope.may(.orders, .read, RecordAccess(ownerID: $0.ownerID)) }
        }
    }

    /// Newest first.
    package func list(_ scope: Scope, filter: QuoteFilter, cursor: String?, limit: Int = 50) async throws -> Page<Quote> {
        let q = try Self.records.clauses(scope, equal: ["status": filter.status?.rawValue, "customer_id": filter.customerID, "deal_id": filter.dealID])
        return try await Self.records.page(scope, where: q, order: Self.newest, cursor: cursor, limit: limit, in: db)
    }

    /// Opens an inquiry or a priced draft for a customer the user may read.
    package func create(_ scope: Scope, _ draft: QuoteDraft) async throws -> Quote {
        let level = try scope.require(.orders, .create)
        try draft.validate(creating: true)
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let customer = try await CustomerStore.load(scope, draft.customerID!.lowercased(), for: .read, sql: sql)
            if let d = draft.dealID {
                let deal = try await DealStore.records.load(scope, d, for: .read, sql: sql)
                if deal.customerID != customer.id { throw DomainError.field("deal_id", "the deal is with another customer") }
            }
            var owner = draft.ownerID?.lowercased() ?? (level == .all ? customer.ownerID ?? scope.userID : scope.userID)
            if owner == nil { owner = scope.userID }
            try await checkOwner(scope, owner, sql: sql)
            let inquiry = draft.inquiry == true
            let catalog = try await ProductStore.catalog(scope.workspaceID, drafts: [draft.lines ?? []], sql: sql)
            let priced = try catalog.lines(draft.lines ?? [], priceListID: draft.priceListID, currency: draft.currency, allowUnpriced: inquiry, now: now)
            let today = try await DocumentNumbers.today(scope.workspaceID, now: now, sql: sql)
            let number = try await DocumentNumbers.take(1, prefix: "QT", workspaceID: scope.workspaceID, year: Int(today.prefix(4)) ?? 2026, sql: sql)[0]
            let title = Text.clean(draft.title ?? "")
            let q = Quote(id: ID.make(at: now), number: number, revision: 1, previousID: nil, status: inquiry ? .inquiry : .draft,
                          customerID: customer.id, dealID: draft.dealID?.lowercased(), ownerID: owner, priceListID: priced.priceListID,
                          title: title.isEmpty ? customer.name : title,
                          validUntil: draft.validUntil.flatMap(Dates.parseDay) ?? Dates.adding(Self.validityDays, to: today),
                          lines: priced.lines, totals: try DocumentTotals(currency: priced.currency, lines: priced.lines),
                          message: Self.text(draft.message), terms: Self.text(draft.terms), reason: nil, orderID: nil, sentAt: nil,
                          version: 1, createdAt: now, updatedAt: now)
            try await insert(q, scope: scope, sql: sql)
            try await record(q, step: inquiry ? "inquiry" : "created", tx: tx)
            return q
        }
    }

    static func text(_ s: String?) -> String? { s.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 } }

    func checkOwner(_ scope: Scope, _ owner: String?, sql: any SQLDatabase) async throws {
        guard let o = owner, o != scope.userID else { return }
        let assign = try scope.require(.orders, .assign)
        guard scope.covers(assign, RecordAccess(ownerID: o)) else { throw DomainError.forbidden("you may not give quotes to this user") }
        guard try await AccessStore.activeMember(o, scope.workspaceID, sql: sql) else {
            throw DomainError.field("owner_id", "\(o) is not an active user of this workspace")
        }
    }

    func insert(_ q: Quote, scope: Scope, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO quotes (id, workspace_id, number, revision, previous_id, status, customer_id, deal_id, owner_id, price_list_id, title,
              valid_until, currency, lines_json, gross, discount, net, tax, total, message, terms, version, created_at, updated_at)
            VALUES (\(bind: q.id), \(bind: scope.workspaceID), \(bind: q.number), \(bind: q.revision), \(bind: q.previousID), \(bind: q.status.rawValue),
              \(bind: q.customerID), \(bind: q.dealID), \(bind: q.ownerID), \(bind: q.priceListID), \(bind: q.title), \(bind: q.validUntil),
              \(bind: q.totals.currency), \(bind: JSONCoding.encode(q.lines)), \(bind: q.totals.gross), \(bind: q.totals.discount), \(bind: q.totals.net),
              \(bind: q.totals.tax), \(bind: q.totals.total), \(bind: q.message), \(bind: q.terms), 1, \(bind: q.createdAt.millis), \(bind: q.updatedAt.millis))
            """).run()
    }

    func save(_ q: Quote, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE quotes SET status = \(bind: q.status.rawValue), owner_id = \(bind: q.ownerID), price_list_id = \(bind: q.priceListID),
              title = \(bind: q.title), valid_until = \(bind: q.validUntil), currency = \(bind: q.totals.currency), lines_json = \(bind: JSONCoding.encode(q.lines)),
              gross = \(bind: q.totals.gross), discount = \(bind: q.totals.discount), net = \(bind: q.totals.net), tax = \(bind: q.totals.tax),
              total = \(bind: q.totals.total), message = \(bind: q.message), terms = \(bind: q.terms), reason = \(bind: q.reason), order_id = \(bind: q.orderID),
              sent_at = \(bind: q.sentAt?.millis), version = \(bind: q.version), updated_at = \(bind: q.updatedAt.millis)
            WHERE id = \(bind: q.id)
            """).run()
    }

    func record(_ q: Quote, step: String, extra: [String: JSONValue] = [:], tx: Tx) async throws {
        var data: [String: JSONValue] = ["quote_id": .string(q.id), "number": .string(q.number), "revision": .number(Double(q.revision)),
                                         "step": .string(step), "total_minor": .number(Double(q.totals.total)), "currency": .string(q.totals.currency)]
        for (k, v) in extra { data[k] = v }
        try await tx.timeline(q.customerID, .quote, data: data)
        try await tx.audit(step == "created" || step == "inquiry" ? "create" : step, "quotes", q.id, detail: .object(data))
    }

    /// Changes an inquiry or draft (lines, title, validity, texts, price list); a sent quote is revised instead.
    package func update(_ scope: Scope, id: String, _ draft: QuoteDraft, ifVersion: Int?) async throws -> Quote {
        try draft.validate(creating: false)
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            var q = try await Self.records.load(scope, id, for: .update, ifVersion: ifVersion, sql: sql)
            guard q.status.editable else { throw DomainError.conflict("a \(q.status.rawValue) quote cannot change; revise it to make a new version") }
            if draft.customerID.map({ $0.lowercased() != q.customerID }) == true { throw DomainError.field("customer_id", "a quote stays with its customer") }
            if let o = draft.ownerID?.lowercased(), o != q.ownerID { try await checkOwner(scope, o, sql: sql); q.ownerID = o }
            if draft.lines != nil || draft.priceListID != nil || draft.currency != nil {
                let drafts = draft.lines ?? q.lines.map {
                    LineDraft(productID: $0.productID, sku: $0.sku, name: $0.name, unit: $0.unit, quantity: $0.quantity,
                              unitPrice: $0.unitPrice, discount: $0.discount, taxRate: $0.taxRate)
                }
                let catalog = try await ProductStore.catalog(scope.workspaceID, drafts: [drafts], sql: sql)
                let priced = try catalog.lines(drafts, priceListID: draft.priceListID ?? q.priceListID, currency: draft.currency ?? q.totals.currency,
                                               allowUnpriced: q.status == .inquiry, now: now)
                q.lines = priced.lines; q.priceListID = priced.priceListID
                q.totals = try DocumentTotals(currency: priced.currency, lines: priced.lines)
            }
            if let t = draft.title { let c = Text.clean(t); if !c.isEmpty { q.title = c } }
            if let v = draft.validUntil { q.validUntil = Dates.parseDay(v) }
            if let m = draft.message { q.message = Self.text(m) }
            if let t = draft.terms { q.terms = Self.text(t) }
            q.version += 1; q.updatedAt = now
            try await save(q, sql: sql)
            try await tx.audit("update", "quotes", q.id, detail: AuditDetail.encoded(q))
            return q
        }
    }

    /// Prices an inquiry (→ draft), sends a draft, or rejects (a reason is needed).
    package func move(_ scope: Scope, id: String, to: QuoteStatus, reason: String?, ifVersion: Int?) async throws -> Quote {
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            var q = try await Self.records.load(scope, id, for: .update, ifVersion: ifVersion, sql: sql)
            if to == .accepted { throw DomainError.conflict("accept a quote with its accept step, which places the order") }
            try q.status.check(to)
            let why = reason.map(Text.clean).flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
            if to == .rejected && why == nil { throw DomainError.field("reason", "say why the quote was rejected") }
            if to == .sent {
                if q.lines.isEmpty { throw DomainError.field("lines", "a quote needs at least one line before it is sent") }
                let today = try await DocumentNumbers.today(scope.workspaceID, now: now, sql: sql)
                if let v = q.validUntil, v < today { throw DomainError.field("valid_until", "is in the past; give a new validity date") }
                q.sentAt = now
            }
            q.status = to; q.reason = to == .rejected ? why : q.reason
            q.version += 1; q.updatedAt = now
            try await save(q, sql: sql)
            try await record(q, step: to.rawValue, extra: why.map { ["reason": .string($0)] } ?? [:], tx: tx)
            return q
        }
    }

    /// A new revision under the same number (a draft copy of the lines); the old one is superseded.
    package func revise(_ scope: Scope, id: String, ifVersion: Int?) async throws -> Quote {
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            var old = try await Self.records.load(scope, id, for: .update, ifVersion: ifVersion, sql: sql)
            guard old.status.revisable else {
                throw DomainError.conflict(old.status == .inquiry ? "a \(old.status.rawValue) quote cannot be revised: price it as a draft"
                                                                  : "a \(old.status.rawValue) quote cannot be revised")
            }
            let today = try await DocumentNumbers.today(scope.workspaceID, now: now, sql: sql)
            var q = old
            q.id = ID.make(at: now); q.revision = old.revision + 1; q.previousID = old.id; q.status = .draft; q.reason = nil; q.sentAt = nil
            q.lines = q.lines.map { var l = $0; l.id = ID.make(at: now); return l }
            if (q.validUntil ?? "") < today { q.validUntil = Dates.adding(Self.validityDays, to: today) }
            q.version = 1; q.createdAt = now; q.updatedAt = now
            old.status = .superseded; old.version += 1; old.updatedAt = now
            try await save(old, sql: sql)
            try await insert(q, scope: scope, sql: sql)
            try await record(q, step: "revised", tx: tx)
            return q
        }
    }

    /// The customer said yes: the quote's order is placed in the same transaction (its lines,
    /// prices and owner), and the quote points at it. An expired quote must be revised first.
    package func accept(_ scope: Scope, id: String, ifVersion: Int?) async throws -> (Quote, Order) {
        let level = try scope.require(.orders, .create)
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            var q = try await Self.records.load(scope, id, for: .update, ifVersion: ifVersion, sql: sql)
            try q.status.check(.accepted)
            let today = try await DocumentNumbers.today(scope.workspaceID, now: now, sql: sql)
            if q.isExpired(today: today) { throw DomainError.conflict("this quote expired on \(q.validUntil ?? ""); revise it to quote again") }
            var d = OrderDraft()
            d.customerID = q.customerID; d.dealID = q.dealID; d.ownerID = q.ownerID; d.currency = q.totals.currency
            d.source = "quote"; d.externalID = q.number + "-R" + String(q.revision)
            d.lines = q.lines.map {
                LineDraft(productID: nil, sku: $0.sku, name: $0.name, unit: $0.unit, quantity: $0.quantity, unitPrice: $0.unitPrice,
                          discount: $0.discount, taxRate: $0.taxRate)
            }
            d.note = q.title
            let placed = try await orders.place([d], level: level, quoteID: q.id, tx: tx)
            guard case .created(var order) = placed[0] else {
                if case .failed(let e) = placed[0] { throw e }
                throw DomainError.conflict("this quote has an order already")
            }
            // the order's lines keep the products the quote named
            for (n, l) in q.lines.enumerated() where l.productID != nil {
                try await sql.raw("UPDATE order_lines SET product_id = \(bind: l.productID) WHERE order_id = \(bind: order.id) AND position = \(bind: n + 1)").run()
                order.lines[n].item.productID = l.productID
            }
            q.status = .accepted; q.orderID = order.id; q.version += 1; q.updatedAt = now
            try await save(q, sql: sql)
            try await record(q, step: "accepted", extra: ["order_id": .string(order.id), "order_number": .string(order.number)], tx: tx)
            try await tx.publish(.quoteAccepted, q.id, q, changes: ["order_id": .string(order.id)])
            return (q, order)
        }
    }
}
