import Foundation
import SQLKit
import GuanxiCore

/// A survey as its public page shows it: the survey, the nonce its form carries, and the ticket it asks about.
package struct SurveyVisit: Sendable {
    package var survey: TicketSurvey
    package var state: SurveyState
    package var nonce: String
    package var number: Int
    package var subject: String
}

/// What a survey form's post did.
package enum SurveyOutcome: Sendable, Equatable {
    case recorded(TicketSurvey)
    case alreadyAnswered
    case expired
}

/// Satisfaction surveys: made (and mailed) when a ticket is resolved, answered once through the
/// link's page, read on the ticket and through the API; negative feedback is followed up.
package struct SurveyStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    static let columns = "id, ticket_id, created_at, expires_at, answered_at, rating, nps, comment, reply_due_at, replied_at"

    // MARK: Made on resolution

    /// Makes the survey of ticket `t`'s resolution, once (a second call for the same resolution
    /// does nothing), and queues its mail to the customer through `outbox` when there is one and
    /// the customer has an address. True when a mail was queued.
    static func resolved(_ t: Ticket, outbox: MailOutbox?, tx: Tx) async throws -> Bool {
        guard t.status == .resolved, let resolvedAt = t.sla.resolvedAt else { return false }
        let token = Secret.token(prefix: "")
        let id = ID.make(at: tx.now)
        let made = try await tx.sql.raw("""
            INSERT INTO ticket_surveys (id, workspace_id, ticket_id, resolved_at, token_hash, nonce, created_at, expires_at)
            VALUES (\(bind: id), \(bind: tx.scope.workspaceID), \(bind: t.id), \(bind: resolvedAt.millis), \(bind: Secret.hash(token)),
              \(bind: Secret.token(prefix: "")), \(bind: tx.now.millis), \(bind: SurveyRules.expiry(createdAt: tx.now).millis))
            ON CONFLICT (ticket_id, resolved_at) DO NOTHING RETURNING id
            """).first() != nil
        guard made else { return false }
        try await tx.audit("survey", "tickets", t.id, detail: ["survey_id": .string(id)])
        guard let outbox else { return false }
        let name = try await tx.sql.raw("SELECT name FROM customers WHERE id = \(bind: t.customerID)").first()?
            .decode(column: "name", as: String.self) ?? ""
        let body = mailBody(name: name, number: t.number, subject: t.subject, link: "\(outbox.linkBase)/s/\(token)")
        let m = TicketMessage(id: ID.make(at: tx.now), ticketID: t.id, kind: .reply, authorID: nil, body: body, createdAt: tx.now)
        try await TicketStore.append(m, tx: tx)
        if try await outbox.queue(m, of: t, tx: tx) { return true }
        // no address to send it to: the survey waits for the portal, the conversation keeps no unsent mail
        try await tx.sql.raw("DELETE FROM ticket_messages WHERE id = \(bind: m.id)").run()
        return false
    }

    /// The survey mail's words: Simplified Chinese (customers have no language of their own), with an English line.
    static func mailBody(name: String, number: Int, subject: String, link: String) -> String {
        """
        \(name.isEmpty ? "您好" : "\(name)，您好")：

        您的工单 #\(number)「\(subject)」已经解决。请花一分钟为这次服务打分（1–5 星），也欢迎留下意见：
        \(link)

        链接 30 天内有效。感谢您的反馈！

        Your ticket #\(number) has been resolved. Please rate our service (1–5 stars) at the link above; it is valid for 30 days.
        """
    }

    /// Marks negative feedback on ticket `ticketID` replied to by an agent's reply at `tx.now`.
    static func replied(ticketID: String, tx: Tx) async throws {
        try await tx.sql.raw("""
            UPDATE ticket_surveys SET replied_at = \(bind: tx.now.millis)
            WHERE ticket_id = \(bind: ticketID) AND reply_due_at IS NOT NULL AND replied_at IS NULL
            """).run()
    }

    // MARK: The public page

    /// The survey behind a link's token (404 `survey` for none), for showing it: nothing is recorded.
    package func visit(token: String) async throws -> SurveyVisit {
        let now = clock.now()
        return try await db.read { sql in
            guard let (s, nonce, _) = try await Self.byToken(token, sql: sql),
                  let r = try await sql.raw("SELECT number, subject FROM tickets WHERE id = \(bind: s.ticketID)").first()
            else { throw DomainError.notFound("survey") }
            return SurveyVisit(survey: s, state: SurveyRules.state(s, at: now), nonce: nonce,
                               number: try r.decode(column: "number", as: Int.self), subject: try r.decode(column: "subject", as: String.self))
        }
    }

    /// Records the answer the form sent for the survey behind `token`, once: a survey already
    /// answered or expired changes nothing. A form without the survey's nonce is refused.
    package func answer(token: String, nonce: String, rating: String?, nps: String?, comment: String?) async throws -> SurveyOutcome {
        let now = clock.now()
        guard let (found, expected, workspaceID) = try await db.read({ sql in try await Self.byToken(token, sql: sql) }) else {
            throw DomainError.notFound("survey")
        }
        switch SurveyRules.state(found, at: now) {
        case .answered: return .alreadyAnswered
        case .expired: return .expired
        case .open: break
        }
        guard Secret.equal(nonce, expected) else { throw DomainError.forbidden("the form expired; reload the page and try again") }
        return try await record(found, workspaceID: workspaceID, rating: rating, nps: nps, comment: comment, now: now)
    }

    /// Records the answer to the latest survey of a ticket (the customer portal, where the
    /// signed-in customer needs no link): once, and only while the survey is open.
    package func answer(ticketID: String, workspaceID: String, rating: String?, nps: String?, comment: String?) async throws -> SurveyOutcome {
        let now = clock.now()
        guard let found = try await db.read({ sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM ticket_surveys WHERE ticket_id = \(bind: ticketID) AND workspace_id = \(bind: workspaceID)
                ORDER BY created_at DESC, id DESC LIMIT 1
                """).first().map(Self.decode)
        }) else { throw DomainError.notFound("survey") }
        switch SurveyRules.state(found, at: now) {
        case .answered: return .alreadyAnswered
        case .expired: return .expired
        case .open: break
        }
        return try await record(found, workspaceID: workspaceID, rating: rating, nps: nps, comment: comment, now: now)
    }

    /// Writes an open survey's answer, once, with its timeline entry, audit, notifications and event.
    func record(_ found: TicketSurvey, workspaceID: String, rating: String?, nps: String?, comment: String?, now: Date) async throws -> SurveyOutcome {
        let a = try SurveyRules.answer(rating: rating, nps: nps, comment: comment)
        let negative = SurveyRules.isNegative(rating: a.rating, nps: a.nps)
        let due = negative ? SurveyRules.replyDue(answeredAt: now) : nil
        return try await db.write(Scope.acting(workspaceID: workspaceID, userID: nil), at: now) { tx in
            guard try await tx.sql.raw("""
                UPDATE ticket_surveys SET answered_at = \(bind: now.millis), rating = \(bind: a.rating), nps = \(bind: a.nps),
                  comment = \(bind: a.comment.isEmpty ? nil : a.comment), reply_due_at = \(bind: due?.millis)
                WHERE id = \(bind: found.id) AND answered_at IS NULL RETURNING id
                """).first() != nil else { return .alreadyAnswered }
            var s = found
            s.answeredAt = now; s.rating = a.rating; s.nps = a.nps; s.comment = a.comment.isEmpty ? nil : a.comment; s.replyDueAt = due
            s.replyState = SurveyRules.replyState(s, at: now)
            let t = try await sql1(tx, "SELECT number, customer_id, assignee_id, team_id FROM tickets WHERE id = \(bind: s.ticketID)")
            let number = try t.decode(column: "number", as: Int.self)
            var data: [String: JSONValue] = ["step": "rated", "ticket_id": .string(s.ticketID), "number": .number(Double(number)),
                                             "rating": .number(Double(a.rating))]
            if let n = a.nps { data["nps"] = .number(Double(n)) }
            try await tx.timeline(try t.decode(column: "customer_id", as: String.self), .ticket, data: data)
            try await tx.audit("rate", "tickets", s.ticketID, detail: ["survey_id": .string(s.id), "rating": .number(Double(a.rating)),
                                                                    "nps": a.nps.map { .number(Double($0)) } ?? .null, "negative": .bool(negative)])
            if negative {
                var people: [String] = []
                if let assignee = try t.decode(column: "assignee_id", as: String?.self) { people.append(assignee) }
                if let team = try t.decode(column: "team_id", as: String?.self),
                   let manager = try await tx.sql.raw("SELECT manager_id FROM teams WHERE id = \(bind: team)").first()?
                    .decode(column: "manager_id", as: String?.self) {
                    people.append(manager)
                }
                let npsText = a.nps.map { ", NPS \($0)" } ?? ""
                try await NotificationStore.add(people, kind: "negative_feedback",
                                                subject: "#\(number): the customer rated the service \(a.rating) of 5\(npsText); reply within 24 hours",
                                                link: "/tickets/\(s.ticketID)", tx: tx)
            }
            try await tx.publish(.ticketRated, s.ticketID, s)
            return .recorded(s)
        }
    }

    private func sql1(_ tx: Tx, _ q: SQLQueryString) async throws -> any SQLRow {
        guard let r = try await tx.sql.raw(q).first() else { throw DomainError.notFound("ticket") }
        return r
    }

    /// The survey, its nonce and workspace behind a token; nil for none.
    static func byToken(_ token: String, sql: any SQLDatabase) async throws -> (TicketSurvey, String, String)? {
        guard !token.isEmpty, token.count <= 100, let r = try await sql.raw("""
            SELECT \(unsafeRaw: columns), nonce, workspace_id FROM ticket_surveys WHERE token_hash = \(bind: Secret.hash(token))
            """).first() else { return nil }
        return (try decode(r), try r.decode(column: "nonce", as: String.self), try r.decode(column: "workspace_id", as: String.self))
    }

    // MARK: Read

    /// The latest survey of a ticket the scope may read (nil when none was made yet).
    package func latest(_ scope: Scope, ticketID: String) async throws -> TicketSurvey? {
        let now = clock.now()
        return try await db.read { sql in
            let t = try await TicketStore.load(scope, ticketID, for: .read, sql: sql).ticket
            guard let r = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM ticket_surveys WHERE ticket_id = \(bind: t.id) AND workspace_id = \(bind: scope.workspaceID)
                ORDER BY created_at DESC, id DESC LIMIT 1
                """).first() else { return nil }
            var s = try Self.decode(r)
            s.replyState = SurveyRules.replyState(s, at: now)
            return s
        }
    }

    static func decode(_ r: any SQLRow) throws -> TicketSurvey {
        func time(_ c: String) throws -> Date? { try r.decode(column: c, as: Int64?.self).map(Date.init(millis:)) }
        return TicketSurvey(id: try r.decode(column: "id", as: String.self), ticketID: try r.decode(column: "ticket_id", as: String.self),
                            createdAt: try time("created_at")!, expiresAt: try time("expires_at")!, answeredAt: try time("answered_at"),
                            rating: try r.decode(column: "rating", as: Int?.self), nps: try r.decode(column: "nps", as: Int?.self),
                            comment: try r.decode(column: "comment", as: String?.self), replyDueAt: try time("reply_due_at"),
                            repliedAt: try time("replied_at"))
    }
}
