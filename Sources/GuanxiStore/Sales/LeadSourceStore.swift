import Foundation
import Crypto
import SQLKit
import GuanxiCore

/// Public web forms and signed webhooks that bring leads in, and the checks at their door:
/// HMAC signatures with a time window and replay refusal, a honeypot, and a per-address rate limit.
package struct LeadSourceStore: Sendable {
    let db: Database
    let leads: LeadStore
    let clock: any GuanxiCore.Clock
    /// Outgoing mail (double opt-in); nil when the server has none configured.
    let mailer: SMTPMailer?
    /// How long a double opt-in link stays valid.
    package static let confirmWindow: TimeInterval = 48 * 3600
    /// A signature older or newer than this is refused.
    package static let signatureWindow: TimeInterval = 300
    /// Form posts allowed per address and form in `formWindow`.
    package static let formLimit = 20
    package static let formWindow: TimeInterval = 600

    package init(db: Database, clock: any GuanxiCore.Clock, leads: LeadStore, mailer: SMTPMailer?) {
        self.db = db; self.leads = leads; self.mailer = mailer; self.clock = clock
    }

    static func decode(_ r: any SQLRow) throws -> LeadSource {
        LeadSource(id: try r.decode(column: "id", as: String.self), workspaceID: try r.decode(column: "workspace_id", as: String.self),
                   kind: LeadSourceKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .form,
                   name: try r.decode(column: "name", as: String.self), publicKey: try r.decode(column: "public_key", as: String.self),
                   secret: try r.decode(column: "secret", as: String?.self),
                   mapping: JSONCoding.decode([String: String].self, try r.decode(column: "mapping_json", as: String.self)) ?? [:],
                   sourceLabel: try r.decode(column: "source_label", as: String?.self), campaign: try r.decode(column: "campaign", as: String?.self),
                   disabled: try r.decode(column: "disabled_at", as: Int64?.self) != nil,
                   doubleOptIn: try r.decode(column: "double_opt_in", as: Int.self) != 0,
                   createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)))
    }
    static let columns = "id, workspace_id, kind, name, public_key, secret, mapping_json, source_label, campaign, disabled_at, double_opt_in, created_at"

    /// Creates a form or webhook. The answer carries the webhook secret; lists never show it again.
    package func create(_ scope: Scope, kind: LeadSourceKind, name: String, mapping: [String: String] = [:],
                       sourceLabel: String?, campaign: String?, doubleOptIn: Bool = false) async throws -> LeadSource {
        _ = try scope.require(.settings, .update)
        try LeadSource.validate(name: name, mapping: mapping)
        if doubleOptIn && kind != .form { throw DomainError.field("double_opt_in", "only web forms confirm by email") }
        if doubleOptIn && mailer == nil {
            throw DomainError.field("double_opt_in", "outgoing mail is not set up on this server (GUANXI_SMTP_URL); double opt-in needs it")
        }
        let now = clock.now()
        let s = LeadSource(id: ID.make(at: now), workspaceID: scope.workspaceID, kind: kind, name: Text.clean(name),
                           publicKey: String(Secret.token(prefix: "").prefix(24)), secret: kind == .webhook ? Secret.token(prefix: "whsec_") : nil,
                           mapping: mapping, sourceLabel: sourceLabel.map(Text.clean).flatMap { $0.isEmpty ? nil : String($0.prefix(50)) },
                           campaign: campaign.map(Text.clean).flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }, doubleOptIn: doubleOptIn,
                           createdAt: now)
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("""
                INSERT INTO lead_sources (id, workspace_id, kind, name, public_key, secret, mapping_json, source_label, campaign, created_by, created_at, double_opt_in)
                VALUES (\(bind: s.id), \(bind: s.workspaceID), \(bind: s.kind.rawValue), \(bind: s.name), \(bind: s.publicKey), \(bind: s.secret),
                  \(bind: JSONCoding.encode(s.mapping)), \(bind: s.sourceLabel), \(bind: s.campaign), \(bind: scope.userID), \(bind: now.millis),
                  \(bind: doubleOptIn ? 1 : 0))
                """).run()
            try await tx.audit("create", "lead_sources", s.id, detail: ["kind": .string(kind.rawValue), "name": .string(s.name)])
        }
        return s
    }

    /// The workspace's sources, secrets left out.
    package func list(_ scope: Scope) async throws -> [LeadSource] {
        _ = try scope.require(.settings, .read)
        return try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM lead_sources WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY created_at")
                .all().map { var s = try Self.decode($0); s.secret = nil; return s }
        }
    }

    package func disable(_ scope: Scope, id: String) async throws {
        _ = try scope.require(.settings, .update)
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            guard try await tx.sql.raw("SELECT 1 AS x FROM lead_sources WHERE id = \(bind: id) AND workspace_id = \(bind: scope.workspaceID)").first() != nil else {
                throw DomainError.notFound("lead source")
            }
            try await tx.sql.raw("UPDATE lead_sources SET disabled_at = \(bind: now.millis) WHERE id = \(bind: id)").run()
            try await tx.audit("disable", "lead_sources", id)
        }
    }

    /// The enabled source behind a public URL key (404 otherwise, the same for every wrong key).
    package func source(publicKey: String, kind: LeadSourceKind) async throws -> LeadSource {
        guard publicKey.count <= 64, let s = try await db.read({ sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM lead_sources WHERE public_key = \(bind: publicKey)").first().map(Self.decode)
        }), s.kind == kind, !s.disabled else { throw DomainError.notFound("form") }
        return s
    }

    // MARK: Webhooks

    /// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" with the secret>`, as Stripe-style senders write it.
    package static func sign(body: [UInt8], secret: String, at time: Date) -> String {
        let t = Int64(time.timeIntervalSince1970)
        return "t=\(t),v1=" + mac(t, body, secret)
    }

    static func mac(_ t: Int64, _ body: [UInt8], _ secret: String) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8))))
    }

    /// Checks the signature and its age, then captures the lead; a signature seen before is a replay.
    package func receiveWebhook(publicKey: String, signature: String?, body: [UInt8]) async throws -> Lead {
        let s = try await source(publicKey: publicKey, kind: .webhook)
        guard let header = signature, let secret = s.secret else { throw DomainError.unauthorized("the request is not signed (X-Guanxi-Signature)") }
        var t: Int64?, v1: String?
        for part in header.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { continue }
            if kv[0] == "t" { t = Int64(kv[1]) } else if kv[0] == "v1" { v1 = kv[1].lowercased() }
        }
        guard let t, let v1, Secret.equal(v1, Self.mac(t, body, secret)) else { throw DomainError.unauthorized("the signature does not match") }
        guard abs(clock.now().timeIntervalSince1970 - Double(t)) <= Self.signatureWindow else {
            throw DomainError.unauthorized("the signature is too old or from the future; check the sender's clock")
        }
        let payload: JSONValue
        do { payload = try JSONParser.parse(String(decoding: body, as: UTF8.self)) } catch { throw DomainError.badRequest("the body is not JSON") }
        return try await leads.capture(s, s.draft(from: payload), channel: .webhook, receipt: v1)
    }

    // MARK: Forms

    /// What became of a public form post.
    package enum FormOutcome: Sendable {
        case captured(Lead)
        /// Double opt-in: a link went to the visitor's email; nothing is kept until they follow it.
        case confirmationSent
        /// The honeypot was filled: a bot, thanked and dropped.
        case dropped
        package var lead: Lead? { if case .captured(let l) = self { l } else { nil } }
    }

    /// A public form post. Too many posts from one address answer `.tooManyAttempts`. With double
    /// opt-in the submission is checked now (errors show at once), kept aside under the hash of a
    /// token, and `message(link)` is mailed to the email it gives; `confirm` keeps the lead.
    package func submitForm(publicKey: String, fields: [String: String], address: String, confirmBase: String = "",
                           message: @Sendable (String) -> (subject: String, body: String) = { ("", $0) }) async throws -> FormOutcome {
        let s = try await source(publicKey: publicKey, kind: .form)
        let now = clock.now()
        let key = "form:\(s.id):\(address)"
        try await db.write { sql in
            let n = try await sql.raw("""
                SELECT COUNT(*) AS n FROM capture_attempts WHERE key = \(bind: key) AND at >= \(bind: now.addingTimeInterval(-Self.formWindow).millis)
                """).first()!.decode(column: "n", as: Int.self)
            if n >= Self.formLimit { throw DomainError.tooManyAttempts("too many submissions from this address; try again later") }
            try await sql.raw("INSERT INTO capture_attempts (key, at) VALUES (\(bind: key), \(bind: now.millis))").run()
            try await sql.raw("DELETE FROM capture_attempts WHERE key = \(bind: key) AND at < \(bind: now.addingTimeInterval(-Self.formWindow).millis)").run()
        }
        // bots fill every field, including the one people never see; they count towards the limit too
        if !(fields["website"] ?? "").isEmpty { return .dropped }
        var d = LeadDraft()
        var kept: [String: String] = [:]
        for f in LeadDraft.fields { if let v = fields[f] { d.set(f, v); kept[f] = v } }
        guard s.doubleOptIn else { return .captured(try await leads.capture(s, d, channel: .form, receipt: nil)) }
        // double opt-in: the same checks as capture, and an address to confirm with
        let checked = try LeadValidator.make(d, id: ID.make(at: now), channel: .form, now: now)
        guard let email = checked.email, let mailer else { throw DomainError.field("email", "is needed to confirm your request") }
        let token = Secret.token(prefix: "")
        let fieldsJSON = JSONCoding.encode(kept)
        try await db.write { sql in
            try await sql.raw("DELETE FROM pending_leads WHERE expires_at < \(bind: now.millis)").run()
            try await sql.raw("""
                INSERT INTO pending_leads (token_hash, workspace_id, source_id, fields_json, email, created_at, expires_at)
                VALUES (\(bind: Self.hash(token)), \(bind: s.workspaceID), \(bind: s.id), \(bind: fieldsJSON), \(bind: email),
                  \(bind: now.millis), \(bind: now.addingTimeInterval(Self.confirmWindow).millis))
                """).run()
        }
        let (subject, body) = message(confirmBase + "/f/" + s.publicKey + "/confirm/" + token)
        do { try await mailer.send(to: email, subject: subject, body: body) } catch {
            try? await db.write { sql in try await sql.raw("DELETE FROM pending_leads WHERE token_hash = \(bind: Self.hash(token))").run() }
            throw DomainError.badRequest("the confirmation email could not be sent; please try again later")
        }
        return .confirmationSent
    }

    static func hash(_ token: String) -> String { Hex.string(SHA256.hash(data: Array(token.utf8))) }

    /// Keeps the lead a visitor confirmed by following the link mailed to them (once, within 48 hours).
    package func confirm(publicKey: String, token: String) async throws -> Lead {
        let s = try await source(publicKey: publicKey, kind: .form)
        let now = clock.now()
        // the first to delete the row keeps the lead: a double click confirms once
        guard token.count <= 100, let row = try await db.write({ sql in
            try await sql.raw("""
                DELETE FROM pending_leads WHERE token_hash = \(bind: Self.hash(token)) AND source_id = \(bind: s.id) RETURNING fields_json, expires_at
                """).first()
        }), try row.decode(column: "expires_at", as: Int64.self) > now.millis else {
            throw DomainError.notFound("confirmation")
        }
        var d = LeadDraft()
        for (f, v) in JSONCoding.decode([String: String].self, try row.decode(column: "fields_json", as: String.self)) ?? [:] { d.set(f, v) }
        return try await leads.capture(s, d, channel: .form, receipt: nil)
    }
}
