import Foundation
import Synchronization
import SQLKit
import HummingbirdBcrypt
import GuanxiCore

/// A signed-in browser: the cookie value (shown once) and the CSRF token its forms must echo.
package struct IssuedSession: Sendable, Equatable {
    package var secret: String
    package var csrf: String
    package var userID: String
    package var workspaceID: String
    package var expiresAt: Date
}

/// How sign-in resists guessing: a lockout per account and address, and a rate limit per address, both over a window.
package struct SignInPolicy: Sendable {
    package var window: TimeInterval = 15 * 60
    /// Failures on one account from one address within the window that lock it, for that address, for `lockout`.
    package var accountFailures = 5
    package var lockout: TimeInterval = 15 * 60
    /// Attempts (good or bad) from one address within the window before 429.
    package var addressAttempts = 30
    /// A session ends after this long without use, and in any case after `absolute`.
    package var idle: TimeInterval = 12 * 3600
    package var absolute: TimeInterval = 7 * 86_400
    package var resetLinkLifetime: TimeInterval = 3600
    package init() {}
}

/// Passwords, sessions, lockout, reset links and two-factor sign-in.
package struct SignIn: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let access: AccessStore
    /// Sends reset and invitation links; without one they are issued by `guanxi user reset-link`.
    let mailer: SMTPMailer?
    package let policy: SignInPolicy
    let cache = TTLCache<SessionHit>()
    struct SessionHit: Sendable { var scope: Scope; var csrf: String }

    package init(db: Database, clock: any GuanxiCore.Clock, access: AccessStore, mailer: SMTPMailer? = nil, policy: SignInPolicy = SignInPolicy()) {
        self.db = db; self.access = access; self.clock = clock; self.mailer = mailer; self.policy = policy
        cache.clearWhenRung(db)
    }

    static let wrong = DomainError.unauthorized("the email or password is wrong")

    /// Checks the password (and the TOTP or a recovery code when two-factor is on) and opens a
    /// session in the workspace (by slug; default: the user's first). Every outcome is audited.
    package func signIn(email: String, password: String, code: String? = nil, workspaceSlug: String? = nil,
                       address: String) async throws -> IssuedSession {
        let now = clock.now()
        let addressKey = "addr:" + address
        let recent = try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM sign_in_attempts WHERE key = \(bind: addressKey) AND at >= \(bind: (now.addingTimeInterval(-policy.window)).millis)")
                .first()!.decode(column: "n", as: Int.self)
        }
        if recent >= policy.addressAttempts {
            db.stats.failedSignIns.add(1, ordering: .relaxed)
            throw DomainError.tooManyAttempts("too many sign-in attempts from this address; wait \(Int(policy.window / 60)) minutes")
        }
        let row = try await db.read { sql in
            try await sql.raw("""
                SELECT id, password_hash, is_active, totp_secret, totp_enabled, recovery_json, locked_until FROM users
                WHERE email = \(bind: IdentityNormalizer.email(email) ?? email.lowercased())
                """).first()
        }
        // The same work and the same answer whether or not the account exists.
        guard let row else {
            _ = Bcrypt.verify(password, hash: Self.dummyHash)
            try await record(addressKey, ok: false, now: now, audit: nil)
            throw Self.wrong
        }
        let userID = try row.decode(column: "id", as: String.self)
        let workspaces = try await db.read { sql in
            try await sql.raw("""
                SELECT w.id, w.slug FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
                WHERE m.user_id = \(bind: userID) AND m.deactivated_at IS NULL ORDER BY m.created_at, w.slug
                """).all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "slug", as: String.self)) }
        }
        let workspaceID = workspaceSlug.flatMap { s in workspaces.first { $0.1 == s }?.0 } ?? workspaces.first?.0
        func fail(_ why: String, _ error: DomainError = Self.wrong) async throws -> Never {
            try await record(addressKey, ok: false, now: now, audit: workspaceID.map { ($0, userID, why) })
            throw error
        }
        // The lock holds the account shut for the address that failed, not for everyone: whoever
        // knows an address cannot lock its owner out from elsewhere.
        let lockKey = Self.lockKey(userID, address)
        if let until = try await lockedUntil(lockKey, now: now) {
            try await fail("locked", .tooManyAttempts("this account is locked after repeated failures; try again in \(Int((Double(until - now.millis) / 60_000).rounded(.up))) minutes"))
        }
        guard Bcrypt.verify(password, hash: try row.decode(column: "password_hash", as: String.self)) else {
            try await recordAccountFailure(userID, address: address, now: now)
            try await fail("password")
        }
        guard try row.decode(column: "is_active", as: Int.self) != 0, let ws = workspaceID else { try await fail("inactive") }
        if try row.decode(column: "totp_enabled", as: Int.self) != 0 {
            guard let code, !code.isEmpty else { try await fail("totp_missing", .unauthorized("enter the code from your authenticator app")) }
            let secret = Base32.decode(try row.decode(column: "totp_secret", as: String?.self) ?? "") ?? []
            if !TOTP.verify(code, secret: secret, at: now) {
                guard try await useRecoveryCode(userID, code, recovery: try row.decode(column: "recovery_json", as: String?.self)) else {
                    try await recordAccountFailure(userID, address: address, now: now)
                    try await fail("totp", .unauthorized("the two-factor code is wrong"))
                }
            }
        }
        let secret = Secret.token(prefix: "gxs_"), csrf = Secret.token(prefix: "")
        let expires = now.addingTimeInterval(policy.absolute)
        try await db.write(.acting(workspaceID: ws, userID: userID), at: now) { tx in
            let sql = tx.sql
            try await sql.raw("""
                INSERT INTO sessions (id_hash, user_id, workspace_id, csrf, created_at, last_seen_at, expires_at, address)
                VALUES (\(bind: Secret.hash(secret)), \(bind: userID), \(bind: ws), \(bind: csrf), \(bind: now.millis), \(bind: now.millis),
                        \(bind: expires.millis), \(bind: address))
                """).run()
            try await sql.raw("DELETE FROM sign_in_attempts WHERE key = \(bind: Self.failureKey(userID, address))").run()
            try await sql.raw("INSERT INTO sign_in_attempts (key, at, ok) VALUES (\(bind: addressKey), \(bind: now.millis), 1)").run()
            try await tx.audit("sign_in", "users", userID, detail: ["address": .string(address)])
        }
        return IssuedSession(secret: secret, csrf: csrf, userID: userID, workspaceID: ws, expiresAt: expires)
    }

    /// A placeholder hash so unknown accounts cost the same time as known ones.
    static let dummyHash = Bcrypt.hash("not a password", cost: 10)

    func record(_ key: String, ok: Bool, now: Date, audit: (workspaceID: String, userID: String, why: String)?) async throws {
        if !ok { db.stats.failedSignIns.add(1, ordering: .relaxed) }
        try await db.write { sql in
            try await sql.raw("INSERT INTO sign_in_attempts (key, at, ok) VALUES (\(bind: key), \(bind: now.millis), \(bind: ok ? 1 : 0))").run()
            // Attempts older than a day are no use to any window.
            try await sql.raw("DELETE FROM sign_in_attempts WHERE key = \(bind: key) AND at < \(bind: now.millis - 86_400_000)").run()
            if let a = audit {
                try await Tx(sql: sql, scope: .acting(workspaceID: a.workspaceID, userID: nil), now: now, db: db)
                    .audit("sign_in_failed", "users", a.userID, detail: ["reason": .string(a.why), "address": .string(String(key.dropFirst(5)))])
            }
        }
    }

    /// Failures of one account from one address, and the lock they set (its `at` is when it began).
    static func failureKey(_ userID: String, _ address: String) -> String { "user:\(userID)|\(address)" }
    static func lockKey(_ userID: String, _ address: String) -> String { "lock:\(userID)|\(address)" }

    /// When the lock on this account for this address ends, or nil when there is none.
    func lockedUntil(_ lockKey: String, now: Date) async throws -> Int64? {
        let since = now.addingTimeInterval(-policy.lockout).millis
        guard let r = try await db.read({ sql in
            try await sql.raw("SELECT MAX(at) AS at FROM sign_in_attempts WHERE key = \(bind: lockKey) AND at > \(bind: since)").first()
        }), let began = try r.decode(column: "at", as: Int64?.self) else { return nil }
        return began + Int64(policy.lockout * 1000)
    }

    func recordAccountFailure(_ userID: String, address: String, now: Date) async throws {
        let key = Self.failureKey(userID, address)
        try await db.write { sql in
            try await sql.raw("INSERT INTO sign_in_attempts (key, at, ok) VALUES (\(bind: key), \(bind: now.millis), 0)").run()
            let n = try await sql.raw("""
                SELECT COUNT(*) AS n FROM sign_in_attempts WHERE key = \(bind: key) AND ok = 0 AND at >= \(bind: now.addingTimeInterval(-policy.window).millis)
                """).first()!.decode(column: "n", as: Int.self)
            if n >= policy.accountFailures {
                let lock = Self.lockKey(userID, address)
                try await sql.raw("DELETE FROM sign_in_attempts WHERE key = \(bind: key) OR key = \(bind: lock)").run()
                try await sql.raw("INSERT INTO sign_in_attempts (key, at, ok) VALUES (\(bind: lock), \(bind: now.millis), 0)").run()
            }
            // failures and locks older than a day are no use to any window
            try await sql.raw("""
                DELETE FROM sign_in_attempts WHERE (key LIKE \(bind: "user:\(userID)|%") OR key LIKE \(bind: "lock:\(userID)|%"))
                  AND at < \(bind: now.millis - 86_400_000)
                """).run()
        }
    }

    func useRecoveryCode(_ userID: String, _ code: String, recovery: String?) async throws -> Bool {
        var hashes = JSONCoding.decode([String].self, recovery) ?? []
        let h = Secret.hash(code.lowercased().filter { $0.isLetter || $0.isNumber })
        guard let i = hashes.firstIndex(where: { Secret.equal($0, h) }) else { return false }
        hashes.remove(at: i)
        let left = JSONCoding.encode(hashes)
        try await db.write { sql in
            try await sql.raw("UPDATE users SET recovery_json = \(bind: left) WHERE id = \(bind: userID)").run()
        }
        return true
    }

    /// The scope and CSRF token of a live session (nil when unknown, revoked, idle too long or past its end).
    package func session(_ secret: String) async throws -> (Scope, csrf: String)? {
        let now = clock.now()
        let key = Secret.hash(secret)
        if let hit = cache.get(key, now: now) { return (hit.scope, hit.csrf) }
        guard let row = try await db.read({ sql in
            try await sql.raw("""
                SELECT user_id, workspace_id, csrf, last_seen_at, expires_at FROM sessions
                WHERE id_hash = \(bind: Secret.hash(secret)) AND revoked_at IS NULL
                """).first()
        }) else { return nil }
        var last = try row.decode(column: "last_seen_at", as: Int64.self)
        let expires = try row.decode(column: "expires_at", as: Int64.self)
        guard expires > now.millis, now.millis - last < Int64(policy.idle * 1000) else { return nil }
        guard let scope = try await access.scope(userID: try row.decode(column: "user_id", as: String.self),
                                                 workspaceID: try row.decode(column: "workspace_id", as: String.self)) else { return nil }
        if now.millis - last > 60_000 {
            try await db.write { sql in
                try await sql.raw("UPDATE sessions SET last_seen_at = \(bind: now.millis) WHERE id_hash = \(bind: Secret.hash(secret))").run()
            }
            last = now.millis
        }
        let csrf = try row.decode(column: "csrf", as: String.self)
        // cached no longer than the session lives: its end, or its idle limit from the last use written
        cache.put(key, SessionHit(scope: scope, csrf: csrf), now: now, until: Date(millis: min(expires, last + Int64(policy.idle * 1000))))
        return (scope, csrf)
    }

    package func signOut(_ secret: String) async throws {
        try await db.write { sql in
            try await sql.raw("UPDATE sessions SET revoked_at = \(bind: clock.now().millis) WHERE id_hash = \(bind: Secret.hash(secret))").run()
        }
        cache.remove(Secret.hash(secret))
        await db.ring(CredentialCache.bell)
    }

    static func checkPassword(_ p: String, field: String = "password") throws {
        var e = FieldErrors()
        if p.count < 8 { e.add(field, "must be at least 8 characters") }
        if p.utf8.count > 72 { e.add(field, "must be at most 72 bytes") }
        try e.throwIfAny()
    }

    /// Changes the password after checking the current one; every other session of the user ends.
    package func changePassword(_ scope: Scope, current: String, new: String, keepSession: String? = nil) async throws {
        guard let me = scope.userID else { throw DomainError.forbidden("only users have passwords") }
        try Self.checkPassword(new, field: "new_password")
        let hash = try await db.read { sql in
            try await sql.raw("SELECT password_hash FROM users WHERE id = \(bind: me)").first()!.decode(column: "password_hash", as: String.self)
        }
        guard Bcrypt.verify(current, hash: hash) else { throw DomainError.field("current_password", "is wrong") }
        let now = clock.now()
        let newHash = Bcrypt.hash(new, cost: 10)
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("UPDATE users SET password_hash = \(bind: newHash) WHERE id = \(bind: me)").run()
            try await tx.sql.raw("""
                UPDATE sessions SET revoked_at = \(bind: now.millis) WHERE user_id = \(bind: me) AND revoked_at IS NULL
                AND id_hash <> \(bind: keepSession.map(Secret.hash) ?? "")
                """).run()
            try await tx.audit("password_change", "users", me)
        }
        await cache.clearEverywhere(db)
    }

    /// A single-use reset link token, valid for an hour (or `lifetime`); nil for an unknown email,
    /// so callers can answer the same either way.
    package func resetToken(email: String, lifetime: TimeInterval? = nil) async throws -> String? {
        guard let user = try await access.user(email: email) else { return nil }
        let token = Secret.token(prefix: "gxr_")
        let now = clock.now()
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)
                VALUES (\(bind: Secret.hash(token)), \(bind: user.id), \(bind: now.millis), \(bind: now.addingTimeInterval(lifetime ?? policy.resetLinkLifetime).millis))
                """).run()
        }
        return token
    }

    /// Whether links can be mailed (an outgoing mailer is configured).
    package var canMail: Bool { mailer != nil }

    /// Mails a set-password link to a known address (a reset, or an invitation with a longer
    /// `lifetime`): `message` makes the subject and body from the link. Answers whether a mail went
    /// out; an unknown address, or no mailer, sends nothing. A refused delivery throws.
    @discardableResult
    package func mailResetLink(email: String, base: String, lifetime: TimeInterval? = nil,
                               message: (String) -> (subject: String, body: String)) async throws -> Bool {
        guard let mailer, let address = IdentityNormalizer.email(email), let token = try await resetToken(email: address, lifetime: lifetime) else { return false }
        let (subject, body) = message(base + "/password-reset/confirm?token=" + token)
        do { try await mailer.send(to: address, subject: subject, body: body) } catch {
            throw DomainError.badRequest("the email could not be sent; please try again later")
        }
        return true
    }

    /// Sets a new password with a reset token (once), ends every session and lifts a lockout.
    package func resetPassword(token: String, new: String) async throws {
        try Self.checkPassword(new)
        let now = clock.now()
        let hash = Bcrypt.hash(new, cost: 10)
        try await db.write { sql in
            guard let row = try await sql.raw("""
                SELECT user_id FROM password_resets WHERE token_hash = \(bind: Secret.hash(token)) AND used_at IS NULL AND expires_at > \(bind: now.millis)
                """).first() else { throw DomainError.field("token", "this reset link is invalid, used or expired") }
            let userID = try row.decode(column: "user_id", as: String.self)
            try await sql.raw("UPDATE password_resets SET used_at = \(bind: now.millis) WHERE token_hash = \(bind: Secret.hash(token))").run()
            try await sql.raw("UPDATE users SET password_hash = \(bind: hash), locked_until = NULL WHERE id = \(bind: userID)").run()
            try await sql.raw("DELETE FROM sign_in_attempts WHERE key LIKE \(bind: "lock:\(userID)|%") OR key LIKE \(bind: "user:\(userID)|%")").run()
            try await sql.raw("UPDATE sessions SET revoked_at = \(bind: now.millis) WHERE user_id = \(bind: userID) AND revoked_at IS NULL").run()
            for ws in try await sql.raw("SELECT workspace_id FROM memberships WHERE user_id = \(bind: userID)").all() {
                let actor = Scope.acting(workspaceID: try ws.decode(column: "workspace_id", as: String.self), userID: userID)
                try await Tx(sql: sql, scope: actor, now: now, db: db).audit("password_reset", "users", userID)
            }
        }
        await cache.clearEverywhere(db)
    }

    // MARK: Two-factor

    /// Starts enrolment: a new secret (not yet required) for the authenticator app.
    package func enrollTOTP(_ scope: Scope) async throws -> (secret: String, uri: String) {
        guard let me = scope.userID, let user = try await access.user(id: me) else { throw DomainError.forbidden("only users sign in") }
        let secret = TOTP.newSecret()
        try await db.write { sql in
            try await sql.raw("UPDATE users SET totp_secret = \(bind: Base32.encode(secret)), totp_enabled = 0 WHERE id = \(bind: me)").run()
        }
        return (Base32.encode(secret), TOTP.uri(secret: secret, account: user.email))
    }

    /// Turns two-factor on once the user proves the app shows the right code; returns ten
    /// single-use recovery codes (shown once, stored hashed).
    package func confirmTOTP(_ scope: Scope, code: String) async throws -> [String] {
        guard let me = scope.userID else { throw DomainError.forbidden("only users sign in") }
        let now = clock.now()
        let stored = try await db.read { sql in
            try await sql.raw("SELECT totp_secret FROM users WHERE id = \(bind: me)").first()?.decode(column: "totp_secret", as: String?.self)
        }
        guard let stored, let secret = Base32.decode(stored) else { throw DomainError.conflict("start two-factor enrolment first") }
        guard TOTP.verify(code, secret: secret, at: now) else { throw DomainError.field("code", "is not the code your app shows now") }
        let codes = (0..<10).map { _ in Base32.encode(Secret.randomBytes(5)).lowercased() }
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("""
                UPDATE users SET totp_enabled = 1, recovery_json = \(bind: JSONCoding.encode(codes.map(Secret.hash))) WHERE id = \(bind: me)
                """).run()
            try await tx.audit("totp_enabled", "users", me)
        }
        return codes
    }

    /// Turns two-factor off (needs the current password).
    package func disableTOTP(_ scope: Scope, password: String) async throws {
        guard let me = scope.userID else { throw DomainError.forbidden("only users sign in") }
        let hash = try await db.read { sql in
            try await sql.raw("SELECT password_hash FROM users WHERE id = \(bind: me)").first()!.decode(column: "password_hash", as: String.self)
        }
        guard Bcrypt.verify(password, hash: hash) else { throw DomainError.field("password", "is wrong") }
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("UPDATE users SET totp_enabled = 0, totp_secret = NULL, recovery_json = NULL WHERE id = \(bind: me)").run()
            try await tx.audit("totp_disabled", "users", me)
        }
    }
}
