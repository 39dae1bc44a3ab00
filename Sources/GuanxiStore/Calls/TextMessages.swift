import Foundation
import SQLKit
import GuanxiCore

/// A text message waiting to be sent, with where to and how to sign it.
package struct TextMessageJob: Sendable, Equatable {
    package var id: String
    package var workspaceID: String
    package var to: String
    package var body: String
    package var purpose: String
    package var url: String
    package var secret: String
    package var attempts: Int
}

/// Text messages through the workspace's telephony provider (docs/CALLS.md): queued in the
/// transaction that made them (`enqueue`), sent by the server's text-message service as a signed
/// JSON POST to the settings' `sms_url` (Standard Webhooks headers, the telephony secret), retried
/// with a growing pause until they would be of no use (a sign-in code's lifetime), then given up.
package struct TextMessages: Sendable {
    let db: Database
    package let clock: any GuanxiCore.Clock

    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    /// Rung when a message is queued; the sending service waits on it.
    package static let bell = "sms"
    /// How long a claimed message is its sender's (a request's time and a margin).
    static let lease: TimeInterval = 30
    /// Sent and given-up messages are kept this long (for support questions), then dropped.
    static let kept: TimeInterval = 7 * 86_400

    /// Queues `body` to `to` (a normalised phone number) when the workspace has a text-message
    /// address; answers whether it was queued. The caller rings `bell` after its commit.
    package static func enqueue(workspaceID: String, to: String, body: String, purpose: String, expiresAt: Date, now: Date,
                                sql: any SQLDatabase) async throws -> Bool {
        guard let url = try await sql.raw("SELECT sms_url FROM telephony_settings WHERE workspace_id = \(bind: workspaceID)").first()?
            .decode(column: "sms_url", as: String?.self), !url.isEmpty else { return false }
        try await sql.raw("""
            INSERT INTO sms_outbox (id, workspace_id, to_number, body, purpose, created_at, expires_at, next_at, attempts)
            VALUES (\(bind: "sms_" + ID.make(at: now)), \(bind: workspaceID), \(bind: to), \(bind: body), \(bind: purpose), \(bind: now.millis),
                    \(bind: expiresAt.millis), \(bind: now.millis), 0)
            """).run()
        return true
    }

    /// Claims up to `limit` due messages for `lease` seconds; those past their use are given up here.
    package func claim(limit: Int = 20) async throws -> [TextMessageJob] {
        let now = clock.now()
        return try await db.write { sql in
            try await sql.raw("""
                UPDATE sms_outbox SET sent_at = -1, last_error = COALESCE(last_error, 'not sent in time')
                WHERE sent_at IS NULL AND expires_at <= \(bind: now.millis)
                """).run()
            let rows = try await sql.raw("""
                SELECT o.id, o.workspace_id, o.to_number, o.body, o.purpose, o.attempts, t.sms_url, t.secret
                FROM sms_outbox o JOIN telephony_settings t ON t.workspace_id = o.workspace_id
                WHERE o.sent_at IS NULL AND o.next_at <= \(bind: now.millis) AND t.sms_url IS NOT NULL
                ORDER BY o.next_at LIMIT \(literal: max(1, limit))
                """).all()
            let jobs = try rows.map { r in
                TextMessageJob(id: try r.decode(column: "id", as: String.self), workspaceID: try r.decode(column: "workspace_id", as: String.self),
                               to: try r.decode(column: "to_number", as: String.self), body: try r.decode(column: "body", as: String.self),
                               purpose: try r.decode(column: "purpose", as: String.self), url: try r.decode(column: "sms_url", as: String.self),
                               secret: try r.decode(column: "secret", as: String.self), attempts: try r.decode(column: "attempts", as: Int.self))
            }
            if !jobs.isEmpty {
                try await sql.raw("""
                    UPDATE sms_outbox SET next_at = \(bind: now.addingTimeInterval(Self.lease).millis), attempts = attempts + 1
                    WHERE id IN (\(binds: jobs.map(\.id)))
                    """).run()
            }
            return jobs
        }
    }

    /// The signed request for a message: `{"id","to","text","purpose"}` with the Standard Webhooks headers.
    package static func request(_ job: TextMessageJob, at now: Date) -> WebhookRequest {
        let body = Array(JSONCoding.encode(JSONValue.object(["id": .string(job.id), "to": .string(job.to), "text": .string(job.body),
                                                             "purpose": .string(job.purpose)])).utf8)
        return .signed(url: job.url, id: job.id, body: body, secrets: [job.secret], at: now, userAgent: "Guanxi-SMS/1", timeout: .seconds(10))
    }

    /// Records what the provider answered: a 2xx is sent; anything else waits 2ⁿ seconds (at most a
    /// minute) and goes again while the message is of use.
    package func record(_ job: TextMessageJob, _ answer: WebhookAnswer) async throws {
        let now = clock.now()
        let sent = answer.status.map { (200..<300).contains($0) } ?? false
        let pause = min(60, 1 << min(job.attempts + 1, 6))
        let error: String? = sent ? nil : (answer.error ?? answer.body.map { String($0.prefix(500)) })
        try await db.write { sql in
            try await sql.raw("""
                UPDATE sms_outbox SET sent_at = \(bind: sent ? now.millis : nil), next_at = \(bind: now.addingTimeInterval(TimeInterval(pause)).millis),
                  last_status = \(bind: answer.status), last_error = \(bind: error)
                WHERE id = \(bind: job.id)
                """).run()
            // ids are "sms_" and a UUIDv7, so the week's cut reads the primary key, not the whole table
            try await sql.raw("DELETE FROM sms_outbox WHERE id < \(bind: "sms_" + ID.first(at: now.addingTimeInterval(-Self.kept)))").run()
        }
    }

    /// When the earliest waiting message is due (nil: none waits).
    package func nextDue() async throws -> Date? {
        try await db.read { sql in
            try await sql.raw("SELECT MIN(next_at) AS t FROM sms_outbox WHERE sent_at IS NULL").first()?
                .decode(column: "t", as: Int64?.self).map(Date.init(millis:))
        }
    }

    /// A workspace's messages, newest first (tests and support).
    package func recent(_ scope: Scope, limit: Int = 50) async throws -> [(to: String, purpose: String, sent: Bool, attempts: Int, error: String?)] {
        try scope.require(.settings, .read)
        return try await db.read { sql in
            try await sql.raw("""
                SELECT to_number, purpose, sent_at, attempts, last_error FROM sms_outbox WHERE workspace_id = \(bind: scope.workspaceID)
                ORDER BY created_at DESC LIMIT \(literal: max(1, min(limit, 500)))
                """).all().map { r in
                (try r.decode(column: "to_number", as: String.self), try r.decode(column: "purpose", as: String.self),
                 (try r.decode(column: "sent_at", as: Int64?.self) ?? -1) > 0, try r.decode(column: "attempts", as: Int.self),
                 try r.decode(column: "last_error", as: String?.self))
            }
        }
    }
}
