import Foundation
import SQLKit
import GuanxiCore

/// Replies to customers by mail. A reply is queued in its own transaction (recipient, Message-ID,
/// threading headers, state `pending`) and sent after it commits by whoever flushes the outbox
/// next — the mail service, woken at once — so the relay is never called inside a transaction and
/// a reply written while the relay is down is not lost: a failed send waits 1, 2, 4 … up to 60
/// minutes and is tried again, 12 times in all; after the last, the reply's author is notified.
package struct MailOutbox: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let mailer: SMTPMailer
    /// The bell the mail service waits on (rung on every server sharing the database).
    static let bell = "mail_outbox"
    /// Message-IDs are made at this host (the public URL's, else "guanxi.local").
    package let domain: String
    /// Where links in mail to customers point (the public URL, else `https://` and the domain).
    package let linkBase: String
    package static let maxAttempts = 12
    /// How long a send may take before another flush may take the reply over.
    static let lease: TimeInterval = 600
    /// Where a reply's attachments are read from to go with it.
    let files: AttachmentFiles?

    package init(db: Database, clock: any GuanxiCore.Clock, mailer: SMTPMailer, domain: String, publicURL: String? = nil,
                 files: AttachmentFiles? = nil) {
        self.db = db; self.clock = clock; self.mailer = mailer; self.domain = domain; self.files = files
        linkBase = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "https://\(domain)"
    }

    /// The Message-ID of a ticket message the desk sends.
    package func messageID(ticketID: String, messageID: String) -> String { "ticket-\(ticketID)-\(messageID)@\(domain)" }

    /// Queues reply `m` on ticket `t` inside the reply's transaction: to the address the customer
    /// last wrote to this ticket from, else their first email; In-Reply-To the customer's last
    /// mail, References the ticket's mails in order (the first and the last nine). False when the
    /// customer has no address.
    func queue(_ m: TicketMessage, of t: Ticket, tx: Tx) async throws -> Bool {
        let sql = tx.sql
        let lastFrom = try await sql.raw("""
            SELECT mail_address FROM ticket_messages WHERE ticket_id = \(bind: t.id) AND kind = 'customer' AND mail_address IS NOT NULL
            ORDER BY created_at DESC, id DESC LIMIT 1
            """).first()?.decode(column: "mail_address", as: String.self)
        let emails = try await sql.raw("SELECT emails_json FROM customers WHERE id = \(bind: t.customerID)").first()
            .flatMap { JSONCoding.decode([String].self, try $0.decode(column: "emails_json", as: String.self)) } ?? []
        guard let address = lastFrom ?? emails.first else { return false }
        let thread = try await sql.raw("""
            SELECT message_id, kind FROM ticket_messages WHERE ticket_id = \(bind: t.id) AND message_id IS NOT NULL AND id <> \(bind: m.id)
            ORDER BY created_at, id
            """).all().map { (try $0.decode(column: "message_id", as: String.self), try $0.decode(column: "kind", as: String.self)) }
        let inReplyTo = thread.last { $0.1 == TicketMessage.Kind.customer.rawValue }?.0
        var references = thread.map(\.0)
        if references.count > 10 { references = [references[0]] + references.suffix(9) }
        try await sql.raw("""
            UPDATE ticket_messages SET message_id = \(bind: messageID(ticketID: t.id, messageID: m.id)), mail_address = \(bind: address),
              mail_state = 'pending', mail_in_reply_to = \(bind: inReplyTo), mail_references = \(bind: references.joined(separator: " ")),
              mail_next_at = \(bind: tx.now.millis)
            WHERE id = \(bind: m.id)
            """).run()
        return true
    }

    /// Wakes the mail service to send what was just queued.
    package func ring() async { await db.ring(Self.bell) }

    /// Waits for a ring, at most `limit` (the mail service between its passes).
    package func waitForWork(upTo limit: Duration) async { await db.bells(Self.bell).wait(upTo: limit) }

    /// Sends every queued reply that is due, each claimed first so two flushes never send one twice.
    package func flush(limit: Int = 50) async throws -> (sent: Int, failed: Int) {
        let now = clock.now()
        let due = try await db.read { sql in
            try await sql.raw("""
                SELECT id FROM ticket_messages WHERE mail_state IN ('pending', 'sending') AND mail_next_at <= \(bind: now.millis)
                ORDER BY mail_next_at LIMIT \(literal: limit)
                """).all().map { try $0.decode(column: "id", as: String.self) }
        }
        var sent = 0, failed = 0
        for id in due {
            guard let mail = try await claim(id, now: now) else { continue }
            do {
                // the reply's files go with it (multipart/mixed)
                var message = mail.message
                message.attachments = try mail.files.map { a in
                    guard let files else { throw AttachmentFiles.FileFailure("attachments are not kept on this server") }
                    return CheckedAttachment(name: a.name, contentType: a.contentType, data: try files.read(a.sha256))
                }
                try await mailer.send(message, date: clock.now())
                try await db.write { sql in
                    try await sql.raw("""
                        UPDATE ticket_messages SET mail_state = 'sent', mailed_at = \(bind: clock.now().millis), mail_attempts = mail_attempts + 1,
                          mail_error = NULL, mail_next_at = NULL
                        WHERE id = \(bind: id)
                        """).run()
                }
                sent += 1
            } catch {
                try await record(failure: error, of: id, mail: mail)
                failed += 1
            }
        }
        return (sent, failed)
    }

    /// A reply taken for sending, with what a failure needs to be recorded.
    struct Claimed: Sendable {
        var message: OutgoingMail
        /// The reply's files, read from disk just before sending.
        var files: [TicketAttachment]
        var attempts: Int
        var workspaceID: String
        var author: String?
        var ticketID: String
        var number: Int
    }

    /// Takes reply `id` for sending (state `sending` for the lease) and reads what the mail needs; nil when another flush has it.
    private func claim(_ id: String, now: Date) async throws -> Claimed? {
        try await db.write { sql in
            guard try await sql.raw("""
                UPDATE ticket_messages SET mail_state = 'sending', mail_next_at = \(bind: now.addingTimeInterval(Self.lease).millis)
                WHERE id = \(bind: id) AND mail_state IN ('pending', 'sending') AND mail_next_at <= \(bind: now.millis) RETURNING id
                """).first() != nil,
                let r = try await sql.raw("""
                SELECT m.body, m.message_id, m.mail_address, m.mail_in_reply_to, m.mail_references, m.mail_attempts, m.author_id, m.workspace_id,
                  m.ticket_id, t.number, t.subject, c.name
                FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id WHERE m.id = \(bind: id)
                """).first() else { return nil }
            let inReplyTo = try r.decode(column: "mail_in_reply_to", as: String?.self)
            let number = try r.decode(column: "number", as: Int.self)
            let mail = OutgoingMail(
                from: mailer.from,
                to: MailAddress(name: try r.decode(column: "name", as: String.self), address: try r.decode(column: "mail_address", as: String.self)),
                subject: MailComposer.ticketSubject(number: number, subject: try r.decode(column: "subject", as: String.self), answering: inReplyTo != nil),
                body: try r.decode(column: "body", as: String.self), messageID: try r.decode(column: "message_id", as: String.self),
                inReplyTo: inReplyTo,
                references: (try r.decode(column: "mail_references", as: String?.self) ?? "").split(separator: " ").map(String.init))
            return Claimed(message: mail, files: try await TicketAttachments.of(message: id, sql: sql), attempts: try r.decode(column: "mail_attempts", as: Int.self),
                           workspaceID: try r.decode(column: "workspace_id", as: String.self), author: try r.decode(column: "author_id", as: String?.self),
                           ticketID: try r.decode(column: "ticket_id", as: String.self), number: number)
        }
    }

    /// A failed send: tried again after a pause that doubles each time, or, after the last try,
    /// given up with a notification to the reply's author.
    private func record(failure error: any Error, of id: String, mail: Claimed) async throws {
        let attempts = mail.attempts + 1
        let now = clock.now()
        let text = String(String(describing: error).prefix(500))
        let last = attempts >= Self.maxAttempts
        let pause = min(60 * pow(2, Double(attempts - 1)), 3600)
        try await db.write(Scope.acting(workspaceID: mail.workspaceID, userID: nil), at: now) { tx in
            try await tx.sql.raw("""
                UPDATE ticket_messages SET mail_state = \(bind: last ? "failed" : "pending"), mail_attempts = \(bind: attempts),
                  mail_error = \(bind: text), mail_next_at = \(bind: last ? nil : now.addingTimeInterval(pause).millis)
                WHERE id = \(bind: id)
                """).run()
            if last, let author = mail.author {
                try await NotificationStore.add([author], kind: "mail_failed",
                                                subject: "#\(mail.number): the reply to \(mail.message.to.address) could not be mailed (\(text))",
                                                link: "/tickets/\(mail.ticketID)", tx: tx)
            }
        }
    }
}

extension TicketStore {
    /// Replies waiting to be mailed (or being mailed) and those given up after the last attempt, of
    /// one workspace or (nil) every workspace (whether or not an outgoing mailer is configured now).
    package func mailQueueDepths(workspaceID: String?) async throws -> [QueueDepth] {
        try await db.read { sql in
            let workspace: SQLQueryString = workspaceID.map { "AND workspace_id = \(bind: $0) " } ?? ""
            let rows = try await sql.raw("SELECT mail_state AS state, COUNT(*) AS n FROM ticket_messages WHERE mail_state IN ('pending', 'sending', 'failed') "
                                         + workspace + "GROUP BY mail_state").all()
            var pending = 0, failed = 0
            for r in rows {
                let n = try r.decode(column: "n", as: Int.self)
                if try r.decode(column: "state", as: String.self) == "failed" { failed += n } else { pending += n }
            }
            return [QueueDepth(name: "mail_pending", depth: pending), QueueDepth(name: "mail_failed", depth: failed)]
        }
    }
}
