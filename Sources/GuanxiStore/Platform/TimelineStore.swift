import Foundation
import SQLKit
import GuanxiCore

/// One timeline per customer: notes, interactions and recorded changes, newest first.
package struct TimelineStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    /// Adds a note (`kind == nil`) or an interaction to a customer's timeline.
    package func add(_ scope: Scope, customerID: String, _ draft: ActivityDraft, isNote: Bool) async throws -> TimelineEntry {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let c = try await CustomerStore.load(scope, customerID.lowercased(), for: .update, sql: tx.sql)
            return try await Self.log(customerID: c.id, draft, isNote: isNote, tx: tx)
        }
    }

    /// The one way a note or interaction is logged on a customer (the caller has checked the customer
    /// may be updated), inside the caller's transaction: a recorded visit goes through here too.
    static func log(customerID: String, _ draft: ActivityDraft, isNote: Bool, data: [String: JSONValue]? = nil,
                    tx: Tx) async throws -> TimelineEntry {
        let (scope, now) = (tx.scope, tx.now)
        let id = ID.make(at: now)
        var entry = isNote ? try draft.note(id: id, customerID: customerID, author: scope.userID, now: now)
                           : try draft.interaction(id: id, customerID: customerID, author: scope.userID, now: now)
        entry.data = data
        try await tx.timeline([entry])
        // a contact with the customer keeps their open deals from counting as idle
        if !isNote {
            try await tx.sql.raw("""
                UPDATE deals SET last_activity_at = \(bind: now.millis) WHERE workspace_id = \(bind: scope.workspaceID)
                AND customer_id = \(bind: customerID) AND status = 'open'
                """).run()
        }
        try await tx.audit("create", isNote ? "notes" : "interactions", entry.id, detail: ["customer_id": .string(customerID)])
        return entry
    }

    /// Newest first; `kinds` narrows to some entry kinds (e.g. only notes).
    package func list(_ scope: Scope, customerID: String, kinds: [TimelineKind]? = nil, cursor: String?, limit: Int) async throws -> Page<TimelineEntry> {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        return try await db.read { sql in
            _ = try await CustomerStore.load(scope, customerID.lowercased(), for: .read, sql: sql)
            return try await Self.page(scope.workspaceID, subjectID: customerID.lowercased(), kinds: kinds, cursor: cursor, limit: limit, sql: sql)
        }
    }

    /// One page of a timeline (a customer's, or a lead's under the lead's id); the caller has checked access.
    static func page(_ workspaceID: String, subjectID: String, kinds: [TimelineKind]? = nil, cursor: String?, limit: Int,
                     sql: any SQLDatabase) async throws -> Page<TimelineEntry> {
        let limit = min(max(limit, 1), 200)
        var q = SQLQueryString("""
            SELECT id, customer_id, kind, occurred_at, channel, direction, subject, body, duration_seconds, outcome,
                   author_id, data_json, created_at FROM timeline
            WHERE workspace_id = \(bind: workspaceID) AND customer_id = \(bind: subjectID) AND deleted_at IS NULL
            """)
        if let kinds { q += " AND kind IN (\(binds: kinds.map(\.rawValue)))" }
        if let cursor {
            let (t, id) = try Cursor.timeAndID(cursor)
            q += " AND (occurred_at, id) < (\(bind: t), \(bind: id))"
        }
        q += " ORDER BY occurred_at DESC, id DESC LIMIT \(literal: limit + 1)"
        let rows = try await sql.raw(q).all().map(decode)
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { Cursor.timeAndID($0.occurredAt, $0.id) } : nil)
    }

    static func decode(_ r: any SQLRow) throws -> TimelineEntry {
        TimelineEntry(
            id: try r.decode(column: "id", as: String.self), customerID: try r.decode(column: "customer_id", as: String.self),
            kind: TimelineKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .note,
            occurredAt: Date(millis: try r.decode(column: "occurred_at", as: Int64.self)),
            channel: try r.decode(column: "channel", as: String?.self).flatMap(InteractionKind.init(rawValue:)),
            direction: try r.decode(column: "direction", as: String?.self).flatMap(Direction.init(rawValue:)),
            subject: try r.decode(column: "subject", as: String?.self), body: try r.decode(column: "body", as: String?.self),
            durationSeconds: try r.decode(column: "duration_seconds", as: Int?.self),
            outcome: try r.decode(column: "outcome", as: String?.self), authorID: try r.decode(column: "author_id", as: String?.self),
            data: JSONCoding.decode([String: JSONValue].self, try r.decode(column: "data_json", as: String?.self)),
            createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)))
    }

    /// The one way rows get onto a timeline (stores add theirs through `Tx.timeline`).
    package static func append(_ entries: [TimelineEntry], workspaceID: String, sql: any SQLDatabase) async throws {
        try await CustomerRows.insertRows(
            "timeline",
            "id, workspace_id, customer_id, kind, occurred_at, channel, direction, subject, body, duration_seconds, outcome, author_id, data_json, created_at",
            entries.map { e in
                [e.id, workspaceID, e.customerID, e.kind.rawValue, e.occurredAt.millis, e.channel?.rawValue, e.direction?.rawValue,
                 e.subject, e.body, e.durationSeconds, e.outcome, e.authorID, e.data.map { JSONCoding.encode($0) }, e.createdAt.millis]
            }, sql: sql)
    }
}
