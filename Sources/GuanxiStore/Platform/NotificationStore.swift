import Foundation
import SQLKit
import GuanxiCore

/// A message to one user inside the application (an SLA warning, an escalation, a hand-off), with
/// the page it is about; sent by email as well when an outgoing mailer is configured.
package struct UserNotification: Sendable, Encodable, Equatable {
    package var id: String
    package var kind: String
    package var subject: String
    package var link: String?
    package var createdAt: Date
    package var readAt: Date?
    enum CodingKeys: String, CodingKey { case id, kind, subject, link, createdAt = "created_at", readAt = "read_at" }
}

package struct NotificationStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let mailer: SMTPMailer?
    package init(db: Database, clock: any GuanxiCore.Clock, mailer: SMTPMailer?) { self.db = db; self.clock = clock; self.mailer = mailer }

    /// Adds notifications inside the caller's transaction (they exist exactly when what they report does).
    static func add(_ userIDs: [String], kind: String, subject: String, link: String?, tx: Tx) async throws {
        for user in Set(userIDs).sorted() {
            try await tx.sql.raw("""
                INSERT INTO notifications (id, workspace_id, user_id, kind, subject, link, created_at, read_at, mailed_at)
                VALUES (\(bind: ID.make(at: tx.now)), \(bind: tx.scope.workspaceID), \(bind: user), \(bind: kind), \(bind: subject),
                  \(bind: link), \(bind: tx.now.millis), NULL, NULL)
                """).run()
        }
    }

    /// The workspace's owners and administrators, who hear of what concerns the whole workspace.
    static func workspaceAdmins(_ workspaceID: String, sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("""
            SELECT user_id FROM memberships WHERE workspace_id = \(bind: workspaceID) AND role IN ('owner', 'admin') ORDER BY user_id
            """).all().map { try $0.decode(column: "user_id", as: String.self) }
    }

    /// The signed-in user's notifications, newest first, and how many are unread.
    package func list(_ scope: Scope, limit: Int = 50) async throws -> (items: [UserNotification], unread: Int) {
        guard let me = scope.userID else { return ([], 0) }
        return try await db.read { sql in
            let items = try await sql.raw("""
                SELECT id, kind, subject, link, created_at, read_at FROM notifications
                WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: me) ORDER BY created_at DESC, id DESC LIMIT \(literal: min(max(limit, 1), 200))
                """).all().map { r in
                UserNotification(id: try r.decode(column: "id", as: String.self), kind: try r.decode(column: "kind", as: String.self),
                                 subject: try r.decode(column: "subject", as: String.self), link: try r.decode(column: "link", as: String?.self),
                                 createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)),
                                 readAt: try r.decode(column: "read_at", as: Int64?.self).map(Date.init(millis:)))
            }
            let unread = try await sql.raw("""
                SELECT COUNT(*) AS n FROM notifications WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: me) AND read_at IS NULL
                """).first()!.decode(column: "n", as: Int.self)
            return (items, unread)
        }
    }

    /// Marks one (or, with nil, every) notification of the user read.
    package func markRead(_ scope: Scope, id: String?) async throws {
        guard let me = scope.userID else { return }
        let now = clock.now()
        try await db.write { sql in
            var q = SQLQueryString("UPDATE notifications SET read_at = \(bind: now.millis) WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: me) AND read_at IS NULL")
            if let id { q += " AND id = \(bind: id.lowercased())" }
            try await sql.raw(q).run()
        }
    }

    /// Mails notifications not yet mailed to their users (when a mailer is configured); a failed
    /// send is tried again next time.
    /// `baseURL` makes the links absolute (the server's public address).
    package func mailPending(baseURL: String?, limit: Int = 100) async throws -> Int {
        guard let mailer else { return 0 }
        let rows = try await db.read { sql in
            try await sql.raw("""
                SELECT n.id, n.subject, n.link, u.email FROM notifications n JOIN users u ON u.id = n.user_id
                WHERE n.mailed_at IS NULL ORDER BY n.created_at LIMIT \(literal: limit)
                """).all().map { r in
                (try r.decode(column: "id", as: String.self), try r.decode(column: "subject", as: String.self),
                 try r.decode(column: "link", as: String?.self), try r.decode(column: "email", as: String.self))
            }
        }
        var sent = 0
        for (id, subject, link, email) in rows {
            do { try await mailer.send(to: email, subject: subject, body: subject + (link.map { "\n\n" + (baseURL ?? "") + $0 } ?? "")) } catch { continue }
            let now = clock.now()
            try await db.write { sql in try await sql.raw("UPDATE notifications SET mailed_at = \(bind: now.millis) WHERE id = \(bind: id)").run() }
            sent += 1
        }
        return sent
    }
}
