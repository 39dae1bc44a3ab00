import Foundation
import Crypto
import SQLKit
import GuanxiCore

/// A stored answer to a POST made with an Idempotency-Key, replayed when the same request comes again.
package struct StoredResponse: Sendable {
    package var status: Int
    package var body: Data
    package var headers: [String: String]
    package init(status: Int, body: Data, headers: [String: String]) { self.status = status; self.body = body; self.headers = headers }
}

package struct IdempotencyStore: Sendable {
    let db: Database
    package init(db: Database) { self.db = db }

    package static func fingerprint(method: String, path: String, body: Data) -> String {
        var h = SHA256()
        h.update(data: Data("\(method) \(path)\n".utf8))
        h.update(data: body)
        return Hex.string(h.finalize())
    }

    /// Whose keys these are: the API token's when a token was used, else the signed-in user's. The
    /// same key sent with another credential (another user, or another token of the same user) is
    /// another key.
    package static func credential(_ scope: Scope) -> String {
        if let t = scope.tokenID { return "token:" + t }
        return "user:" + (scope.userID ?? "")
    }

    /// Runs `body` while no other server runs a request with the same key: a twin sent to another
    /// server waits and then replays this one's answer. On PostgreSQL the request claims the key
    /// with a placeholder answer (status 0) that its answer replaces, or that is removed when it
    /// stores none; a twin waits while the placeholder is there, and takes over one left for
    /// `abandoned` seconds by a server that stopped. No connection is held meanwhile. On SQLite
    /// (one process) the caller's lock in memory is enough.
    package func exclusively<T: Sendable>(_ scope: Scope, key: String, fingerprint: String, _ body: @Sendable () async throws -> T) async throws -> T {
        guard db.dialect == .postgres else { return try await body() }
        let credential = Self.credential(scope)
        let waitUntil = ContinuousClock.now + .seconds(Self.abandoned + 10)
        while true {
            let now = Date().millis
            let (claimed, holder) = try await db.write { sql -> (Bool, (hash: String, status: Int)?) in
                try await sql.raw("""
                    DELETE FROM idempotency_keys WHERE workspace_id = \(bind: scope.workspaceID) AND credential = \(bind: credential) AND key = \(bind: key)
                      AND status = 0 AND created_at < \(bind: now - Int64(Self.abandoned) * 1000)
                    """).run()
                if try await sql.raw("""
                    INSERT INTO idempotency_keys (workspace_id, credential, key, request_hash, status, body, headers_json, created_at)
                    VALUES (\(bind: scope.workspaceID), \(bind: credential), \(bind: key), \(bind: fingerprint), 0, '', '{}', \(bind: now))
                    ON CONFLICT (workspace_id, credential, key) DO NOTHING RETURNING status
                    """).first() != nil { return (true, nil) }
                let r = try await sql.raw("""
                    SELECT request_hash, status FROM idempotency_keys
                    WHERE workspace_id = \(bind: scope.workspaceID) AND credential = \(bind: credential) AND key = \(bind: key)
                    """).first()
                return (false, try r.map { (try $0.decode(column: "request_hash", as: String.self), try $0.decode(column: "status", as: Int.self)) })
            }
            if claimed { break }
            // answered already (replayed by `body`), another request's key (refused by it), or gone: go on
            guard let h = holder, h.status == 0, h.hash == fingerprint, ContinuousClock.now < waitUntil else { return try await body() }
            try await Task.sleep(for: .milliseconds(25))
        }
        do {
            let value = try await body()
            try await release(scope, key: key)
            return value
        } catch {
            try? await release(scope, key: key)
            throw error
        }
    }

    /// Seconds after which a claim whose request never answered counts as left by a server that stopped.
    static let abandoned = 300

    /// Removes this request's claim when no answer replaced it (a failure, a 5xx).
    private func release(_ scope: Scope, key: String) async throws {
        try await db.write { sql in
            try await sql.raw("""
                DELETE FROM idempotency_keys
                WHERE workspace_id = \(bind: scope.workspaceID) AND credential = \(bind: Self.credential(scope)) AND key = \(bind: key) AND status = 0
                """).run()
        }
    }

    /// The stored response for this key, or nil. A key reused for a different request is refused.
    package func lookup(_ scope: Scope, key: String, fingerprint: String) async throws -> StoredResponse? {
        guard key.count <= 200, !key.isEmpty else { throw DomainError.badRequest("Idempotency-Key must be 1–200 characters") }
        return try await db.read { sql in
            guard let r = try await sql.raw("""
                SELECT request_hash, status, body, headers_json FROM idempotency_keys
                WHERE workspace_id = \(bind: scope.workspaceID) AND credential = \(bind: Self.credential(scope)) AND key = \(bind: key)
                """).first() else { return nil }
            if try r.decode(column: "request_hash", as: String.self) != fingerprint {
                throw DomainError.conflict("this Idempotency-Key was used for a different request")
            }
            // this request's own claim (`exclusively`): no answer yet
            if try r.decode(column: "status", as: Int.self) == 0 { return nil }
            return StoredResponse(status: try r.decode(column: "status", as: Int.self),
                                  body: Data(try r.decode(column: "body", as: String.self).utf8),
                                  headers: JSONCoding.decode([String: String].self, try r.decode(column: "headers_json", as: String.self)) ?? [:])
        }
    }

    /// Remembers a response, in place of this request's claim; a concurrent twin that stored first wins.
    package func save(_ scope: Scope, key: String, fingerprint: String, response: StoredResponse) async throws {
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO idempotency_keys (workspace_id, credential, key, request_hash, status, body, headers_json, created_at)
                VALUES (\(bind: scope.workspaceID), \(bind: Self.credential(scope)), \(bind: key), \(bind: fingerprint), \(bind: response.status),
                        \(bind: String(decoding: response.body, as: UTF8.self)), \(bind: JSONCoding.encode(response.headers)), \(bind: Date().millis))
                ON CONFLICT (workspace_id, credential, key) DO UPDATE SET status = excluded.status, body = excluded.body,
                  headers_json = excluded.headers_json, created_at = excluded.created_at
                WHERE idempotency_keys.status = 0 AND idempotency_keys.request_hash = excluded.request_hash
                """).run()
        }
    }

    /// Forgets a stored answer, so the key may be used again (an import that failed).
    package func forget(_ scope: Scope, key: String) async throws {
        try await db.write { sql in
            try await sql.raw("""
                DELETE FROM idempotency_keys
                WHERE workspace_id = \(bind: scope.workspaceID) AND credential = \(bind: Self.credential(scope)) AND key = \(bind: key)
                """).run()
        }
    }
}
