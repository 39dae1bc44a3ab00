import Foundation
import Crypto
import Logging
import SQLKit
import GuanxiCore

/// A mail the intake could not read or file, kept for the workspace's administrators.
package struct QuarantinedMail: Sendable, Encodable, Equatable {
    package var id: String
    package var receivedAt: Date
    package var reason: String
    package var sender: String?
    package var subject: String?
    /// The message's size in bytes (only the first 25 MB of a larger one are kept).
    package var size: Int
    /// The start of the raw message as text.
    package var preview: String
    enum CodingKeys: String, CodingKey { case id, reason, sender, subject, size, preview, receivedAt = "received_at" }
}

/// Customers' mail into the service desk: each unseen message of the mailbox becomes a ticket, or
/// a message on the ticket it answers, and is then marked seen. It answers a ticket when its
/// In-Reply-To or References name a message of that ticket (a customer's mail or the desk's reply),
/// or when its subject carries the ticket's `[#number]` and it comes from that ticket's customer's
/// address; otherwise it opens a ticket (channel email) for the customer holding the sender's
/// address, created from the sender's display name when nobody does. A customer's message moves
/// the ticket as `TicketFlow` says (waiting on the customer → open; resolved or closed → reopened).
/// Mail it cannot read or file goes to the quarantine, the workspace's owners and administrators
/// are notified, and the pass goes on with the next message.
package struct MailIntake: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let customers: CustomerStore
    /// Where the mail's attachments are kept.
    let files: AttachmentFiles?
    /// Larger messages are quarantined with their first this many bytes.
    package static let sizeLimit = 25 * 1024 * 1024
    /// At most this many messages per pass.
    static let passLimit = 500

    package init(db: Database, clock: any GuanxiCore.Clock, customers: CustomerStore, files: AttachmentFiles? = nil) {
        self.db = db; self.clock = clock; self.customers = customers; self.files = files
    }

    /// What became of one mail.
    package enum Outcome: Sendable, Equatable {
        case opened(ticketID: String, number: Int)
        case answered(ticketID: String, number: Int)
        /// Filed before (the same Message-ID): marked seen, nothing added.
        case duplicate
        case quarantined(reason: String)
    }

    // MARK: Polling

    /// One pass over the mailbox's unseen messages, oldest first. A message the database could not
    /// take stays unseen for the next pass; a server that refuses one message's command skips it;
    /// a lost connection ends the pass (and throws).
    package func poll(_ box: IMAPMailbox, workspaceID: String, logger: Logger) async throws -> [Outcome] {
        let session = try await IMAPSession.open(box)
        var outcomes: [Outcome] = []
        do {
            for uid in try await session.unseen().prefix(Self.passLimit) {
                do {
                    guard let size = try await session.size(uid) else { continue }
                    let outcome: Outcome
                    if size > Self.sizeLimit {
                        let head = try await session.fetch(uid, limit: Self.sizeLimit) ?? []
                        outcome = try await quarantine(head, size: size, reason: "larger than the 25 MB limit (\(size) bytes)", workspaceID: workspaceID)
                    } else {
                        guard let raw = try await session.fetch(uid) else { continue }
                        outcome = try await take(raw, workspaceID: workspaceID)
                    }
                    try await session.markSeen(uid)
                    if case .quarantined(let reason) = outcome {
                        logger.warning("mail quarantined", metadata: ["uid": "\(uid)", "reason": "\(reason)"])
                    }
                    outcomes.append(outcome)
                } catch let refused as IMAPRefusal {
                    logger.error("the mail server refused a command for message \(uid): \(refused)")
                } catch let lost as MailServerFailure {
                    throw lost
                } catch {
                    logger.error("mail \(uid) could not be filed and stays unseen: \(error)")
                }
            }
        } catch {
            await session.logout()
            throw error
        }
        await session.logout()
        return outcomes
    }

    // MARK: Filing

    /// Files one raw message into the workspace, or quarantines it. Throws only when the database
    /// cannot take it either way (the caller leaves it for another pass).
    package func take(_ raw: [UInt8], workspaceID: String) async throws -> Outcome {
        let mail: InboundMail
        do { mail = try InboundMail.parse(raw) } catch {
            return try await quarantine(raw, size: raw.count, reason: error.reason, workspaceID: workspaceID)
        }
        if mail.isBounce {
            return try await quarantine(raw, size: raw.count, reason: "a delivery failure report (bounce) from \(mail.from.address)",
                                        workspaceID: workspaceID)
        }
        do {
            return try await file(mail, digest: Self.digest(raw), workspaceID: workspaceID)
        } catch let e as DomainError {
            return try await quarantine(raw, size: raw.count, reason: "could not be filed: \(Self.describe(e))", workspaceID: workspaceID)
        }
    }

    /// Files a readable mail in one transaction, acting as the workspace itself (no user). Its
    /// attachments within the rules are kept on the customer's message; the others are named in
    /// the message's text with the reason, and the mail is filed all the same.
    func file(_ mail: InboundMail, digest: String, workspaceID ws: String) async throws -> Outcome {
        let now = clock.now()
        let customers = customers
        let (kept, refused) = AttachmentRules.sort(mail.files)
        let stored = try TicketAttachments.store(files == nil ? [] : kept, in: files)
        var notKept = refused.map { "\($0.refusal.name): \($0.refusal.message.text)" }
        if files == nil { notKept += kept.map { "\($0.name): not kept on this server" } }
        let note = notKept.isEmpty ? "" : "\n\n(attachments not kept: " + notKept.joined(separator: "; ") + ")"
        return try await db.write(Scope(workspaceID: ws, userID: nil, role: .owner), at: now) { tx in
            let sql = tx.sql
            // a sender without a Message-ID gets one from the content, so a second fetch is still recognised
            let messageID = mail.messageID ?? "\(digest.prefix(32))@guanxi.inbound"
            if try await sql.raw("""
                SELECT 1 AS x FROM ticket_messages WHERE workspace_id = \(bind: ws) AND message_id = \(bind: messageID)
                """).first() != nil { return .duplicate }
            let said = mail.words + note
            let words = said.count > 50_000 ? String(said.prefix(49_999)) + "…" : said
            let answered: String?
            if let id = try await Self.ticket(answering: mail, workspaceID: ws, sql: sql) {
                answered = id
            } else if let number = MailText.ticketNumber(in: mail.subject) {
                answered = try await sql.raw("""
                    SELECT t.id FROM tickets t JOIN customer_identities i ON i.customer_id = t.customer_id AND i.workspace_id = t.workspace_id
                    WHERE t.workspace_id = \(bind: ws) AND t.number = \(bind: number) AND i.kind = 'email' AND i.value = \(bind: mail.from.address)
                    """).first()?.decode(column: "id", as: String.self)
            } else { answered = nil }
            let (ticket, message): (Ticket, TicketMessage)
            if let answered {
                (ticket, message) = try await TicketStore.add(id: answered, kind: .customer, body: words, status: nil, ifVersion: nil, tx: tx)
            } else {
                var d = TicketDraft()
                d.customerID = try await Self.customer(for: mail.from, customers: customers, tx: tx)
                let subject = MailText.cleanSubject(mail.subject)
                d.subject = subject.isEmpty ? "(no subject)" : String(subject.prefix(200))
                d.body = words
                d.channel = TicketChannel.email.rawValue
                d.requireCustom = false  // a mail cannot fill the ticket's required fields; agents do
                (ticket, message) = try await TicketStore.open(d, try d.validated(), tx: tx)
            }
            try await TicketAttachments.attach(stored, to: message, of: ticket, tx: tx)
            try await sql.raw("""
                UPDATE ticket_messages SET message_id = \(bind: messageID), mail_address = \(bind: mail.from.address) WHERE id = \(bind: message.id)
                """).run()
            try await tx.audit("mail_in", "tickets", ticket.id, detail: ["message_id": .string(messageID), "from": .string(mail.from.address),
                                                                        "opened": .bool(answered == nil)])
            return answered == nil ? .opened(ticketID: ticket.id, number: ticket.number) : .answered(ticketID: ticket.id, number: ticket.number)
        }
    }

    /// The ticket whose message the mail answers (In-Reply-To, then References from the newest).
    static func ticket(answering mail: InboundMail, workspaceID: String, sql: any SQLDatabase) async throws -> String? {
        let ids = Array(mail.answers.prefix(50))
        guard !ids.isEmpty else { return nil }
        let found = try await sql.raw("""
            SELECT ticket_id, message_id FROM ticket_messages WHERE workspace_id = \(bind: workspaceID) AND message_id IN (\(binds: ids))
            """).all().map { (try $0.decode(column: "message_id", as: String.self), try $0.decode(column: "ticket_id", as: String.self)) }
        let byID = Dictionary(found, uniquingKeysWith: { a, _ in a })
        return ids.lazy.compactMap { byID[$0] }.first
    }

    /// The customer holding the address, or a new one named after the sender (source "email").
    static func customer(for from: MailAddress, customers: CustomerStore, tx: Tx) async throws -> String {
        if let id = try await tx.sql.raw("""
            SELECT i.customer_id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
            WHERE i.workspace_id = \(bind: tx.scope.workspaceID) AND i.kind = 'email' AND i.value = \(bind: from.address) AND c.deleted_at IS NULL
            """).first()?.decode(column: "customer_id", as: String.self) { return id }
        var d = CustomerDraft()
        d.kind = .person
        d.name = String((from.name ?? String(from.address.prefix { $0 != "@" })).prefix(100))
        d.emails = [from.address]
        d.source = .some("email")
        return try await customers.insert(d, tx: tx).id
    }

    // MARK: Quarantine

    /// Keeps a mail that could not be filed (once per content), and notifies the workspace's
    /// owners and administrators the first time.
    func quarantine(_ raw: [UInt8], size: Int, reason: String, workspaceID ws: String) async throws -> Outcome {
        let now = clock.now()
        // what can still be read of its headers, for the list
        let head = raw.prefix(64 * 1024)
        let end = head.firstRange(of: [13, 10, 13, 10])?.lowerBound ?? head.firstRange(of: [10, 10])?.lowerBound ?? head.endIndex
        let headers = try? MailHeaders.parse(head[..<end])
        let sender = headers?["From"].map { MailAddress.parse($0)?.address ?? String($0.prefix(200)) }
        let subject = headers?["Subject"].map { String(Text.clean(MailHeaders.decodeWords($0)).prefix(200)) }
        let id = ID.make(at: now)
        try await db.write(Scope.acting(workspaceID: ws, userID: nil), at: now) { tx in
            let inserted = try await tx.sql.raw("""
                INSERT INTO mail_quarantine (id, workspace_id, received_at, reason, sender, subject, size, digest, raw)
                VALUES (\(bind: id), \(bind: ws), \(bind: now.millis), \(bind: reason), \(bind: sender), \(bind: subject), \(bind: size),
                  \(bind: Self.digest(raw)), \(bind: Data(raw).base64EncodedString()))
                ON CONFLICT (workspace_id, digest) DO NOTHING RETURNING id
                """).first() != nil
            guard inserted else { return }
            try await tx.audit("quarantine", "mail", id, detail: ["reason": .string(reason), "from": sender.map(JSONValue.string) ?? .null])
            let admins = try await NotificationStore.workspaceAdmins(ws, sql: tx.sql)
            try await NotificationStore.add(admins, kind: "mail_quarantined",
                                            subject: "Mail quarantined (\(reason))" + (sender.map { " from \($0)" } ?? ""), link: nil, tx: tx)
        }
        return .quarantined(reason: reason)
    }

    /// The workspace's quarantined mail, newest first.
    package func quarantined(_ scope: Scope, limit: Int = 50) async throws -> [QuarantinedMail] {
        try scope.require(.settings, .read)
        return try await db.read { sql in
            try await sql.raw("""
                SELECT id, received_at, reason, sender, subject, size, raw FROM mail_quarantine WHERE workspace_id = \(bind: scope.workspaceID)
                ORDER BY received_at DESC, id DESC LIMIT \(literal: min(max(limit, 1), 200))
                """).all().map { r in
                let raw = Data(base64Encoded: try r.decode(column: "raw", as: String.self)) ?? Data()
                return QuarantinedMail(id: try r.decode(column: "id", as: String.self),
                                       receivedAt: Date(millis: try r.decode(column: "received_at", as: Int64.self)),
                                       reason: try r.decode(column: "reason", as: String.self), sender: try r.decode(column: "sender", as: String?.self),
                                       subject: try r.decode(column: "subject", as: String?.self), size: try r.decode(column: "size", as: Int.self),
                                       preview: String(decoding: raw.prefix(4096), as: UTF8.self))
            }
        }
    }

    static func digest(_ raw: [UInt8]) -> String { Hex.string(SHA256.hash(data: raw)) }

    static func describe(_ e: DomainError) -> String {
        switch e {
        case .validation(let f): f.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ")
        case .notFound(let w): "\(w) not found"
        case .duplicate(_, _, let m), .conflict(let m), .unauthorized(let m), .forbidden(let m), .badRequest(let m), .tooManyAttempts(let m): m.text
        case .staleVersion: "the ticket changed meanwhile"
        }
    }
}
