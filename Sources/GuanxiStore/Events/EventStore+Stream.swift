import Foundation
import SQLKit
import GuanxiCore

/// Which of the workspace's events to read: by name, kind, time (`from` included, `to` not) and
/// property values (compared as text).
package struct EventQuery: Sendable, Equatable {
    package var event: String?
    package var type: EventType?
    package var from: Date?
    package var to: Date?
    package var properties: [(key: String, value: String)] = []
    package init(event: String? = nil, type: EventType? = nil, from: Date? = nil, to: Date? = nil, properties: [(key: String, value: String)] = []) {
        self.event = event; self.type = type; self.from = from; self.to = to; self.properties = properties
    }
    package static func == (a: EventQuery, b: EventQuery) -> Bool {
        a.event == b.event && a.type == b.type && a.from == b.from && a.to == b.to && a.properties.map { $0.key + "=" + $0.value } == b.properties.map { $0.key + "=" + $0.value }
    }
    /// At most this many property conditions.
    package static let maxProperties = 5
}

extension EventStore {
    /// The workspace's events matching `q`, newest first, keyset-paged.
    package func stream(_ scope: Scope, _ q: EventQuery, cursor: String?, limit: Int) async throws -> Page<StoredEvent> {
        try Self.check(q)
        let limit = min(max(limit, 1), 1_000)
        let after = try cursor.map(Self.position)
        let rows = try await db.read { sql in try await Self.page(scope.workspaceID, q, after: after, limit: limit + 1, dialect: db.dialect, sql: sql) }
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { Cursor.timeAndID($0.timestamp, String($0.seq)) } : nil)
    }

    /// One page of an export: the matching events after `after` (the last page's last event's
    /// time and sequence), newest first. Exports read page after page, so memory stays bounded
    /// however many events match.
    package func exportPage(_ scope: Scope, _ q: EventQuery, after: (Int64, Int64)?, page: Int = 1_000) async throws -> [StoredEvent] {
        try Self.check(q)
        return try await db.read { sql in try await Self.page(scope.workspaceID, q, after: after, limit: page, dialect: db.dialect, sql: sql) }
    }

    package static func check(_ q: EventQuery) throws {
        if q.properties.count > EventQuery.maxProperties { throw DomainError.field("property", "at most \(EventQuery.maxProperties) property conditions") }
        for p in q.properties where p.key.isEmpty || p.key.count > 100 || p.key.contains("\"") || p.key.contains("\\") {
            throw DomainError.field("property", "'\(p.key.prefix(100))' is not a property name")
        }
        if let f = q.from, let t = q.to, f >= t { throw DomainError.field("to", "must be after from") }
    }

    static func position(_ cursor: String) throws -> (Int64, Int64) {
        let (t, s) = try Cursor.timeAndID(cursor)
        guard let seq = Int64(s) else { throw DomainError.field("cursor", "is not a cursor this server issued") }
        return (t, seq)
    }

    static func page(_ ws: String, _ q: EventQuery, after: (Int64, Int64)?, limit: Int, dialect: DatabaseDialect, sql: any SQLDatabase) async throws -> [StoredEvent] {
        var s = SQLQueryString("""
            SELECT seq, type, event, message_id, anonymous_id, user_id, customer_id, source_id, occurred_at, received_at, properties_json FROM events
            WHERE workspace_id = \(bind: ws)
            """)
        if let e = q.event { s += " AND event = \(bind: e)" }
        if let t = q.type { s += " AND type = \(bind: t.rawValue)" }
        if let f = q.from { s += " AND occurred_at >= \(bind: f.millis)" }
        if let t = q.to { s += " AND occurred_at < \(bind: t.millis)" }
        for p in q.properties {
            if dialect == .sqlite {
                // the key is bound as a JSON path ("…" quoted: dots and spaces are part of the name)
                let path = "$.\"" + p.key + "\""
                s += """
                     AND (CASE json_type(properties_json, \(bind: path)) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                     ELSE CAST(json_extract(properties_json, \(bind: path)) AS TEXT) END) = \(bind: p.value)
                    """
            } else {
                s += " AND (properties_json::jsonb ->> CAST(\(bind: p.key) AS TEXT)) = \(bind: p.value)"
            }
        }
        if let (t, seq) = after { s += " AND (occurred_at < \(bind: t) OR (occurred_at = \(bind: t) AND seq < \(bind: seq)))" }
        s += " ORDER BY occurred_at DESC, seq DESC LIMIT \(literal: limit)"
        return try await sql.raw(s).all().map(decodeEvent)
    }

    // MARK: Settings and retention

    package func settings(_ scope: Scope) async throws -> EventSettings {
        try await db.read { sql in try await Self.settings(scope.workspaceID, sql: sql) }
    }

    /// Sets how long events are kept (nil: for ever; 1…3650 days) and which customer fields events
    /// may overwrite after staff edited them; `ifVersion` from If-Match.
    package func updateSettings(_ scope: Scope, retentionDays: Int?, overwrite: [String], ifVersion: Int?) async throws -> EventSettings {
        if let d = retentionDays, !(1...3650).contains(d) { throw DomainError.field("retention_days", "must be between 1 and 3650 days") }
        var fields: [TraitMerge.Field] = []
        for name in overwrite {
            guard let f = TraitMerge.Field(rawValue: name) else { throw DomainError.field("overwrite", "'\(name.prefix(40))' is not a field events fill") }
            if !fields.contains(f) { fields.append(f) }
        }
        let chosen = fields
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            let old = try await Self.settings(scope.workspaceID, sql: tx.sql)
            if let v = ifVersion, v != old.version { throw DomainError.staleVersion(current: old.version) }
            try await tx.sql.raw("""
                INSERT INTO event_settings (workspace_id, retention_days, overwrite_json, updated_at, version)
                VALUES (\(bind: scope.workspaceID), \(bind: retentionDays), \(bind: JSONCoding.encode(chosen.map(\.rawValue))), \(bind: now.millis), \(bind: old.version + 1))
                ON CONFLICT (workspace_id) DO UPDATE SET retention_days = excluded.retention_days, overwrite_json = excluded.overwrite_json,
                  updated_at = excluded.updated_at, version = event_settings.version + 1
                """).run()
            try await tx.audit("update", "event_settings", scope.workspaceID, detail: .object([
                "retention_days": retentionDays.map { .number(Double($0)) } ?? .null, "overwrite": .array(chosen.map { .string($0.rawValue) })]))
        }
        return try await settings(scope)
    }

    /// Deletes events older than each workspace's retention: on PostgreSQL the months entirely
    /// past it are dropped whole (`dropExpiredPartitions`), then what is left, `batch` rows per
    /// transaction so the writer is never held long; answers how many were deleted.
    package func purge(batch: Int = 5_000) async throws -> Int {
        let now = clock.now()
        let workspaces = try await db.read { sql in
            try await sql.raw("SELECT workspace_id, retention_days FROM event_settings WHERE retention_days IS NOT NULL").all().map {
                (try $0.decode(column: "workspace_id", as: String.self), try $0.decode(column: "retention_days", as: Int.self))
            }
        }
        let cutoffs = Dictionary(workspaces.map { ($0.0, now.addingTimeInterval(-Double($0.1) * 86_400).millis) }) { a, _ in a }
        var total = try await dropExpiredPartitions(cutoffs: cutoffs)
        for (ws, cutoff) in cutoffs.sorted(by: { $0.key < $1.key }) {
            while true {
                let n = try await db.write { sql in
                    let seqs = try await sql.raw("""
                        SELECT seq FROM events WHERE workspace_id = \(bind: ws) AND occurred_at < \(bind: cutoff) ORDER BY occurred_at LIMIT \(literal: batch)
                        """).all().map { try $0.decode(column: "seq", as: Int64.self) }
                    for chunk in seqs.chunked(1_000) where !chunk.isEmpty {
                        // through the workspace-and-time index: on PostgreSQL seq alone is unindexed in each month
                        try await sql.raw("""
                            DELETE FROM events WHERE workspace_id = \(bind: ws) AND occurred_at < \(bind: cutoff) AND seq IN (\(binds: Array(chunk)))
                            """).run()
                    }
                    return seqs.count
                }
                total += n
                if n < batch { break }
            }
        }
        return total
    }
}

extension StoredEvent {
    /// The event as the API writes it (the same members as its encoding).
    package var json: JSONValue {
        func s(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        return .object(["type": .string(type), "event": s(event), "timestamp": .string(Timestamp.iso8601(timestamp)), "properties": properties,
                        "message_id": .string(messageID), "anonymous_id": s(anonymousID), "user_id": s(userID), "source_id": .string(sourceID),
                        "received_at": .string(Timestamp.iso8601(receivedAt)), "customer_id": s(customerID)])
    }
}

/// How an export writes events: NDJSON (one event a line, as the API shows it) or CSV (a header
/// row, properties as JSON, cells that look like formulas neutralised). The API and the command
/// line write the same lines.
package enum EventExport {
    package enum Format: String, Sendable, CaseIterable { case ndjson, csv }

    package static func header(_ f: Format) -> String {
        f == .csv ? CSVWriter.row(["timestamp", "type", "event", "customer_id", "anonymous_id", "user_id", "message_id", "source_id", "received_at", "properties"]) : ""
    }

    package static func line(_ e: StoredEvent, _ f: Format) -> String {
        switch f {
        case .ndjson: JSONCoding.encode(e.json) + "\n"
        case .csv: CSVWriter.row([Timestamp.iso8601(e.timestamp), e.type, e.event ?? "", e.customerID ?? "", e.anonymousID ?? "", e.userID ?? "",
                                  e.messageID, e.sourceID, Timestamp.iso8601(e.receivedAt), JSONCoding.encode(e.properties)])
        }
    }

    /// Writes every event matching `q` through `write`, a page at a time; answers how many.
    package static func run(_ store: EventStore, _ scope: Scope, _ q: EventQuery, _ f: Format, page: Int = 1_000,
                            write: (String) async throws -> Void) async throws -> Int {
        let head = header(f)
        if !head.isEmpty { try await write(head) }
        var after: (Int64, Int64)? = nil, n = 0
        while true {
            let rows = try await store.exportPage(scope, q, after: after, page: page)
            if !rows.isEmpty { try await write(rows.map { line($0, f) }.joined()) }
            n += rows.count
            guard rows.count == page, let last = rows.last else { return n }
            after = (last.timestamp.millis, last.seq)
        }
    }
}
