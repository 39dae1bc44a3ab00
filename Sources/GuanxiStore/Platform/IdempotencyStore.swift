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

    /// Runs `body` while no other server runs a request with the same key (`lockKey`): a twin sent
    /// to another server waits and then replays this one's answer.
    package func exclusively<T: Sendable>(_ lockKey: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await db.serialized("idempotency\u{0}" + lockKey, body)
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
            return StoredResponse(status: try r.decode(column: "status", as: Int.self),
                                  body: Data(try r.decode(column: "body", as: String.self).utf8),
                                  headers: JSONCoding.decode([String: String].self, try r.decode(column: "headers_json", as: String.self)) ?? [:])
        }
    }

    /// Remembers a response; a concurrent twin that stored first wins.
    package func save(_ scope: Scope, key: String, fingerprint: String, response: StoredResponse) async throws {
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO idempotency_keys (workspace_id, credential, key, request_hash, status, body, headers_json, created_at)
                VALUES (\(bind: scope.workspaceID), \(bind: Self.credential(scope)), \(bind: key), \(bind: fingerprint), \(bind: response.status),
                        \(bind: String(decoding: response.body, as: UTF8.self)), \(bind: JSONCoding.encode(response.headers)), \(bind: Date().millis))
                ON CONFLICT (workspace_id, credential, key) DO NOTHING
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
