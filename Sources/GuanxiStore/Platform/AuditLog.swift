import Foundation
import Crypto
import SQLKit
import GuanxiCore

/// One thing that happened, as the caller describes it; the log adds who, when and the chain.
package struct AuditEvent: Sendable {
    package var action: String
    package var object: String
    package var objectID: String?
    package var detail: JSONValue?
    package init(_ action: String, _ object: String, _ objectID: String? = nil, detail: JSONValue? = nil) {
        self.action = action; self.object = object; self.objectID = objectID; self.detail = detail
    }
}

/// An entry as stored: `hash` = SHA-256 over the previous entry's hash and this entry's fields,
/// so changing, inserting, deleting or reordering any entry breaks every hash after it.
package struct AuditEntry: Codable, Sendable, Equatable {
    package var seq: Int64
    package var id: String
    package var at: Date
    package var actorUserID: String?
    package var actorTokenID: String?
    package var action: String
    package var object: String
    package var objectID: String?
    package var detail: JSONValue?
    package var prevHash: String
    package var hash: String

    enum CodingKeys: String, CodingKey {
        case seq, id, at, action, object, detail, hash
        case actorUserID = "actor_user_id", actorTokenID = "actor_token_id", objectID = "object_id", prevHash = "prev_hash"
    }

    /// The bytes the hash covers: the previous hash, then the fields as one JSON array.
    static func digest(workspaceID: String, seq: Int64, id: String, at: Int64, actorUserID: String?, actorTokenID: String?,
                       action: String, object: String, objectID: String?, detailJSON: String?, prevHash: String) -> String {
        var w = JSONWriter()
        w.array { w in
            w.string(workspaceID); w.int(seq); w.string(id); w.int(at)
            if let v = actorUserID { w.string(v) } else { w.null() }
            if let v = actorTokenID { w.string(v) } else { w.null() }
            w.string(action); w.string(object)
            if let v = objectID { w.string(v) } else { w.null() }
            if let v = detailJSON { w.string(v) } else { w.null() }
        }
        var bytes = Array(prevHash.utf8)
        bytes.append(0x0A)
        bytes += w.bytes
        return Hex.string(SHA256.hash(data: bytes))
    }
}

/// The tamper-evident audit log: appends (inside the caller's transaction, so an entry exists
/// exactly when its change does), queries and verification.
package struct AuditLog: Sendable {
    let db: Database
    package init(db: Database) { self.db = db }

    package static let genesis = String(repeating: "0", count: 64)

    /// Appends events in the caller's transaction (stores call it through `Tx.audit`). The chain
    /// head row serialises writers (PostgreSQL: row lock; SQLite: there is one writer).
    /// The workspace chain's head, created on first use; the no-op update returns it and, on
    /// PostgreSQL, locks the row until the transaction ends — so changes to one workspace are written
    /// one after another there (`Database.write(_:at:_:)` takes it first).
    @discardableResult
    static func lockHead(_ workspaceID: String, sql: any SQLDatabase) async throws -> any SQLRow {
        try await sql.raw("""
            INSERT INTO audit_heads (workspace_id, seq, hash) VALUES (\(bind: workspaceID), 0, \(bind: genesis))
            ON CONFLICT (workspace_id) DO UPDATE SET seq = audit_heads.seq RETURNING seq, hash
            """).first()!
    }

    package static func append(_ events: [AuditEvent], workspaceID: String, actorUserID: String?, actorTokenID: String?,
                              at now: Date, dialect: DatabaseDialect, sql: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let head = try await lockHead(workspaceID, sql: sql)
        var seq = try head.decode(column: "seq", as: Int64.self)
        var prev = try head.decode(column: "hash", as: String.self)
        let at = now.millis
        var rows: [[any Encodable & Sendable]] = []
        rows.reserveCapacity(events.count)
        for e in events {
            seq += 1
            let id = ID.make(at: now)
            let detail = e.detail.map { d -> String in var w = JSONWriter(); w.value(d); return String(decoding: w.bytes, as: UTF8.self) }
            let hash = AuditEntry.digest(workspaceID: workspaceID, seq: seq, id: id, at: at, actorUserID: actorUserID,
                                         actorTokenID: actorTokenID, action: e.action, object: e.object, objectID: e.objectID,
                                         detailJSON: detail, prevHash: prev)
            rows.append([workspaceID, seq, id, at, actorUserID, actorTokenID, e.action, e.object, e.objectID, detail, prev, hash])
            prev = hash
        }
        _ = try await BulkSQL.insert("audit_log", "workspace_id, seq, id, at, actor_user_id, actor_token_id, action, object, object_id, detail_json, prev_hash, hash",
                                     rows, sql: sql)
        try await sql.raw("UPDATE audit_heads SET seq = \(bind: seq), hash = \(bind: prev) WHERE workspace_id = \(bind: workspaceID)").run()
    }

    /// Entries newest first, filtered by actor, object, record and time; keyset by `seq`.
    package func list(_ scope: Scope, actorUserID: String? = nil, object: String? = nil, objectID: String? = nil,
                     from: Date? = nil, to: Date? = nil, before: Int64? = nil, limit: Int = 50) async throws -> Page<AuditEntry> {
        try scope.require(.audit, .read)
        let limit = min(max(limit, 1), 500)
        return try await db.read { sql in
            var q = SQLQueryString("SELECT * FROM audit_log WHERE workspace_id = \(bind: scope.workspaceID)")
            if let v = actorUserID { q += " AND actor_user_id = \(bind: v)" }
            if let v = object { q += " AND object = \(bind: v)" }
            if let v = objectID { q += " AND object_id = \(bind: v)" }
            if let v = from { q += " AND at >= \(bind: v.millis)" }
            if let v = to { q += " AND at < \(bind: v.millis)" }
            if let v = before { q += " AND seq < \(bind: v)" }
            q += " ORDER BY seq DESC LIMIT \(literal: limit + 1)"
            let rows = try await sql.raw(q).all().map(Self.decode)
            let items = Array(rows.prefix(limit))
            return Page(items: items, nextCursor: rows.count > limit ? items.last.map { String($0.seq) } : nil)
        }
    }

    static func decode(_ r: any SQLRow) throws -> AuditEntry {
        func opt(_ c: String) throws -> String? { try r.decodeNil(column: c) ? nil : r.decode(column: c, as: String.self) }
        return AuditEntry(seq: try r.decode(column: "seq", as: Int64.self), id: try r.decode(column: "id", as: String.self),
                          at: Date(millis: try r.decode(column: "at", as: Int64.self)),
                          actorUserID: try opt("actor_user_id"), actorTokenID: try opt("actor_token_id"),
                          action: try r.decode(column: "action", as: String.self), object: try r.decode(column: "object", as: String.self),
                          objectID: try opt("object_id"), detail: try opt("detail_json").flatMap { try? JSONParser.parse($0) },
                          prevHash: try r.decode(column: "prev_hash", as: String.self), hash: try r.decode(column: "hash", as: String.self))
    }

    package struct Verification: Codable, Sendable, Equatable {
        package var workspaceID: String
        package var entries: Int64
        package var ok: Bool
        /// The first entry that does not fit the chain, and why.
        package var brokenAt: Int64?
        package var problem: String?
        enum CodingKeys: String, CodingKey { case workspaceID = "workspace_id", entries, ok, brokenAt = "broken_at", problem }
        package init(workspaceID: String, entries: Int64, ok: Bool, brokenAt: Int64? = nil, problem: String? = nil) {
            self.workspaceID = workspaceID; self.entries = entries; self.ok = ok; self.brokenAt = brokenAt; self.problem = problem
        }
    }

    /// Recomputes every chain (or one workspace's) from the first entry to the recorded head.
    package func verify(workspaceID: String? = nil) async throws -> [Verification] {
        try await db.read { sql in
            var q = SQLQueryString("SELECT workspace_id, seq, hash FROM audit_heads")
            if let w = workspaceID { q += " WHERE workspace_id = \(bind: w)" }
            q += " ORDER BY workspace_id"
            var out: [Verification] = []
            for head in try await sql.raw(q).all() {
                let ws = try head.decode(column: "workspace_id", as: String.self)
                let headSeq = try head.decode(column: "seq", as: Int64.self)
                let headHash = try head.decode(column: "hash", as: String.self)
                var v = Verification(workspaceID: ws, entries: 0, ok: true)
                func fail(_ seq: Int64, _ why: String) { if v.ok { v.ok = false; v.brokenAt = seq; v.problem = why } }
                var expectSeq: Int64 = 1
                var prev = Self.genesis
                var after: Int64 = 0
                // Pages of 5,000 keep memory flat on long logs.
                while v.ok {
                    let rows = try await sql.raw("""
                        SELECT * FROM audit_log WHERE workspace_id = \(bind: ws) AND seq > \(bind: after) ORDER BY seq LIMIT 5000
                        """).all()
                    if rows.isEmpty { break }
                    for r in rows {
                        let seq = try r.decode(column: "seq", as: Int64.self)
                        after = seq
                        func opt(_ c: String) throws -> String? { try r.decodeNil(column: c) ? nil : r.decode(column: c, as: String.self) }
                        let stored = try r.decode(column: "hash", as: String.self)
                        let prevStored = try r.decode(column: "prev_hash", as: String.self)
                        if seq != expectSeq { fail(expectSeq, "entry \(expectSeq) is missing (next is \(seq))"); break }
                        if prevStored != prev { fail(seq, "entry \(seq) does not follow entry \(seq - 1) (deleted, inserted or reordered)"); break }
                        let computed = AuditEntry.digest(workspaceID: ws, seq: seq, id: try r.decode(column: "id", as: String.self),
                                                         at: try r.decode(column: "at", as: Int64.self),
                                                         actorUserID: try opt("actor_user_id"), actorTokenID: try opt("actor_token_id"),
                                                         action: try r.decode(column: "action", as: String.self),
                                                         object: try r.decode(column: "object", as: String.self),
                                                         objectID: try opt("object_id"), detailJSON: try opt("detail_json"), prevHash: prevStored)
                        if computed != stored { fail(seq, "entry \(seq) was changed after it was written"); break }
                        prev = stored
                        expectSeq += 1
                        v.entries += 1
                    }
                }
                if v.ok && v.entries != headSeq { fail(v.entries + 1, "the log ends at entry \(v.entries) but \(headSeq) were written") }
                if v.ok && prev != headHash { fail(headSeq, "the last entry is not the one that was written") }
                out.append(v)
            }
            return out
        }
    }
}
