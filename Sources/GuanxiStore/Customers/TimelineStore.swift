import Foundation
import SQLKit
import GuanxiCore

/// A page of results and the cursor for the next one (nil at the end).
public struct Page<T: Sendable & Encodable>: Sendable, Encodable {
    public var items: [T]
    public var nextCursor: String?
    enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }
}

extension Page: JSONWritable where T: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in w.key("items"); w.write(items); w.member("next_cursor", nextCursor) }
    }
    public var jsonSizeHint: Int { items.jsonSizeHint + 256 }
}

/// Opaque keyset cursors: base64url of a JSON array of the sort key and the id.
enum Cursor {
    static func encode(_ values: [JSONValue]) -> String {
        Data(JSONCoding.encode(values).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    /// The usual keyset: a time in milliseconds and an id.
    static func timeAndID(_ time: Date, _ id: String) -> String { encode([.number(Double(time.millis)), .string(id)]) }

    static func timeAndID(_ s: String) throws -> (Int64, String) {
        let v = try decode(s)
        guard case .number(let d) = v[0], let t = Int64(exactly: d), let id = v[1].stringValue else { throw DomainError.field("cursor", "is invalid") }
        return (t, id)
    }

    static func decode(_ s: String) throws -> [JSONValue] {
        var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        guard let d = Data(base64Encoded: b), let v = try? JSONDecoder().decode([JSONValue].self, from: d), v.count == 2 else {
            throw DomainError.field("cursor", "is not a cursor this server issued")
        }
        return v
    }
}

/// One timeline per customer: notes, interactions and recorded changes, newest first.
public struct TimelineStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    public init(db: Database, clock: any GuanxiCore.Clock = SystemClock()) { self.db = db; self.clock = clock }

    /// Adds a note (`kind == nil`) or an interaction to a customer's timeline.
    public func add(_ scope: Scope, customerID: String, _ draft: ActivityDraft, isNote: Bool) async throws -> TimelineEntry {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let now = clock.now()
        return try await db.write { sql in
            let c = try await CustomerStore.load(scope, customerID.lowercased(), for: .update, sql: sql)
            return try await Self.log(scope, customerID: c.id, draft, isNote: isNote, now: now, dialect: db.dialect, sql: sql)
        }
    }

    /// The one way a note or interaction is logged on a customer (the caller has checked the customer
    /// may be updated), inside the caller's transaction: a recorded visit goes through here too.
    static func log(_ scope: Scope, customerID: String, _ draft: ActivityDraft, isNote: Bool, now: Date, dialect: DatabaseDialect,
                    data: [String: JSONValue]? = nil, sql: any SQLDatabase) async throws -> TimelineEntry {
        let id = ID.make(at: now)
        var entry = isNote ? try draft.note(id: id, customerID: customerID, author: scope.userID, now: now)
                           : try draft.interaction(id: id, customerID: customerID, author: scope.userID, now: now)
        entry.data = data
        try await Self.append([entry], workspaceID: scope.workspaceID, sql: sql)
        // a contact with the customer keeps their open deals from counting as idle
        if !isNote {
            try await sql.raw("""
                UPDATE deals SET last_activity_at = \(bind: now.millis) WHERE workspace_id = \(bind: scope.workspaceID)
                AND customer_id = \(bind: customerID) AND status = 'open'
                """).run()
        }
        try await AuditLog.append([AuditEvent("create", isNote ? "notes" : "interactions", entry.id, detail: ["customer_id": .string(customerID)])],
                                  scope: scope, at: now, dialect: dialect, sql: sql)
        return entry
    }

    /// Newest first; `kinds` narrows to some entry kinds (e.g. only notes).
    public func list(_ scope: Scope, customerID: String, kinds: [TimelineKind]? = nil, cursor: String?, limit: Int) async throws -> Page<TimelineEntry> {
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

    /// The one way rows get onto a timeline; later features call this too.
    static func append(_ entries: [TimelineEntry], workspaceID: String, sql: any SQLDatabase) async throws {
        try await CustomerRows.insertRows(
            "timeline",
            "id, workspace_id, customer_id, kind, occurred_at, channel, direction, subject, body, duration_seconds, outcome, author_id, data_json, created_at",
            entries.map { e in
                [e.id, workspaceID, e.customerID, e.kind.rawValue, e.occurredAt.millis, e.channel?.rawValue, e.direction?.rawValue,
                 e.subject, e.body, e.durationSeconds, e.outcome, e.authorID, e.data.map { JSONCoding.encode($0) }, e.createdAt.millis]
            }, sql: sql)
    }
}

/// Custom field definitions per workspace.
public struct CustomFieldStore: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    public func list(_ scope: Scope) async throws -> [CustomFieldDefinition] {
        try await db.read { try await Self.definitions(scope.workspaceID, sql: $0) }
    }

    static func definitions(_ workspaceID: String, sql: any SQLDatabase) async throws -> [CustomFieldDefinition] {
        try await sql.raw("""
            SELECT key, label, type, options_json, required, sensitive, version FROM custom_field_defs
            WHERE workspace_id = \(bind: workspaceID) ORDER BY position, key
            """).all().map { r in
            CustomFieldDefinition(
                key: try r.decode(column: "key", as: String.self), label: try r.decode(column: "label", as: String.self),
                type: CustomFieldType(rawValue: try r.decode(column: "type", as: String.self)) ?? .text,
                options: JSONCoding.decode([String].self, try r.decode(column: "options_json", as: String.self)) ?? [],
                required: try r.decode(column: "required", as: Int.self) != 0,
                sensitive: try r.decode(column: "sensitive", as: Int.self) != 0,
                version: try r.decode(column: "version", as: Int.self))
        }
    }

    public func create(_ scope: Scope, _ def: CustomFieldDefinition) async throws -> CustomFieldDefinition {
        try scope.require(.settings, .update)
        try def.validateDefinition()
        let d = { var d = def; d.version = 1; return d }()
        return try await db.write { sql in
            if try await sql.raw("SELECT 1 AS x FROM custom_field_defs WHERE workspace_id = \(bind: scope.workspaceID) AND key = \(bind: d.key)").first() != nil {
                throw DomainError.duplicate(field: "key", existingID: d.key, message: "a custom field '\(d.key)' already exists")
            }
            let pos = try await sql.raw("SELECT COUNT(*) AS n FROM custom_field_defs WHERE workspace_id = \(bind: scope.workspaceID)").first()!.decode(column: "n", as: Int.self)
            try await sql.raw("""
                INSERT INTO custom_field_defs (workspace_id, key, label, type, options_json, required, sensitive, position, version, created_at)
                VALUES (\(bind: scope.workspaceID), \(bind: d.key), \(bind: d.label), \(bind: d.type.rawValue), \(bind: JSONCoding.encode(d.options)),
                        \(bind: d.required ? 1 : 0), \(bind: d.sensitive ? 1 : 0), \(bind: pos), 1, \(bind: Date().millis))
                """).run()
            try await AuditLog.append([AuditEvent("create", "custom_fields", d.key, detail: AuditDetail.encoded(d))],
                                      scope: scope, at: Date(), dialect: db.dialect, sql: sql)
            return d
        }
    }

    public func delete(_ scope: Scope, key: String) async throws {
        try scope.require(.settings, .update)
        try await db.write { sql in
            let gone = try await sql.raw("DELETE FROM custom_field_defs WHERE workspace_id = \(bind: scope.workspaceID) AND key = \(bind: key) RETURNING key").first()
            if gone == nil { throw DomainError.notFound("custom field") }
            try await AuditLog.append([AuditEvent("delete", "custom_fields", key)], scope: scope, at: Date(), dialect: db.dialect, sql: sql)
        }
    }
}
