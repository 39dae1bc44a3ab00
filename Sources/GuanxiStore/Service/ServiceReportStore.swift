import Foundation
import SQLKit
import GuanxiCore

/// What the service reports are computed from: the tickets opened in a period that the scope may
/// read, the names their departments and agents go by, and the period's orders for the complaint rate.
package struct ServiceReportData: Sendable {
    package var from: Date
    package var to: Date
    package var facts: [TicketFact]
    /// Orders placed in the period, nil when the scope may not read orders.
    package var orders: Int?
    package var teamNames: [String: String]
    package var userNames: [String: String]

    /// The period's tickets of type complaint, and per 1,000 orders (nil without orders or the right to read them).
    package var complaints: Int { facts.filter { $0.type == .complaint }.count }
    package var complaintRate: Double? { orders.flatMap { ServiceKPI.complaintRate(complaints: complaints, orders: $0) } }
}

package struct ServiceReportStore: Sendable {
    let db: Database
    package init(db: Database) { self.db = db }

    /// The longest period one report covers.
    package static let maxDays = 366

    package func data(_ scope: Scope, from: Date, to: Date) async throws -> ServiceReportData {
        guard let level = scope.level(.tickets, .read) else { throw DomainError.forbidden("your role may not read tickets") }
        guard to > from else { throw DomainError.field("to", "must be after from") }
        guard to.timeIntervalSince(from) <= Double(Self.maxDays) * 86_400 else {
            throw DomainError.field("to", "a report covers at most \(Self.maxDays) days")
        }
        let (a, b) = (from.millis, to.millis)
        return try await db.read { sql in
            var q = SQLQueryString("""
                SELECT \(unsafeRaw: TicketStore.columns) \(unsafeRaw: TicketStore.from)
                WHERE t.workspace_id = \(bind: scope.workspaceID) AND t.created_at >= \(bind: a) AND t.created_at < \(bind: b)
                """)
            q += TicketStore.readLimit(scope, level)
            let tickets = try await sql.raw(q).all().map { try TicketStore.decode($0).ticket }
            // reopened: a status change to "reopened" recorded since the period began (it follows the opening)
            let reopened = Set(try await sql.raw("""
                SELECT DISTINCT object_id FROM audit_log
                WHERE workspace_id = \(bind: scope.workspaceID) AND at >= \(bind: a) AND object = 'tickets' AND action = 'status'
                  AND detail_json LIKE '%"to":"reopened"%'
                """).all().compactMap { try $0.decode(column: "object_id", as: String?.self) })
            // each ticket's latest answered survey (the last one wins)
            var answers: [String: (Int, Int?)] = [:]
            for r in try await sql.raw("""
                SELECT s.ticket_id, s.rating, s.nps FROM ticket_surveys s JOIN tickets t ON t.id = s.ticket_id
                WHERE s.workspace_id = \(bind: scope.workspaceID) AND s.answered_at IS NOT NULL AND t.created_at >= \(bind: a) AND t.created_at < \(bind: b)
                ORDER BY s.answered_at, s.id
                """).all() {
                answers[try r.decode(column: "ticket_id", as: String.self)] = (try r.decode(column: "rating", as: Int.self), try r.decode(column: "nps", as: Int?.self))
            }
            let facts = tickets.map { t in
                TicketFact(id: t.id, teamID: t.teamID, assigneeID: t.assigneeID, type: t.type, status: t.status, createdAt: t.createdAt,
                           sla: t.sla, reopened: reopened.contains(t.id), rating: answers[t.id]?.0, nps: answers[t.id]?.1)
            }
            var orders: Int?
            if scope.level(.orders, .read) != nil {
                orders = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM orders WHERE workspace_id = \(bind: scope.workspaceID) AND placed_at >= \(bind: a) AND placed_at < \(bind: b)
                    """).first()?.decode(column: "n", as: Int.self)
            }
            var teams: [String: String] = [:], users: [String: String] = [:]
            for r in try await sql.raw("SELECT id, name FROM teams WHERE workspace_id = \(bind: scope.workspaceID)").all() {
                teams[try r.decode(column: "id", as: String.self)] = try r.decode(column: "name", as: String.self)
            }
            for r in try await sql.raw("""
                SELECT u.id, u.name FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.workspace_id = \(bind: scope.workspaceID)
                """).all() {
                users[try r.decode(column: "id", as: String.self)] = try r.decode(column: "name", as: String.self)
            }
            return ServiceReportData(from: from, to: to, facts: facts, orders: orders, teamNames: teams, userNames: users)
        }
    }
}
