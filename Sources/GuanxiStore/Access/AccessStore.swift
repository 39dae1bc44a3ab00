import Foundation
import Crypto
import HummingbirdBcrypt
import SQLKit
import Synchronization
import GuanxiCore

package struct Workspace: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var slug: String
    package var tiers: [String]
    package var timeZone: String
    enum CodingKeys: String, CodingKey { case id, name, slug, tiers, timeZone = "time_zone" }
}

package struct User: Codable, Sendable, Equatable {
    package var id: String
    package var email: String
    package var name: String
    package var isActive: Bool
    enum CodingKeys: String, CodingKey { case id, email, name, isActive = "is_active" }
}

package struct IssuedToken: Sendable {
    package var id: String
    /// Shown once; only its SHA-256 is stored.
    package var secret: String
}

/// Workspaces, users, memberships and API tokens.
package struct AccessStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let cache: TokenCache

    package init(db: Database, clock: any GuanxiCore.Clock) {
        self.db = db; self.clock = clock; self.cache = TokenCache()
        cache.clearWhenRung(db)
    }

    package static let defaultWorkspaceSlug = "default"

    /// The default workspace, created on first use, so a fresh install works with zero setup.
    @discardableResult
    package func ensureDefaultWorkspace() async throws -> Workspace {
        if let w = try await workspace(slug: Self.defaultWorkspaceSlug) { return w }
        return try await createWorkspace(name: "Default", slug: Self.defaultWorkspaceSlug)
    }

    /// A workspace's address: a-z, 0-9 and -, at most 40, not starting with -.
    package static let workspaceSlugPattern = "^[a-z0-9][a-z0-9-]{0,39}$"

    package func createWorkspace(name: String, slug: String, tiers: [String] = WorkspaceRules.defaultTiers,
                                timeZone: String = "Asia/Shanghai") async throws -> Workspace {
        var e = FieldErrors()
        if name.trimmingCharacters(in: .whitespaces).isEmpty { e.add("name", "is required") }
        if slug.range(of: Self.workspaceSlugPattern, options: .regularExpression) == nil { e.add("slug", "use a-z, 0-9 and - (at most 40)") }
        try e.throwIfAny()
        if try await workspace(slug: slug) != nil { throw DomainError.conflict("workspace '\(slug)' already exists") }
        let w = Workspace(id: ID.make(), name: name, slug: slug, tiers: tiers, timeZone: timeZone)
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO workspaces (id, name, slug, tiers_json, time_zone, created_at)
                VALUES (\(bind: w.id), \(bind: w.name), \(bind: w.slug), \(bind: JSONCoding.encode(w.tiers)), \(bind: w.timeZone), \(bind: clock.now().millis))
                """).run()
        }
        return w
    }

    package func workspace(slug: String) async throws -> Workspace? {
        try await db.read { sql in
            try await sql.raw("SELECT id, name, slug, tiers_json, time_zone FROM workspaces WHERE slug = \(bind: slug)").first()
                .map(Self.decodeWorkspace)
        }
    }

    /// Creates a workspace for a server administrator, who becomes its owner.
    package func createWorkspace(_ scope: Scope, name: String, slug: String) async throws -> Workspace {
        guard scope.serverAdmin, let me = scope.userID else { throw DomainError.forbidden("only a server administrator creates workspaces") }
        let w = try await createWorkspace(name: name, slug: slug)
        let now = clock.now()
        try await db.write(.acting(workspaceID: w.id, userID: me, tokenID: scope.tokenID), at: now) { tx in
            try await tx.sql.raw("""
                INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (\(bind: w.id), \(bind: me), 'owner', \(bind: now.millis))
                """).run()
            try await tx.audit("create", "workspaces", w.id, detail: ["slug": .string(slug), "name": .string(name)])
        }
        return w
    }

    /// The workspaces a user belongs to, with their role in each.
    package func workspaces(userID: String) async throws -> [(workspace: Workspace, role: String)] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT w.id, w.name, w.slug, w.tiers_json, w.time_zone, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
                WHERE m.user_id = \(bind: userID) AND m.deactivated_at IS NULL ORDER BY w.name
                """).all().map { (try Self.decodeWorkspace($0), try $0.decode(column: "role", as: String.self)) }
        }
    }

    package struct Member: Codable, Sendable, Equatable {
        package var id: String, email: String, name: String, role: String, active: Bool
    }

    /// The workspace's members.
    package func members(_ scope: Scope) async throws -> [Member] {
        try scope.require(.settings, .read)
        return try await db.read { sql in
            try await sql.raw("""
                SELECT u.id, u.email, u.name, m.role, u.is_active, m.deactivated_at FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.workspace_id = \(bind: scope.workspaceID) ORDER BY u.name, u.email
                """).all().map { r in
                Member(id: try r.decode(column: "id", as: String.self), email: try r.decode(column: "email", as: String.self),
                       name: try r.decode(column: "name", as: String.self), role: try r.decode(column: "role", as: String.self),
                       active: try r.decode(column: "is_active", as: Int.self) != 0 && (try r.decode(column: "deactivated_at", as: Int64?.self)) == nil)
            }
        }
    }

    package func workspace(id: String) async throws -> Workspace? {
        try await db.read { sql in
            try await sql.raw("SELECT id, name, slug, tiers_json, time_zone FROM workspaces WHERE id = \(bind: id)").first()
                .map(Self.decodeWorkspace)
        }
    }

    static func decodeWorkspace(_ r: any SQLRow) throws -> Workspace {
        Workspace(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                  slug: try r.decode(column: "slug", as: String.self),
                  tiers: JSONCoding.decode([String].self, try r.decode(column: "tiers_json", as: String.self)) ?? [],
                  timeZone: try r.decode(column: "time_zone", as: String.self))
    }

    /// Creates a user (or adds an existing one to the workspace with the role).
    /// The first user of an installation (or one created with `serverAdmin`) may create workspaces.
    package func createUser(email rawEmail: String, password: String, name: String?, role: Role,
                           workspaceID: String, serverAdmin: Bool = false) async throws -> User {
        var e = FieldErrors()
        let email = IdentityNormalizer.email(rawEmail)
        if email == nil { e.add("email", "is not a valid email address") }
        if password.count < 8 { e.add("password", "must be at least 8 characters") }
        if password.utf8.count > 72 { e.add("password", "must be at most 72 bytes") }
        try e.throwIfAny()
        let hash = Bcrypt.hash(password, cost: 10)
        let now = clock.now().millis
        return try await db.write(.acting(workspaceID: workspaceID, userID: nil), at: Date(millis: now)) { tx in
            let sql = tx.sql
            let user: User
            if let existing = try await Self.user(email: email!, sql) {
                user = existing
            } else {
                user = User(id: ID.make(), email: email!, name: name ?? String(email!.split(separator: "@")[0]), isActive: true)
                let first = try await sql.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self) == 0
                try await sql.raw("""
                    INSERT INTO users (id, email, name, password_hash, is_active, is_server_admin, created_at)
                    VALUES (\(bind: user.id), \(bind: user.email), \(bind: user.name), \(bind: hash), 1, \(bind: first || serverAdmin ? 1 : 0), \(bind: now))
                    """).run()
            }
            try await sql.raw("DELETE FROM memberships WHERE workspace_id = \(bind: workspaceID) AND user_id = \(bind: user.id)").run()
            try await sql.raw("""
                INSERT INTO memberships (workspace_id, user_id, role, created_at)
                VALUES (\(bind: workspaceID), \(bind: user.id), \(bind: role.rawValue), \(bind: now))
                """).run()
            try await tx.audit("create", "users", user.id, detail: ["email": .string(user.email), "role": .string(role.rawValue)])
            return user
        }
    }

    package func user(email: String) async throws -> User? {
        guard let e = IdentityNormalizer.email(email) else { return nil }
        return try await db.read { try await Self.user(email: e, $0) }
    }

    package func user(id: String) async throws -> User? {
        try await db.read { sql in
            try await sql.raw("SELECT id, email, name, is_active FROM users WHERE id = \(bind: id)").first().map(Self.decodeUser)
        }
    }

    static func decodeUser(_ r: any SQLRow) throws -> User {
        User(id: try r.decode(column: "id", as: String.self), email: try r.decode(column: "email", as: String.self),
             name: try r.decode(column: "name", as: String.self), isActive: try r.decode(column: "is_active", as: Int.self) != 0)
    }

    static func user(email: String, _ sql: any SQLDatabase) async throws -> User? {
        try await sql.raw("SELECT id, email, name, is_active FROM users WHERE email = \(bind: email)").first().map { r in
            User(id: try r.decode(column: "id", as: String.self), email: try r.decode(column: "email", as: String.self),
                 name: try r.decode(column: "name", as: String.self), isActive: try r.decode(column: "is_active", as: Int.self) != 0)
        }
    }

    /// The user's role key in a workspace (built-in or custom), or nil when they are not a member.
    package func roleKey(userID: String, workspaceID: String) async throws -> String? {
        try await db.read { sql in
            try await sql.raw("SELECT role FROM memberships WHERE workspace_id = \(bind: workspaceID) AND user_id = \(bind: userID)")
                .first()?.decode(column: "role", as: String.self)
        }
    }

    /// True when `userID` is a member of the workspace (used to validate owners).
    package func isMember(userID: String, workspaceID: String) async throws -> Bool {
        try await roleKey(userID: userID, workspaceID: workspaceID) != nil
    }

    /// Issues an API token for a member; the secret is returned once. `permissions` narrows the
    /// token below its user's role (it can never widen it: the two are intersected on every use).
    package func createToken(userID: String, workspaceID: String, name: String, expiresAt: Date? = nil,
                            permissions: [String]? = nil) async throws -> IssuedToken {
        guard try await isMember(userID: userID, workspaceID: workspaceID) else {
            throw DomainError.notFound("user is not a member of this workspace")
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw DomainError.field("name", "is required") }
        if let e = expiresAt, e <= clock.now() { throw DomainError.field("expires_at", "must be in the future") }
        let narrowed = try permissions.map { try PermissionSet.parse($0).items }
        let secret = Secret.token(prefix: "gx_")
        let id = ID.make()
        let now = clock.now()
        try await db.write(.acting(workspaceID: workspaceID, userID: userID), at: now) { tx in
            try await tx.sql.raw("""
                INSERT INTO api_tokens (id, workspace_id, user_id, name, token_hash, prefix, created_at, expires_at, permissions_json)
                VALUES (\(bind: id), \(bind: workspaceID), \(bind: userID), \(bind: name), \(bind: Secret.hash(secret)),
                        \(bind: String(secret.prefix(10))), \(bind: now.millis), \(bind: expiresAt?.millis),
                        \(bind: narrowed.map { JSONCoding.encode($0) }))
                """).run()
            try await tx.audit("create", "api_tokens", id, detail: ["name": .string(name), "user_id": .string(userID),
                                                                  "permissions": narrowed.map { .array($0.map(JSONValue.string)) } ?? .null])
        }
        return IssuedToken(id: id, secret: secret)
    }

    /// Revokes a token: the scope's own tokens, or anyone's in the workspace with settings.update.
    package func revokeToken(_ scope: Scope, id: String) async throws {
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            guard let row = try await tx.sql.raw("""
                SELECT user_id FROM api_tokens WHERE id = \(bind: id) AND workspace_id = \(bind: scope.workspaceID)
                """).first() else { throw DomainError.notFound("token") }
            if try row.decode(column: "user_id", as: String.self) != scope.userID { try scope.require(.settings, .update) }
            try await tx.sql.raw("UPDATE api_tokens SET revoked_at = \(bind: now.millis) WHERE id = \(bind: id) AND revoked_at IS NULL").run()
            try await tx.audit("revoke", "api_tokens", id)
        }
        await cache.clearEverywhere(db)
    }

    package struct TokenInfo: Codable, Sendable, Equatable {
        package var id: String, name: String, prefix: String, userID: String
        package var permissions: [String]?
        package var createdAt: Date, expiresAt: Date?, lastUsedAt: Date?, revokedAt: Date?
        enum CodingKeys: String, CodingKey {
            case id, name, prefix, permissions
            case userID = "user_id", createdAt = "created_at", expiresAt = "expires_at", lastUsedAt = "last_used_at", revokedAt = "revoked_at"
        }
    }

    /// The scope's own tokens (all of the workspace's with settings.read), never their secrets.
    package func tokens(_ scope: Scope) async throws -> [TokenInfo] {
        let all = scope.level(.settings, .read) != nil
        return try await db.read { sql in
            var q = SQLQueryString("""
                SELECT id, name, prefix, user_id, permissions_json, created_at, expires_at, last_used_at, revoked_at
                FROM api_tokens WHERE workspace_id = \(bind: scope.workspaceID)
                """)
            if !all { q += " AND user_id = \(bind: scope.userID ?? "")" }
            q += " ORDER BY created_at DESC"
            return try await sql.raw(q).all().map { r in
                func date(_ c: String) throws -> Date? { try r.decode(column: c, as: Int64?.self).map(Date.init(millis:)) }
                return TokenInfo(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                                 prefix: try r.decode(column: "prefix", as: String.self), userID: try r.decode(column: "user_id", as: String.self),
                                 permissions: JSONCoding.decode([String].self, try r.decode(column: "permissions_json", as: String?.self)),
                                 createdAt: try date("created_at")!, expiresAt: try date("expires_at"),
                                 lastUsedAt: try date("last_used_at"), revokedAt: try date("revoked_at"))
            }
        }
    }

    /// Resolves a bearer token to the acting scope, or nil. Successful look-ups are cached briefly
    /// (`TokenCache.ttl`) because every API request needs one; revocation clears this process's cache.
    package func authenticate(token: String) async throws -> Scope? {
        let hash = Secret.hash(token)
        let now = clock.now()
        if let hit = cache.get(hash, now: now) { return hit }
        let row = try await db.read { sql in
            try await sql.raw("""
                SELECT id, workspace_id, user_id, expires_at, last_used_at, permissions_json
                FROM api_tokens WHERE token_hash = \(bind: hash) AND revoked_at IS NULL
                """).first()
        }
        guard let row else { return nil }
        let exp = try row.decodeNil(column: "expires_at") ? nil : row.decode(column: "expires_at", as: Int64.self)
        if let exp, exp <= now.millis { return nil }
        let tokenID = try row.decode(column: "id", as: String.self)
        let workspaceID = try row.decode(column: "workspace_id", as: String.self)
        let userID = try row.decode(column: "user_id", as: String.self)
        let narrowed = try JSONCoding.decode([String].self, try row.decode(column: "permissions_json", as: String?.self)).map { try PermissionSet.parse($0) }
        guard let scope = try await scope(userID: userID, workspaceID: workspaceID, tokenID: tokenID, tokenPermissions: narrowed) else { return nil }
        let lastUsed = try row.decode(column: "last_used_at", as: Int64?.self)
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("UPDATE api_tokens SET last_used_at = \(bind: now.millis) WHERE id = \(bind: tokenID)").run()
            // Token use is audited once per token per hour (not per request: that would double every read's cost).
            if lastUsed.map({ now.millis - $0 >= 3_600_000 }) ?? true {
                try await tx.audit("use", "api_tokens", tokenID)
            }
        }
        cache.put(hash, scope, now: now, until: exp.map { Date(millis: $0) })
        return scope
    }
}

/// A small time-bounded cache of credential look-ups (tokens, sessions): every request needs one.
/// An entry lives `ttl` at most, and never past the credential's own end (`until`: a token's
/// expiry, a session's end), so an expired credential is refused the moment it expires.
/// Revocation clears the entries of every server on the database (a bell rung through it); a server
/// that misses the ring (its listener reconnecting) sees the change within `ttl`.
final class TTLCache<Value: Sendable>: Sendable {
    static var ttl: TimeInterval { 30 }
    private let entries = Mutex<[String: (Value, at: Date, until: Date)]>([:])
    func get(_ key: String, now: Date) -> Value? {
        entries.withLock { e in
            guard let (v, at, until) = e[key], now < until, now >= at else { return nil }
            return v
        }
    }
    func put(_ key: String, _ value: Value, now: Date, until end: Date? = nil) {
        let until = min(now.addingTimeInterval(Self.ttl), end ?? .distantFuture)
        entries.withLock { e in
            if e.count > 10_000 { e.removeAll() }
            e[key] = (value, now, until)
        }
    }
    func remove(_ key: String) { _ = entries.withLock { $0.removeValue(forKey: key) } }
    func clear() { entries.withLock { $0.removeAll() } }

    /// Clears this cache, and the caches of the other servers.
    func clearEverywhere(_ db: Database) async {
        clear()
        await db.ring(CredentialCache.bell)
    }

    /// Clears this cache when another server rings that credentials changed.
    func clearWhenRung(_ db: Database) { db.bells.onRing(CredentialCache.bell) { [self] in clear() } }
}

enum CredentialCache {
    /// Rung when a token, session, password, role or team changes (what a cached scope was made from).
    static let bell = "credentials"
}

typealias TokenCache = TTLCache<Scope>
