import Foundation
import SQLKit
import GuanxiCore

extension TicketStore {
    /// Inserts tickets already made whole (numbers, SLA clocks) and their messages in the caller's
    /// transaction, many rows per statement, and moves the workspace's ticket counter past them:
    /// for demo data and benchmarks, not for tickets people open (`create`).
    /// Their search documents are written with them.
    package static func insertBulk(_ tickets: [Ticket], messages: [TicketMessage], workspaceID: String, dialect: DatabaseDialect,
                                   sql: any SQLDatabase) async throws {
        _ = try await BulkSQL.insert("tickets", """
            id, workspace_id, number, customer_id, subject, type, priority, status, channel, team_id, assignee_id, order_id, tags, policy_id,
            first_response_due_at, first_responded_at, awaiting_reply_since, next_response_due_at, resolution_due_at, resolved_at,
            paused_since, pauses_json, created_by, created_at, updated_at, version, product_id, custom_json
            """, tickets.map { t in
                let s = t.sla
                let row: [any Encodable & Sendable] = [
                    t.id, workspaceID, t.number, t.customerID, t.subject, t.type.rawValue, t.priority.rawValue, t.status.rawValue,
                    t.channel.rawValue, t.teamID, t.assigneeID, t.orderID, t.tags.joined(separator: "\n"), s.policyID,
                    s.firstResponseDueAt?.millis, s.firstRespondedAt?.millis, s.awaitingReplySince?.millis, s.nextResponseDueAt?.millis,
                    s.resolutionDueAt?.millis, s.resolvedAt?.millis, s.pausedSince?.millis, pausesJSON(s), t.createdBy,
                    t.createdAt.millis, t.updatedAt.millis, t.version, t.productID, JSONCoding.encode(JSONValue.object(t.custom))]
                return row
            }, sql: sql)
        _ = try await BulkSQL.insert("ticket_messages", "id, workspace_id, ticket_id, kind, author_id, body, created_at", messages.map { m in
            [m.id, workspaceID, m.ticketID, m.kind.rawValue, m.authorID, m.body, m.createdAt.millis] as [any Encodable & Sendable]
        }, sql: sql)
        var conversation: [String: [(note: Bool, body: String)]] = [:]
        for m in messages { conversation[m.ticketID, default: []].append((m.kind == .note, m.body)) }
        try await TicketSearchIndex.insert(tickets.map {
            .init(ticketID: $0.id, workspaceID: workspaceID, subject: $0.subject, messages: conversation[$0.id] ?? [])
        }, dialect: dialect, sql: sql)
        guard let last = tickets.map(\.number).max() else { return }
        try await sql.raw("""
            INSERT INTO doc_counters (workspace_id, kind, year, next) VALUES (\(bind: workspaceID), 'ticket', 0, \(bind: last + 1))
            ON CONFLICT (workspace_id, kind, year) DO UPDATE SET next = CASE WHEN doc_counters.next > excluded.next THEN doc_counters.next ELSE excluded.next END
            """).run()
    }
}
