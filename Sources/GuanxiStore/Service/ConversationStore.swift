import Foundation
import SQLKit
import GuanxiCore

/// The agent's daily tools around a ticket's conversation: the workspace's canned replies
/// (administrators keep them, agents insert them rendered for a ticket), who else has a ticket
/// open (collision notices), and what changed on a ticket since someone opened it.
/// Mentions in internal notes are notified where notes are written (`TicketStore.add`).
package struct ConversationStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    // MARK: Canned replies

    /// The workspace's canned replies by title (with `activeOnly`, those agents are offered; for a
    /// `type`, the ones meant for it or for any type). Whoever reads tickets reads them.
    package func cannedReplies(_ scope: Scope, activeOnly: Bool = false, type: TicketType? = nil) async throws -> [CannedReply] {
        try scope.require(.tickets, .read)
        let all = try await db.read { try await Self.cannedReplies(scope.workspaceID, sql: $0) }
        return all.filter { (!activeOnly || $0.active) && (type == nil || $0.ticketType == nil || $0.ticketType == type) }
    }

    static func cannedReplies(_ workspaceID: String, id: String? = nil, sql: any SQLDatabase) async throws -> [CannedReply] {
        var q = SQLQueryString("SELECT id, title, bodies_json, ticket_type, active, version FROM canned_replies WHERE workspace_id = \(bind: workspaceID)")
        if let id { q += " AND id = \(bind: id)" }
        q += " ORDER BY title, id"
        return try await sql.raw(q).all().map { r in
            CannedReply(id: try r.decode(column: "id", as: String.self), title: try r.decode(column: "title", as: String.self),
                        bodies: JSONCoding.decode([String: String].self, try r.decode(column: "bodies_json", as: String.self)) ?? [:],
                        ticketType: try r.decode(column: "ticket_type", as: String?.self).flatMap(TicketType.init(rawValue:)),
                        active: try r.decode(column: "active", as: Int.self) != 0, version: try r.decode(column: "version", as: Int.self))
        }
    }

    package func cannedReply(_ scope: Scope, id: String) async throws -> CannedReply {
        try scope.require(.tickets, .read)
        guard ID.isValid(id), let r = try await db.read({ try await Self.cannedReplies(scope.workspaceID, id: id.lowercased(), sql: $0) }).first else {
            throw DomainError.notFound("canned reply")
        }
        return r
    }

    /// Creates a reply (a new id) or, with `id`, replaces one (If-Match: `ifVersion`). Administrators only.
    package func saveCannedReply(_ scope: Scope, _ reply: CannedReply, id: String? = nil, ifVersion: Int? = nil) async throws -> CannedReply {
        try Self.requireSettings(scope)
        let valid = try reply.validated()
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            var r = valid
            let current: Int? = if let id, ID.isValid(id) {
                try await tx.sql.raw("""
                    SELECT version FROM canned_replies WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: scope.workspaceID)
                    """).first()?.decode(column: "version", as: Int.self)
            } else { nil }
            if id != nil, current == nil { throw DomainError.notFound("canned reply") }
            let bodies = JSONCoding.encode(r.bodies)
            if let id, let v = current {
                if let ifVersion, ifVersion != v { throw DomainError.staleVersion(current: v) }
                r.id = id.lowercased(); r.version = v + 1
                try await tx.sql.raw("""
                    UPDATE canned_replies SET title = \(bind: r.title), bodies_json = \(bind: bodies), ticket_type = \(bind: r.ticketType?.rawValue),
                      active = \(bind: r.active ? 1 : 0), version = \(bind: r.version), updated_at = \(bind: now.millis)
                    WHERE id = \(bind: r.id)
                    """).run()
            } else {
                r.id = ID.make(at: now); r.version = 1
                try await tx.sql.raw("""
                    INSERT INTO canned_replies (id, workspace_id, title, bodies_json, ticket_type, active, version, created_at, updated_at)
                    VALUES (\(bind: r.id), \(bind: scope.workspaceID), \(bind: r.title), \(bind: bodies), \(bind: r.ticketType?.rawValue),
                      \(bind: r.active ? 1 : 0), 1, \(bind: now.millis), \(bind: now.millis))
                    """).run()
            }
            try await tx.audit(id == nil ? "create" : "update", "canned_replies", r.id, detail: AuditDetail.encoded(r))
            return r
        }
    }

    package func deleteCannedReply(_ scope: Scope, id: String) async throws {
        try Self.requireSettings(scope)
        try await db.write(scope, at: clock.now()) { tx in
            guard ID.isValid(id), try await tx.sql.raw("""
                SELECT 1 AS x FROM canned_replies WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: scope.workspaceID)
                """).first() != nil else { throw DomainError.notFound("canned reply") }
            try await tx.sql.raw("DELETE FROM canned_replies WHERE id = \(bind: id.lowercased())").run()
            try await tx.audit("delete", "canned_replies", id.lowercased())
        }
    }

    /// A canned reply's words for a ticket the scope may work, its placeholders filled with the
    /// ticket's facts (dates in the workspace's time zone), in `language` when given, else the
    /// customer's preferred language (their custom field `language`: zh-CN, zh-TW, en …), else
    /// `agentLanguage`; a language the reply is not written in falls back to one it is.
    package func render(_ scope: Scope, ticketID: String, replyID: String, language: String?,
                        agentLanguage: String) async throws -> (language: String, text: String) {
        let reply = try await cannedReply(scope, id: replyID)
        return try await db.read { sql in
            let (t, _, _) = try await TicketStore.load(scope, ticketID, for: .update, sql: sql)
            let customer = try await sql.raw("SELECT name, custom_json FROM customers WHERE id = \(bind: t.customerID)").first()
            let custom = try customer.map { try $0.decode(column: "custom_json", as: String.self) }
                .flatMap { JSONCoding.decode([String: JSONValue].self, $0) } ?? [:]
            var preferred: String?
            if case .string(let l)? = custom["language"] { preferred = l }
            var agent: String?
            if let me = scope.userID {
                agent = try await sql.raw("SELECT name FROM users WHERE id = \(bind: me)").first()?.decode(column: "name", as: String.self)
            }
            let zone = try await sql.raw("SELECT time_zone FROM workspaces WHERE id = \(bind: scope.workspaceID)").first()?
                .decode(column: "time_zone", as: String.self)
            let facts = CannedReplyFacts(customerName: try customer?.decode(column: "name", as: String.self) ?? "", ticketNumber: t.number,
                                         ticketSubject: t.subject, agentName: agent ?? "", resolutionDue: t.sla.resolutionDueAt,
                                         timeZone: zone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Shanghai")!)
            let chosen = CannedReplyText.language(customer: language ?? preferred, agent: agentLanguage)
            return (chosen, CannedReplyText.render(reply.body(in: chosen), facts))
        }
    }

    static func requireSettings(_ scope: Scope) throws {
        guard scope.level(.settings, .update) != nil else { throw DomainError.forbidden("only administrators change service settings") }
    }

    // MARK: Presence

    /// Records that the scope's user has the ticket's page open (`replying`: with words in its
    /// reply form) and answers the others there now. Rows gone stale are pruned on the way.
    package func touch(_ scope: Scope, ticketID: String, replying: Bool) async throws -> [TicketViewer] {
        guard let me = scope.userID else { return try await viewers(scope, ticketID: ticketID) }
        let now = clock.now()
        // a page seen again within `TicketPresence.fresh` as it was needs no write (the window is wider)
        let seen = try await db.read { sql in
            let (t, _, _) = try await TicketStore.load(scope, ticketID, for: .read, sql: sql)
            return try await Self.viewers(t.id, sql: sql)
        }
        if let mine = seen.first(where: { $0.userID == me }), mine.replying == replying, TicketPresence.isFresh(mine, at: now) {
            return TicketPresence.others(seen, me: me, at: now)
        }
        return try await db.write(scope, at: now) { tx in
            let (t, _, _) = try await TicketStore.load(scope, ticketID, for: .read, sql: tx.sql)
            let all = try await Self.viewers(t.id, sql: tx.sql)
            let row = TicketPresence.touch(all.first { $0.userID == me }, userID: me, at: now, replying: replying)
            try await tx.sql.raw("""
                INSERT INTO ticket_viewers (workspace_id, ticket_id, user_id, since, seen_at, replying)
                VALUES (\(bind: scope.workspaceID), \(bind: t.id), \(bind: me), \(bind: row.since.millis), \(bind: now.millis), \(bind: replying ? 1 : 0))
                ON CONFLICT (ticket_id, user_id) DO UPDATE SET since = excluded.since, seen_at = excluded.seen_at, replying = excluded.replying
                """).run()
            try await tx.sql.raw("""
                DELETE FROM ticket_viewers WHERE workspace_id = \(bind: scope.workspaceID) AND seen_at < \(bind: now.addingTimeInterval(-TicketPresence.keep).millis)
                """).run()
            return TicketPresence.others(all, me: me, at: now)
        }
    }

    /// The others who have the ticket open now, earliest first (for those who may read it).
    package func viewers(_ scope: Scope, ticketID: String) async throws -> [TicketViewer] {
        let now = clock.now()
        return try await db.read { sql in
            let (t, _, _) = try await TicketStore.load(scope, ticketID, for: .read, sql: sql)
            return TicketPresence.others(try await Self.viewers(t.id, sql: sql), me: scope.userID, at: now)
        }
    }

    static func viewers(_ ticketID: String, sql: any SQLDatabase) async throws -> [TicketViewer] {
        try await sql.raw("""
            SELECT v.user_id, u.name, v.since, v.seen_at, v.replying FROM ticket_viewers v JOIN users u ON u.id = v.user_id
            WHERE v.ticket_id = \(bind: ticketID)
            """).all().map { r in
            TicketViewer(userID: try r.decode(column: "user_id", as: String.self), name: try r.decode(column: "name", as: String.self),
                         since: Date(millis: try r.decode(column: "since", as: Int64.self)),
                         seenAt: Date(millis: try r.decode(column: "seen_at", as: Int64.self)),
                         replying: try r.decode(column: "replying", as: Int.self) != 0)
        }
    }

    // MARK: What changed

    /// What others did to the ticket after `since` (from its audit entries, at most 20), for the
    /// page that refuses a reply made on an older version.
    package func changes(_ scope: Scope, ticketID: String, since: Date) async throws -> [TicketChangeNote] {
        try await db.read { sql in
            let (t, _, _) = try await TicketStore.load(scope, ticketID, for: .read, sql: sql)
            let rows = try await sql.raw("""
                SELECT action, actor_user_id, at, detail_json FROM audit_log
                WHERE workspace_id = \(bind: scope.workspaceID) AND object = 'tickets' AND object_id = \(bind: t.id) AND at > \(bind: since.millis)
                ORDER BY seq LIMIT 20
                """).all().map { r in
                (action: try r.decode(column: "action", as: String.self), actorID: try r.decode(column: "actor_user_id", as: String?.self),
                 at: Date(millis: try r.decode(column: "at", as: Int64.self)),
                 detail: try r.decode(column: "detail_json", as: String?.self).flatMap { try? JSONParser.parse($0) })
            }
            return TicketChangeNote.notes(rows, me: scope.userID)
        }
    }

    // MARK: Mentions

    /// Notifies the members a note mentions who may read its ticket (not its author), inside the
    /// note's transaction; answers whether anyone was notified (their mail goes out after).
    static func notifyMentions(_ note: TicketMessage, of t: Ticket, access: TicketAccess, tx: Tx) async throws -> Bool {
        guard note.kind == .note, note.body.contains("@") else { return false }
        let ws = tx.scope.workspaceID
        let members = try await Self.members(ws, sql: tx.sql)
        var told: [String] = []
        for id in Mentions.mentioned(note.body, members) where id != tx.scope.userID {
            // only those who may read the ticket hear of it
            guard let theirs = try await AccessStore.scope(userID: id, workspaceID: ws, tokenID: nil, tokenPermissions: nil, sql: tx.sql),
                  (try? access.authorize(theirs, .read)) != nil else { continue }
            told.append(id)
        }
        guard !told.isEmpty else { return false }
        let author = members.first { $0.userID == tx.scope.userID }?.name ?? ""
        try await NotificationStore.add(told, kind: "mention", subject: "#\(t.number) \(t.subject) · @\(author)", link: "/tickets/\(t.id)", tx: tx)
        try await tx.audit("mention", "tickets", t.id, detail: ["message_id": .string(note.id), "users": .array(told.map(JSONValue.string))])
        return true
    }
}

extension ConversationStore {
    /// The workspace's active members as mentions see them (for those who read tickets).
    package func mentionCandidates(_ scope: Scope) async throws -> [MentionCandidate] {
        try scope.require(.tickets, .read)
        return try await db.read { try await Self.members(scope.workspaceID, sql: $0) }
    }

    static func members(_ workspaceID: String, sql: any SQLDatabase) async throws -> [MentionCandidate] {
        try await sql.raw("""
            SELECT u.id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = \(bind: workspaceID) AND m.deactivated_at IS NULL AND u.is_active = 1 ORDER BY u.id
            """).all().map { r in
            MentionCandidate(userID: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                             email: try r.decode(column: "email", as: String.self))
        }
    }
}
