import Foundation
import SQLKit
import GuanxiCore

/// A portal session as it is opened: the cookie value (shown once) and the visitor it belongs to.
package struct IssuedPortalSession: Sendable, Equatable {
    package var secret: String
    package var visitor: PortalVisitor
    package var expiresAt: Date
}

/// A code as it was mailed (the store keeps only hashes): for the mail, and for tests.
package struct IssuedPortalCode: Sendable, Equatable {
    package var code: String
    package var linkToken: String
    package var workspaceID: String
    package var customerID: String
}

/// The customer portal: sign-in by a one-time code or link sent to one of a customer's email
/// addresses, the portal's own sessions, and what a signed-in customer may see and do. Every read
/// and write starts from the visitor: a record of another customer (or workspace) is not found,
/// whatever id is asked for. Writes go through the same store functions and rules as staff
/// writes, acting for the workspace, and are marked as made by the customer (`by: customer`).
package struct PortalStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let mailer: SMTPMailer?
    let customers: CustomerStore
    let tickets: TicketStore
    let quotes: QuoteStore
    let surveys: SurveyStore
    package let policy: PortalPolicy

    package init(db: Database, clock: any GuanxiCore.Clock, mailer: SMTPMailer?, customers: CustomerStore, tickets: TicketStore,
                 quotes: QuoteStore, surveys: SurveyStore, policy: PortalPolicy = PortalPolicy()) {
        self.db = db; self.clock = clock; self.mailer = mailer; self.customers = customers; self.tickets = tickets
        self.quotes = quotes; self.surveys = surveys; self.policy = policy
    }

    /// Who acts in the stores for a visitor: the workspace itself (no user). What the visitor may
    /// reach is decided here, before any store is called with it.
    static func acting(_ v: PortalVisitor) -> Scope { Scope(workspaceID: v.workspaceID, userID: nil, role: .owner) }

    /// Marks a change as the customer's own, on the timeline and in the audit log.
    static func mark(_ v: PortalVisitor) -> [String: JSONValue] { ["by": "customer", "customer_id": .string(v.customerID)] }

    // MARK: Sign-in

    /// Mails a one-time code (and a link) to the address when it is a customer's: every customer
    /// holding it, in every workspace, may then sign in with that code. The caller answers the same
    /// whether or not the address is known; the mail is sent after the answer (the answer takes as
    /// long either way). Limits per address and per network address hold for unknown addresses too.
    /// Answers what was mailed (nothing for an unknown address).
    @discardableResult
    package func requestCode(email raw: String, address: String, message: @escaping @Sendable (_ code: String, _ link: String) -> (subject: String, body: String),
                             linkBase: String) async throws -> [IssuedPortalCode] {
        guard let email = IdentityNormalizer.email(raw) else { throw DomainError.field("email", "'\(String(raw.prefix(100)))' is not a valid email address") }
        let issued = try await issue(kind: "email", email, address: address) { _, _ in }
        if let first = issued.first, let mailer {
            let (subject, body) = message(first.code, linkBase + "/portal/sign-in/link?token=" + first.linkToken)
            Task { try? await mailer.send(to: email, subject: subject, body: body) }
        }
        return issued
    }

    /// Sends a one-time code as a text message to the number when it is a customer's (through the
    /// telephony provider of the first of their workspaces that has an address for text messages;
    /// `TextMessages`), under the same rules and limits as a mailed code. Answers what was issued.
    @discardableResult
    package func requestCode(phone raw: String, address: String, text: @escaping @Sendable (_ code: String) -> String) async throws -> [IssuedPortalCode] {
        guard let phone = IdentityNormalizer.phone(raw) else { throw DomainError.field("phone", "is not a phone number") }
        let expires = clock.now().addingTimeInterval(policy.codeLifetime)
        let issued = try await issue(kind: "phone", phone, address: address) { issued, sql in
            // queued in the code's own transaction: no code without its message, nor the reverse
            for ws in issued.map(\.workspaceID) {
                if try await TextMessages.enqueue(workspaceID: ws, to: phone, body: text(issued[0].code), purpose: "portal_sign_in",
                                                  expiresAt: expires, now: clock.now(), sql: sql) { break }
            }
        }
        if !issued.isEmpty { await db.ring(TextMessages.bell) }
        return issued
    }

    /// Issues a code (and a link) for every customer holding the identity, after the limits per
    /// identity and per network address; `send` queues its delivery in the same transaction.
    private func issue(kind: String, _ value: String, address: String,
                       send: @Sendable ([IssuedPortalCode], any SQLDatabase) async throws -> Void) async throws -> [IssuedPortalCode] {
        let now = clock.now()
        let since = now.addingTimeInterval(-policy.window).millis
        let mailKey = (kind == "email" ? "portal-mail:" : "portal-sms:") + value, ipKey = "portal-ip:" + address
        return try await db.write { sql -> [IssuedPortalCode] in
            let counts = try await sql.raw("""
                SELECT key, COUNT(*) AS n FROM sign_in_attempts WHERE key IN (\(bind: mailKey), \(bind: ipKey)) AND at >= \(bind: since) GROUP BY key
                """).all().reduce(into: [String: Int]()) { $0[try $1.decode(column: "key", as: String.self)] = try $1.decode(column: "n", as: Int.self) }
            if counts[ipKey, default: 0] >= policy.requestsPerIP || counts[mailKey, default: 0] >= policy.mailsPerAddress {
                throw DomainError.tooManyAttempts("too many codes were asked for; wait an hour and try again")
            }
            for key in [mailKey, ipKey] {
                try await sql.raw("INSERT INTO sign_in_attempts (key, at, ok) VALUES (\(bind: key), \(bind: now.millis), 1)").run()
                try await sql.raw("DELETE FROM sign_in_attempts WHERE key = \(bind: key) AND at < \(bind: now.millis - 86_400_000)").run()
            }
            let holders = try await sql.raw("""
                SELECT i.workspace_id, i.customer_id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                WHERE i.kind = \(bind: kind) AND i.value = \(bind: value) AND c.deleted_at IS NULL ORDER BY i.workspace_id
                """).all().map { (try $0.decode(column: "workspace_id", as: String.self), try $0.decode(column: "customer_id", as: String.self)) }
            guard !holders.isEmpty else { return [] }
            // an earlier code of the address stops working: the newest message is the one to use
            try await sql.raw("UPDATE portal_codes SET used_at = \(bind: now.millis) WHERE email = \(bind: value) AND kind = \(bind: kind) AND used_at IS NULL").run()
            let code = PortalRules.newCode()
            var out: [IssuedPortalCode] = []
            for (ws, customer) in holders {
                let id = ID.make(at: now), link = Secret.token(prefix: "gxl_")
                try await sql.raw("""
                    INSERT INTO portal_codes (id, workspace_id, customer_id, email, kind, code_hash, link_hash, created_at, expires_at, failures)
                    VALUES (\(bind: id), \(bind: ws), \(bind: customer), \(bind: value), \(bind: kind), \(bind: Self.codeHash(id, code)), \(bind: Secret.hash(link)),
                            \(bind: now.millis), \(bind: now.addingTimeInterval(policy.codeLifetime).millis), 0)
                    """).run()
                try await Tx(sql: sql, scope: .acting(workspaceID: ws, userID: nil), now: now, db: db)
                    .audit("portal_code", "customers", customer, detail: ["address": .string(address)])
                out.append(IssuedPortalCode(code: code, linkToken: link, workspaceID: ws, customerID: customer))
            }
            try await send(out, sql)
            return out
        }
    }

    static func codeHash(_ id: String, _ code: String) -> String { Secret.hash(id + ":" + code) }

    /// Whether any workspace sends text messages (the sign-in page offers a code by text message then).
    package func textMessagesAvailable() async throws -> Bool {
        try await db.read { sql in try await sql.raw("SELECT 1 AS x FROM telephony_settings WHERE sms_url IS NOT NULL LIMIT 1").first() != nil }
    }

    static let wrongCode = DomainError.unauthorized("the code is wrong or has expired; ask for a new one")

    /// Opens a session with the code mailed to the address (in the workspace named by its slug
    /// when the address is a customer's in several). A wrong code counts against every live code
    /// of the address; after `codeFailures` of them none works any more.
    package func signIn(email raw: String, code rawCode: String, workspaceSlug: String? = nil, address: String) async throws -> IssuedPortalSession {
        let now = clock.now()
        try await countAttempt(address, now: now)
        guard let email = IdentityNormalizer.email(raw) else { throw Self.wrongCode }
        return try await signIn(kind: "email", email, code: rawCode, workspaceSlug: workspaceSlug, address: address, now: now)
    }

    /// Opens a session with the code sent as a text message to the number (as `signIn(email:…)`).
    package func signIn(phone raw: String, code rawCode: String, workspaceSlug: String? = nil, address: String) async throws -> IssuedPortalSession {
        let now = clock.now()
        try await countAttempt(address, now: now)
        guard let phone = IdentityNormalizer.phone(raw) else { throw Self.wrongCode }
        return try await signIn(kind: "phone", phone, code: rawCode, workspaceSlug: workspaceSlug, address: address, now: now)
    }

    private func signIn(kind: String, _ email: String, code rawCode: String, workspaceSlug: String?, address: String, now: Date) async throws -> IssuedPortalSession {
        guard let code = PortalRules.code(rawCode) else { throw Self.wrongCode }
        let found = try await db.write { sql -> (id: String, ws: String, customer: String)? in
            let live = try await sql.raw("""
                SELECT p.id, p.workspace_id, p.customer_id, p.code_hash, w.slug FROM portal_codes p JOIN workspaces w ON w.id = p.workspace_id
                WHERE p.email = \(bind: email) AND p.kind = \(bind: kind) AND p.used_at IS NULL AND p.expires_at > \(bind: now.millis) AND p.failures < \(bind: policy.codeFailures)
                ORDER BY w.created_at, w.slug
                """).all()
            let matching = try live.filter { Secret.equal(try $0.decode(column: "code_hash", as: String.self), Self.codeHash(try $0.decode(column: "id", as: String.self), code)) }
            guard !matching.isEmpty else {
                try await sql.raw("""
                    UPDATE portal_codes SET failures = failures + 1 WHERE email = \(bind: email) AND kind = \(bind: kind) AND used_at IS NULL AND expires_at > \(bind: now.millis)
                    """).run()
                return nil
            }
            let pick = try matching.first { try $0.decode(column: "slug", as: String.self) == workspaceSlug } ?? matching[0]
            // single use: the address's codes all end with this sign-in
            try await sql.raw("UPDATE portal_codes SET used_at = \(bind: now.millis) WHERE email = \(bind: email) AND kind = \(bind: kind) AND used_at IS NULL").run()
            return (try pick.decode(column: "id", as: String.self), try pick.decode(column: "workspace_id", as: String.self),
                    try pick.decode(column: "customer_id", as: String.self))
        }
        guard let found else { throw Self.wrongCode }
        return try await openSession(workspaceID: found.ws, customerID: found.customer, kind: kind, email: email, address: address, now: now,
                                     how: kind == "phone" ? "text" : "code")
    }

    /// Opens a session with the link mailed with a code (once; the code ends with it).
    package func signIn(link token: String, address: String) async throws -> IssuedPortalSession {
        let now = clock.now()
        try await countAttempt(address, now: now)
        guard !token.isEmpty, token.count <= 100 else { throw Self.wrongCode }
        let found = try await db.write { sql -> (ws: String, customer: String, email: String)? in
            guard let r = try await sql.raw("""
                SELECT workspace_id, customer_id, email FROM portal_codes
                WHERE link_hash = \(bind: Secret.hash(token)) AND kind = 'email' AND used_at IS NULL AND expires_at > \(bind: now.millis) AND failures < \(bind: policy.codeFailures)
                """).first() else { return nil }
            let email = try r.decode(column: "email", as: String.self)
            try await sql.raw("UPDATE portal_codes SET used_at = \(bind: now.millis) WHERE email = \(bind: email) AND kind = 'email' AND used_at IS NULL").run()
            return (try r.decode(column: "workspace_id", as: String.self), try r.decode(column: "customer_id", as: String.self), email)
        }
        guard let found else { throw Self.wrongCode }
        return try await openSession(workspaceID: found.ws, customerID: found.customer, kind: "email", email: found.email, address: address, now: now, how: "link")
    }

    /// Sign-in attempts from one network address, good or bad, within the window (429 past the limit).
    func countAttempt(_ address: String, now: Date) async throws {
        let key = "portal-try:" + address
        let n = try await db.write { sql -> Int in
            let n = try await sql.raw("""
                SELECT COUNT(*) AS n FROM sign_in_attempts WHERE key = \(bind: key) AND at >= \(bind: now.addingTimeInterval(-policy.window).millis)
                """).first()!.decode(column: "n", as: Int.self)
            if n < policy.attemptsPerIP {
                try await sql.raw("INSERT INTO sign_in_attempts (key, at, ok) VALUES (\(bind: key), \(bind: now.millis), 0)").run()
            }
            return n
        }
        if n >= policy.attemptsPerIP { throw DomainError.tooManyAttempts("too many sign-in attempts from this address; wait an hour and try again") }
    }

    /// A new session for the customer, tied to the identity it was opened with (`kind`, `email`: an
    /// address or a number); it ends when the customer no longer holds that identity.
    func openSession(workspaceID ws: String, customerID: String, kind: String, email: String, address: String, now: Date, how: String) async throws -> IssuedPortalSession {
        let secret = Secret.token(prefix: "gxp_"), csrf = Secret.token(prefix: "")
        let expires = now.addingTimeInterval(policy.absolute)
        try await db.write(.acting(workspaceID: ws, userID: nil), at: now) { tx in
            try await tx.sql.raw("""
                INSERT INTO portal_sessions (id_hash, workspace_id, customer_id, email, kind, csrf, created_at, last_seen_at, expires_at, address)
                VALUES (\(bind: Secret.hash(secret)), \(bind: ws), \(bind: customerID), \(bind: email), \(bind: kind), \(bind: csrf), \(bind: now.millis),
                        \(bind: now.millis), \(bind: expires.millis), \(bind: address))
                """).run()
            try await tx.audit("portal_sign_in", "customers", customerID, detail: ["address": .string(address), "by": .string(how)])
        }
        guard let v = try await visitor(secret) else { throw Self.wrongCode }
        return IssuedPortalSession(secret: secret, visitor: v, expiresAt: expires)
    }

    /// The visitor of a live session: nil when it is unknown, ended, idle too long or past its end,
    /// or when the customer no longer holds the address it was opened with (removed, merged, deleted).
    package func visitor(_ secret: String) async throws -> PortalVisitor? {
        guard !secret.isEmpty, secret.count < 200 else { return nil }
        let now = clock.now()
        let key = Secret.hash(secret)
        guard let r = try await db.read({ sql in
            try await sql.raw("""
                SELECT s.workspace_id, s.customer_id, s.email, s.csrf, s.last_seen_at, s.expires_at, c.name, c.organization_id, o.name AS org_name,
                  r.role
                FROM portal_sessions s
                JOIN customers c ON c.id = s.customer_id AND c.workspace_id = s.workspace_id AND c.deleted_at IS NULL
                JOIN customer_identities i ON i.workspace_id = s.workspace_id AND i.kind = s.kind AND i.value = s.email AND i.customer_id = s.customer_id
                LEFT JOIN customers o ON o.id = c.organization_id AND o.workspace_id = c.workspace_id AND o.deleted_at IS NULL
                LEFT JOIN portal_roles r ON r.workspace_id = s.workspace_id AND r.customer_id = s.customer_id
                WHERE s.id_hash = \(bind: key) AND s.revoked_at IS NULL
                """).first()
        }) else { return nil }
        let last = try r.decode(column: "last_seen_at", as: Int64.self)
        guard try r.decode(column: "expires_at", as: Int64.self) > now.millis, now.millis - last < Int64(policy.idle * 1000) else { return nil }
        if now.millis - last > 60_000 {
            try await db.write { sql in
                try await sql.raw("UPDATE portal_sessions SET last_seen_at = \(bind: now.millis) WHERE id_hash = \(bind: key)").run()
            }
        }
        let orgName = try r.decode(column: "org_name", as: String?.self), orgID = try r.decode(column: "organization_id", as: String?.self)
        return PortalVisitor(workspaceID: try r.decode(column: "workspace_id", as: String.self), customerID: try r.decode(column: "customer_id", as: String.self),
                             name: try r.decode(column: "name", as: String.self), email: try r.decode(column: "email", as: String.self),
                             organizationID: orgName == nil ? nil : orgID, organizationName: orgName,
                             role: PortalRole(rawValue: try r.decode(column: "role", as: String?.self) ?? "") ?? .member,
                             csrf: try r.decode(column: "csrf", as: String.self))
    }

    package func signOut(_ secret: String) async throws {
        try await db.write { sql in
            try await sql.raw("UPDATE portal_sessions SET revoked_at = \(bind: clock.now().millis) WHERE id_hash = \(bind: Secret.hash(secret))").run()
        }
    }

    /// Sets a contact's role in the portal (staff: those who may update the customer).
    package func setRole(_ scope: Scope, customerID: String, role: PortalRole) async throws {
        try await customers.check(scope, id: customerID, may: .update)
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("""
                INSERT INTO portal_roles (workspace_id, customer_id, role, updated_at)
                VALUES (\(bind: scope.workspaceID), \(bind: customerID.lowercased()), \(bind: role.rawValue), \(bind: now.millis))
                ON CONFLICT (workspace_id, customer_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at
                """).run()
            try await tx.audit("portal_role", "customers", customerID.lowercased(), detail: ["role": .string(role.rawValue)])
        }
    }

    // MARK: Orders and quotes

    /// The visitor's and their organisation's orders, newest first (without lines).
    package func orders(_ v: PortalVisitor, limit: Int = 100) async throws -> [Order] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: OrderStore.columns) FROM orders o
                WHERE o.workspace_id = \(bind: v.workspaceID) AND o.customer_id IN (\(binds: v.documentCustomers))
                ORDER BY o.placed_at DESC, o.id DESC LIMIT \(bind: limit)
                """).all().map { try OrderStore.decode($0, lines: []) }
        }
    }

    /// One of the visitor's orders with its lines, payments, collection plan and shipments; any other is not found.
    package func order(_ v: PortalVisitor, id: String) async throws -> Order {
        guard ID.isValid(id) else { throw DomainError.notFound("order") }
        return try await db.read { sql in
            guard try await sql.raw("""
                SELECT 1 AS x FROM orders WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: v.workspaceID) AND customer_id IN (\(binds: v.documentCustomers))
                """).first() != nil else { throw DomainError.notFound("order") }
            return try await OrderStore.load(Self.acting(v), id.lowercased(), for: .read, now: clock.now(), sql: sql).0
        }
    }

    /// What a customer sees of quotes: those sent to them and what became of them (never drafts).
    static let shownQuotes = [QuoteStatus.sent, .accepted, .rejected].map(\.rawValue)

    package func quotes(_ v: PortalVisitor, limit: Int = 100) async throws -> [Quote] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: QuoteStore.columns) FROM quotes
                WHERE workspace_id = \(bind: v.workspaceID) AND customer_id IN (\(binds: v.documentCustomers)) AND status IN (\(binds: Self.shownQuotes))
                ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """).all().map(QuoteStore.decode)
        }
    }

    package func quote(_ v: PortalVisitor, id: String) async throws -> Quote {
        guard ID.isValid(id) else { throw DomainError.notFound("quote") }
        return try await db.read { sql in
            guard let r = try await sql.raw("""
                SELECT \(unsafeRaw: QuoteStore.columns) FROM quotes
                WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: v.workspaceID) AND customer_id IN (\(binds: v.documentCustomers))
                  AND status IN (\(binds: Self.shownQuotes))
                """).first() else { throw DomainError.notFound("quote") }
            return try QuoteStore.decode(r)
        }
    }

    /// The customer accepts a quote sent to them: its order is placed as when staff record the acceptance.
    package func accept(_ v: PortalVisitor, quoteID: String) async throws -> (Quote, Order) {
        let q = try await quote(v, id: quoteID)
        guard v.mayAccept(quoteFor: q.customerID) else { throw DomainError.forbidden("only your organisation's portal administrators may accept its quotes") }
        let done = try await quotes.accept(Self.acting(v), id: q.id, ifVersion: q.version)
        try await db.write(Self.acting(v), at: clock.now()) { tx in
            try await tx.audit("portal_accept", "quotes", q.id, detail: .object(Self.mark(v)))
        }
        return done
    }

    /// A question about a quote becomes a service request of the customer, naming the quote.
    package func ask(_ v: PortalVisitor, quoteID: String, subject: String, body: String) async throws -> Ticket {
        let q = try await quote(v, id: quoteID)
        let s = Text.clean(subject)
        return try await submit(v, subject: String((s.isEmpty ? "\(q.number) · \(q.title)" : s).prefix(200)), body: body, type: TicketType.inquiry.rawValue, orderID: nil)
    }

    // MARK: Service requests

    /// The visitor's requests (an administrator's: the organisation's too), newest first.
    package func requests(_ v: PortalVisitor, limit: Int = 100) async throws -> [Ticket] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: TicketStore.columns) \(unsafeRaw: TicketStore.from)
                WHERE t.workspace_id = \(bind: v.workspaceID) AND t.customer_id IN (\(binds: v.requestCustomers))
                ORDER BY t.created_at DESC, t.id DESC LIMIT \(bind: limit)
                """).all().map { try TicketStore.decode($0).ticket }
        }
    }

    /// One of the visitor's requests; any other is not found.
    func reachable(_ v: PortalVisitor, _ id: String, sql: any SQLDatabase) async throws -> Ticket {
        guard ID.isValid(id), let r = try await sql.raw("""
            SELECT \(unsafeRaw: TicketStore.columns) \(unsafeRaw: TicketStore.from)
            WHERE t.id = \(bind: id.lowercased()) AND t.workspace_id = \(bind: v.workspaceID) AND t.customer_id IN (\(binds: v.requestCustomers))
            """).first() else { throw DomainError.notFound("ticket") }
        return try TicketStore.decode(r).ticket
    }

    /// A request with its conversation as the customer sees it (never internal notes or their files) and its latest survey.
    package func request(_ v: PortalVisitor, id: String) async throws -> (ticket: Ticket, messages: [TicketMessage], survey: TicketSurvey?) {
        let t = try await db.read { sql in try await reachable(v, id, sql: sql) }
        let messages = try await tickets.messages(Self.acting(v), id: t.id).filter { $0.kind != .note }
        let survey = try await surveys.latest(Self.acting(v), ticketID: t.id)
        return (t, messages, survey)
    }

    /// Opens a request for the visitor (channel `portal`), with its files under the desk's attachment rules.
    package func submit(_ v: PortalVisitor, subject: String, body: String, type: String?, orderID: String?,
                        attachments: [AttachmentUpload] = []) async throws -> Ticket {
        var e = FieldErrors()
        var fields: [String: DomainMessage] = [:]
        do { _ = try PortalRules.request(subject: subject, body: body, type: type) } catch let DomainError.validation(f) { fields = f }
        let checked = AttachmentRules.checked(attachments, into: &e)
        for (k, m) in e.messages where fields[k] == nil { fields[k] = m }
        if !fields.isEmpty { throw DomainError.validation(fields) }
        let r = try PortalRules.request(subject: subject, body: body, type: type)
        var d = TicketDraft()
        d.customerID = v.customerID; d.subject = r.subject; d.body = r.body; d.type = r.type.rawValue
        d.channel = TicketChannel.portal.rawValue; d.requireCustom = false
        if let o = orderID, !o.isEmpty { d.orderID = try await order(v, id: o).id }
        let valid = try d.validated()
        let draft = d
        let stored = try TicketAttachments.store(checked, in: tickets.files)
        return try await db.write(Self.acting(v), at: clock.now()) { tx in
            let (t, m) = try await TicketStore.open(draft, valid, tx: tx)
            try await TicketAttachments.attach(stored, to: m, of: t, tx: tx)
            try await tx.audit("portal_request", "tickets", t.id, detail: .object(Self.mark(v)))
            return t
        }
    }

    /// The customer's reply on one of their requests (a resolved one opens again, as a customer's mail would).
    package func reply(_ v: PortalVisitor, id: String, body raw: String, attachments: [AttachmentUpload] = []) async throws -> Ticket {
        let body = Text.clean(raw)
        var e = FieldErrors()
        if body.isEmpty || body.count > 50_000 { e.add("body", "must be 1 to 50000 characters") }
        let checked = AttachmentRules.checked(attachments, into: &e)
        try e.throwIfAny()
        let found = try await db.read { sql in try await reachable(v, id, sql: sql) }
        let stored = try TicketAttachments.store(checked, in: tickets.files)
        return try await db.write(Self.acting(v), at: clock.now()) { tx in
            let (t, m) = try await TicketStore.add(id: found.id, kind: .customer, body: body, status: nil, ifVersion: nil, tx: tx)
            try await TicketAttachments.attach(stored, to: m, of: t, tx: tx)
            try await tx.audit("portal_reply", "tickets", t.id, detail: .object(Self.mark(v)))
            return t
        }
    }

    /// The customer rates a resolved request: the survey its resolution made, answered once.
    package func rate(_ v: PortalVisitor, id: String, rating: String?, nps: String?, comment: String?) async throws -> SurveyOutcome {
        let t = try await db.read { sql in try await reachable(v, id, sql: sql) }
        return try await surveys.answer(ticketID: t.id, workspaceID: v.workspaceID, rating: rating, nps: nps, comment: comment)
    }

    /// A file of the conversation the customer sees; a note's, another request's or another customer's is not found.
    package func attachment(_ v: PortalVisitor, ticketID: String, id: String) async throws -> (TicketAttachment, Data) {
        let (_, messages, _) = try await request(v, id: ticketID)
        guard let a = messages.flatMap(\.attachments).first(where: { $0.id == id.lowercased() }), let files = tickets.files else {
            throw DomainError.notFound("attachment")
        }
        return (a, try files.read(a.sha256))
    }

    // MARK: Details

    package func details(_ v: PortalVisitor) async throws -> Customer {
        try await customers.get(Self.acting(v), id: v.customerID)
    }

    /// The customer changes their name, phone numbers, per-channel consent and preferred channel:
    /// the same validation and identity checks as a staff edit, and a timeline entry saying the customer made it.
    package func updateDetails(_ v: PortalVisitor, name: String?, phones: [String]?, consent: [String: ConsentStatus]?,
                               preferredChannel: ContactChannel??, ifVersion: Int?) async throws -> Customer {
        var d = CustomerDraft()
        d.name = name; d.phones = phones; d.consent = consent; d.preferredChannel = preferredChannel
        let draft = d, mark = Self.mark(v)
        return try await customers.update(Self.acting(v), id: v.customerID, ifVersion: ifVersion, { _ in draft }, also: { old, new, tx in
            var changed: [JSONValue] = []
            if old.name != new.name { changed.append("name") }
            if old.phones != new.phones { changed.append("phones") }
            if old.consent != new.consent { changed.append("consent") }
            if old.preferredChannel != new.preferredChannel { changed.append("preferred_channel") }
            var data = mark
            data["step"] = "details_changed"; data["fields"] = .array(changed)
            try await tx.timeline([TimelineEntry(id: ID.make(at: tx.now), customerID: new.id, kind: .interaction, occurredAt: tx.now, channel: .web,
                                                 direction: .inbound, data: data, createdAt: tx.now)])
            try await tx.audit("portal_details", "customers", new.id, detail: .object(data))
        })
    }
}
