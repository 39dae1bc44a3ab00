import Foundation
import SQLKit
import GuanxiCore

/// Lead → customer funnel for leads captured in a period.
package struct LeadFunnel: Codable, Sendable, Equatable {
    package var captured: Int
    /// Reached at least contacted (contacted, qualified or converted, or answered in time).
    package var contacted: Int
    package var qualified: Int
    package var converted: Int
    package var disqualified: Int
    /// By source: captured and converted.
    package var bySource: [SourceRow]
    package struct SourceRow: Codable, Sendable, Equatable {
        package var source: String
        package var captured: Int
        package var converted: Int
    }
    enum CodingKeys: String, CodingKey { case captured, contacted, qualified, converted, disqualified, bySource = "by_source" }
}

/// Deals won or lost in a period, by reason.
package struct CloseReasonRow: Codable, Sendable, Equatable {
    package var status: DealStatus
    package var reason: String?
    package var count: Int
    package var amount: Money
}

/// An instalment of a collection plan past its due date and not covered yet.
package struct OverdueCollection: Codable, Sendable, Equatable {
    package var orderID: String
    package var number: String
    package var customerID: String
    package var ownerID: String?
    package var dueDate: String
    package var due: Money
    enum CodingKeys: String, CodingKey { case number, due, orderID = "order_id", customerID = "customer_id", ownerID = "owner_id", dueDate = "due_date" }
}

/// The sales reports: each reads only what the scope's role may see (owner limits as in lists).
package struct ReportStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    func reach(_ scope: Scope, _ o: AccessObject, _ alias: String) throws -> SQLQueryString {
        guard let level = scope.level(o, .read) else { throw DomainError.forbidden("your role may not read \(o.rawValue)") }
        return AccessStore.readLimit(scope, object: o, level: level, alias: alias)
    }

    /// Leads captured in [from, to): how far they got.
    package func leadFunnel(_ scope: Scope, from: Date, to: Date) async throws -> LeadFunnel {
        let limit = try reach(scope, .leads, "l")
        return try await db.read { sql in
            var q = SQLQueryString("""
                SELECT COALESCE(l.source, '') AS source, l.status, CASE WHEN l.responded_at IS NULL THEN 0 ELSE 1 END AS answered, COUNT(*) AS n
                FROM leads l WHERE l.workspace_id = \(bind: scope.workspaceID) AND l.created_at >= \(bind: from.millis) AND l.created_at < \(bind: to.millis)
                """)
            q += limit
            q += " GROUP BY COALESCE(l.source, ''), l.status, CASE WHEN l.responded_at IS NULL THEN 0 ELSE 1 END"
            var f = LeadFunnel(captured: 0, contacted: 0, qualified: 0, converted: 0, disqualified: 0, bySource: [])
            var sources: [String: (Int, Int)] = [:]
            for r in try await sql.raw(q).all() {
                let n = try r.decode(column: "n", as: Int.self), status = LeadStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .new
                let answered = try r.decode(column: "answered", as: Int.self) == 1, source = try r.decode(column: "source", as: String.self)
                f.captured += n
                if [.contacted, .qualified, .converted].contains(status) || (answered && status != .disqualified) { f.contacted += n }
                if status == .qualified || status == .converted { f.qualified += n }
                if status == .converted { f.converted += n }
                if status == .disqualified { f.disqualified += n }
                var s = sources[source] ?? (0, 0)
                s.0 += n; if status == .converted { s.1 += n }
                sources[source] = s
            }
            f.bySource = sources.map { LeadFunnel.SourceRow(source: $0.key, captured: $0.value.0, converted: $0.value.1) }
                .sorted { ($0.captured, $1.source) > ($1.captured, $0.source) }
            return f
        }
    }

    /// Deals closed in [from, to), by won/lost and reason, amounts per currency.
    package func closeReasons(_ scope: Scope, from: Date, to: Date) async throws -> [CloseReasonRow] {
        let limit = try reach(scope, .deals, "d")
        return try await db.read { sql in
            var q = SQLQueryString("""
                SELECT d.status, d.close_reason, d.currency, COUNT(*) AS n, \(MoneySum.select("d.amount_minor", as: "total")) FROM deals d
                WHERE d.workspace_id = \(bind: scope.workspaceID) AND d.status <> 'open' AND d.closed_at >= \(bind: from.millis) AND d.closed_at < \(bind: to.millis)
                """)
            q += limit
            q += " GROUP BY d.status, d.close_reason, d.currency ORDER BY d.status DESC, n DESC"
            return try await sql.raw(q).all().map { r in
                CloseReasonRow(status: DealStatus(rawValue: try r.decode(column: "status", as: String.self)) ?? .lost,
                               reason: try r.decode(column: "close_reason", as: String?.self), count: try r.decode(column: "n", as: Int.self),
                               amount: Money(minor: try MoneySum.decode(r, "total"), currency: try r.decode(column: "currency", as: String.self)))
            }
        }
    }

    /// Collection-plan instalments past due and not covered by the payments so far, oldest first.
    package func overdueCollections(_ scope: Scope, limit: Int = 100) async throws -> [OverdueCollection] {
        let reach = try reach(scope, .orders, "o")
        let now = clock.now()
        return try await db.read { sql in
            let today = try await DocumentNumbers.today(scope.workspaceID, now: now, sql: sql)
            var q = SQLQueryString("""
                SELECT o.id, o.number, o.customer_id, o.owner_id, o.currency, o.paid - o.refunded AS net, p.due_date, p.amount
                FROM order_plans p JOIN orders o ON o.id = p.order_id
                WHERE p.workspace_id = \(bind: scope.workspaceID) AND o.paid - o.refunded < o.total AND o.status NOT IN ('cancelled', 'returned')
                AND o.id IN (SELECT order_id FROM order_plans WHERE workspace_id = \(bind: scope.workspaceID) AND due_date < \(bind: today))
                """)
            q += reach
            q += " ORDER BY o.id, p.seq"
            var plans: [String: (row: (String, String, String?, String, Int64), items: [Instalment])] = [:]
            var order: [String] = []
            for r in try await sql.raw(q).all() {
                let id = try r.decode(column: "id", as: String.self)
                if plans[id] == nil {
                    order.append(id)
                    plans[id] = ((try r.decode(column: "number", as: String.self), try r.decode(column: "customer_id", as: String.self),
                                  try r.decode(column: "owner_id", as: String?.self), try r.decode(column: "currency", as: String.self),
                                  try r.decode(column: "net", as: Int64.self)), [])
                }
                plans[id]!.items.append(Instalment(dueDate: try r.decode(column: "due_date", as: String.self), amount: try r.decode(column: "amount", as: Int64.self)))
            }
            var out: [OverdueCollection] = []
            for id in order {
                let p = plans[id]!
                for i in Instalment.settle(p.items, netPaid: p.row.4, today: today) where i.overdue {
                    out.append(OverdueCollection(orderID: id, number: p.row.0, customerID: p.row.1, ownerID: p.row.2, dueDate: i.dueDate,
                                                 due: Money(minor: i.amount - i.covered, currency: p.row.3)))
                }
            }
            return Array(out.sorted { ($0.dueDate, $0.number) < ($1.dueDate, $1.number) }.prefix(limit))
        }
    }
}
