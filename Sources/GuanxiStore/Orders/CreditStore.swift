import Foundation
import SQLKit
import GuanxiCore

/// A customer's credit account: their terms, where they stand, and their orders held for approval.
package struct CreditAccount: Sendable, Equatable {
    package var customerID: String
    package var terms: CreditTerms?
    package var standing: CreditStanding
    /// The currency the standing is counted in (the terms', else the main one of their orders).
    package var currency: String
    /// Orders waiting for a credit controller.
    package var held: [String]
}

/// One line of the credit report.
package struct CreditReportRow: Sendable, Equatable {
    package var customerID: String
    package var name: String
    package var account: CreditAccount
}

/// Credit control (docs/SALES.md): limits and payment terms per customer, what each owes and how
/// they pay, orders held when they would take a customer past their limit, and releasing them.
/// The rules are `CreditRules`; this reads what they need and writes what they decide.
package struct CreditStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    /// A customer's terms and standing, for a role that may read credit and the customer.
    package func account(_ scope: Scope, customerID: String) async throws -> CreditAccount {
        _ = try scope.require(.credit, .read)
        let now = clock.now()
        return try await db.read { sql in
            let c = try await CustomerStore.load(scope, customerID, for: .read, sql: sql)
            return try await Self.accounts(scope.workspaceID, [c.id], now: now, sql: sql)[0]
        }
    }

    /// Sets a customer's limit (nil: none) and terms, If-Match on the terms' version; audited.
    package func setTerms(_ scope: Scope, customerID: String, _ entered: CreditTerms, ifVersion: Int?) async throws -> CreditAccount {
        _ = try scope.require(.credit, .update)
        var draft = entered
        draft.currency = Money.currencyCode(draft.currency) ?? draft.currency
        try CreditRules.validate(draft)
        let t = draft
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let c = try await CustomerStore.load(scope, customerID, for: .read, sql: sql)
            let before = try await Self.terms(scope.workspaceID, [c.id], sql: sql)[c.id]
            if let ifVersion, ifVersion != (before?.version ?? 0) { throw DomainError.staleVersion(current: before?.version ?? 0) }
            let version = (before?.version ?? 0) + 1
            if before == nil {
                try await sql.raw("""
                    INSERT INTO customer_credit (workspace_id, customer_id, credit_limit, currency, terms_days, version, updated_at)
                    VALUES (\(bind: scope.workspaceID), \(bind: c.id), \(bind: t.limit), \(bind: t.currency), \(bind: t.termsDays), \(bind: version), \(bind: now.millis))
                    """).run()
            } else {
                try await sql.raw("""
                    UPDATE customer_credit SET credit_limit = \(bind: t.limit), currency = \(bind: t.currency), terms_days = \(bind: t.termsDays),
                      version = \(bind: version), updated_at = \(bind: now.millis)
                    WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: c.id)
                    """).run()
            }
            var detail: [String: JSONValue] = ["currency": .string(t.currency), "terms_days": .number(Double(t.termsDays))]
            detail["limit"] = t.limit.map { .number(Double($0)) } ?? .null
            if let b = before { detail["from"] = .object(["limit": b.limit.map { .number(Double($0)) } ?? .null, "terms_days": .number(Double(b.termsDays))]) }
            try await tx.audit("credit_terms", "customers", c.id, detail: .object(detail))
            return try await Self.accounts(scope.workspaceID, [c.id], now: now, sql: sql)[0]
        }
    }

    /// Releases an order held for credit approval, with the approver's reason; audited and on the
    /// customer's timeline. An order not held is refused.
    package func release(_ scope: Scope, orderID: String, note: String?) async throws -> Order {
        _ = try scope.require(.credit, .update)
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let (o, _) = try await OrderStore.load(scope, orderID, for: .read, now: now, sql: sql)
            guard let hold = o.creditHold else { throw DomainError.conflict("the order is not held for credit approval") }
            let why = note.map(Text.clean).flatMap { $0.isEmpty ? nil : String($0.prefix(500)) }
            try await sql.raw("""
                UPDATE orders SET credit_hold_json = NULL, version = version + 1, updated_at = \(bind: now.millis) WHERE id = \(bind: o.id)
                """).run()
            let data: [String: JSONValue] = ["order_id": .string(o.id), "number": .string(o.number), "step": "credit_released",
                                             "hold": .string(hold.text), "note": why.map { .string($0) } ?? .null]
            try await tx.timeline(o.customerID, .order, data: data)
            try await tx.audit("credit_release", "orders", o.id, detail: .object(data))
            return try await OrderStore.load(scope, o.id, for: .read, now: now, sql: sql).0
        }
    }

    /// The customers with terms or money owed that the scope may see, most owed first.
    package func report(_ scope: Scope, limit: Int = 200) async throws -> [CreditReportRow] {
        _ = try scope.require(.credit, .read)
        let now = clock.now()
        return try await db.read { sql in
            var q = SQLQueryString("""
                SELECT c.id, c.name, COALESCE(o.owed, 0) AS owed FROM customers c
                LEFT JOIN (SELECT customer_id, CAST(SUM(total - (paid - refunded)) AS BIGINT) AS owed FROM orders
                           WHERE workspace_id = \(bind: scope.workspaceID) AND status NOT IN ('cancelled', 'returned') AND total > paid - refunded
                           GROUP BY customer_id) o ON o.customer_id = c.id
                WHERE c.workspace_id = \(bind: scope.workspaceID) AND c.deleted_at IS NULL
                  AND (o.owed IS NOT NULL OR c.id IN (SELECT customer_id FROM customer_credit WHERE workspace_id = \(bind: scope.workspaceID)))
                """)
            q += CustomerStore.readLimit(scope)
            q += " ORDER BY owed DESC, c.id LIMIT \(literal: min(max(limit, 1), 1000))"
            let rows = try await sql.raw(q).all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self)) }
            let accounts = try await Self.accounts(scope.workspaceID, rows.map(\.0), now: now, sql: sql)
            return zip(rows, accounts).map { CreditReportRow(customerID: $0.0, name: $0.1, account: $1) }
        }
    }

    // MARK: Reads the rules need

    static func terms(_ workspaceID: String, _ ids: [String], sql: any SQLDatabase) async throws -> [String: CreditTerms] {
        guard !ids.isEmpty else { return [:] }
        var out: [String: CreditTerms] = [:]
        for r in try await sql.raw("""
            SELECT customer_id, credit_limit, currency, terms_days, version FROM customer_credit
            WHERE workspace_id = \(bind: workspaceID) AND customer_id IN (\(binds: ids))
            """).all() {
            out[try r.decode(column: "customer_id", as: String.self)] = CreditTerms(
                limit: try r.decode(column: "credit_limit", as: Int64?.self), currency: try r.decode(column: "currency", as: String.self),
                termsDays: try r.decode(column: "terms_days", as: Int.self), version: try r.decode(column: "version", as: Int.self))
        }
        return out
    }

    /// What each customer owes in a currency: every order not cancelled or returned, less what was paid.
    static func exposure(_ workspaceID: String, _ ids: [String], currency: [String: String], sql: any SQLDatabase) async throws -> [String: Int64] {
        guard !ids.isEmpty else { return [:] }
        var out: [String: Int64] = [:]
        for r in try await sql.raw("""
            SELECT customer_id, currency, \(MoneySum.select("total - (paid - refunded)", as: "v")) FROM orders
            WHERE workspace_id = \(bind: workspaceID) AND customer_id IN (\(binds: ids)) AND status NOT IN ('cancelled', 'returned')
              AND total > paid - refunded
            GROUP BY customer_id, currency
            """).all() {
            let id = try r.decode(column: "customer_id", as: String.self)
            if currency[id] == (try r.decode(column: "currency", as: String.self)) { out[id] = try MoneySum.decode(r, "v") }
        }
        return out
    }

    /// Terms and standing of customers, in `ids`' order.
    static func accounts(_ workspaceID: String, _ ids: [String], now: Date, sql: any SQLDatabase) async throws -> [CreditAccount] {
        guard !ids.isEmpty else { return [] }
        let terms = try await terms(workspaceID, ids, sql: sql)
        // every order of theirs that counts, once: what is owed, when, and how it was paid
        let day: Int64 = 86_400_000
        var rows: [String: [(currency: String, placed: Int64, total: Int64, netPaid: Int64, paidAt: Int64?, held: Bool)]] = [:]
        for r in try await sql.raw("""
            SELECT customer_id, currency, placed_at, total, paid - refunded AS net, paid_at, credit_hold_json FROM orders
            WHERE workspace_id = \(bind: workspaceID) AND customer_id IN (\(binds: ids)) AND status NOT IN ('cancelled', 'returned')
            """).all() {
            rows[try r.decode(column: "customer_id", as: String.self), default: []].append((
                try r.decode(column: "currency", as: String.self), try r.decode(column: "placed_at", as: Int64.self),
                try r.decode(column: "total", as: Int64.self), try r.decode(column: "net", as: Int64.self),
                try r.decode(column: "paid_at", as: Int64?.self), try r.decode(column: "credit_hold_json", as: String?.self) != nil))
        }
        var held: [String: [String]] = [:]
        for r in try await sql.raw("""
            SELECT customer_id, id FROM orders WHERE workspace_id = \(bind: workspaceID) AND customer_id IN (\(binds: ids)) AND credit_hold_json IS NOT NULL
            ORDER BY placed_at, id
            """).all() {
            held[try r.decode(column: "customer_id", as: String.self), default: []].append(try r.decode(column: "id", as: String.self))
        }
        return ids.map { id in
            let mine = rows[id] ?? []
            var counts: [String: Int] = [:]
            for o in mine { counts[o.currency, default: 0] += 1 }
            let currency = terms[id]?.currency ?? counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? DealStore.defaultCurrency
            let termsDays = terms[id]?.termsDays ?? 0
            var ageing = [Int64](repeating: 0, count: Figures.ageingBuckets.count)
            var exposure: Int64 = 0, sales: Int64 = 0
            var late: [Int] = [], overdue: [Int] = []
            for o in mine where o.currency == currency {
                let owed = max(0, o.total - o.netPaid)
                let age = Int((now.millis - o.placed) / day)
                if owed > 0 {
                    exposure = Money.saturating(exposure, plus: owed)
                    ageing[Figures.ageingBucket(days: age)] = Money.saturating(ageing[Figures.ageingBucket(days: age)], plus: owed)
                    if age > termsDays { overdue.append(age - termsDays) }
                } else if let paidAt = o.paidAt {
                    late.append(Int((paidAt - o.placed) / day) - termsDays)
                }
                if now.millis - o.placed <= Int64(CreditRules.dsoDays) * day { sales = Money.saturating(sales, plus: o.total) }
            }
            return CreditAccount(customerID: id, terms: terms[id],
                                 standing: CreditStanding(exposure: exposure, ageing: ageing, dso: CreditRules.dso(receivable: exposure, sales: sales),
                                                          paymentScore: CreditRules.paymentScore(daysLate: late, overdue: overdue)),
                                 currency: currency, held: held[id] ?? [])
        }
    }

    /// At placement, inside its transaction: each order that would take its customer past their
    /// limit is held, with the reason (orders of one batch add up in turn).
    static func holds(_ orders: inout [(Int, Order)], tx: Tx) async throws {
        let ids = Array(Set(orders.map(\.1.customerID))).sorted()
        let terms = try await terms(tx.scope.workspaceID, ids, sql: tx.sql).filter { $0.value.limit != nil }
        guard !terms.isEmpty else { return }
        var owed = try await exposure(tx.scope.workspaceID, Array(terms.keys), currency: terms.mapValues(\.currency), sql: tx.sql)
        for k in orders.indices {
            let o = orders[k].1
            guard let t = terms[o.customerID] else { continue }
            let before = owed[o.customerID] ?? 0
            if let reason = CreditRules.hold(t, exposure: before, amount: o.totals.total, currency: o.totals.currency) {
                orders[k].1.creditHold = reason
            }
            if o.totals.currency == t.currency { owed[o.customerID] = Money.saturating(before, plus: o.totals.total) }
        }
    }

    /// How a hold is kept: the message with its key and arguments, so pages say it in their language.
    static func encode(_ m: DomainMessage?) -> String? {
        guard let m else { return nil }
        let e = JSONEncoder()
        e.userInfo[DomainMessage.keepingKeys] = true
        return (try? e.encode(m)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func decode(_ s: String?) -> DomainMessage? {
        s.flatMap { try? JSONDecoder().decode(DomainMessage.self, from: Data($0.utf8)) }
    }
}
