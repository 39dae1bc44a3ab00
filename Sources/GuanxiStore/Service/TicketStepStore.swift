import Foundation
import SQLKit
import GuanxiCore

/// A ticket with its steps, as every step operation answers.
package struct TicketWithSteps: Sendable, Encodable {
    package var ticket: Ticket
    package var steps: [TicketStep]
}

/// A ticket's hand-off chain, child tasks and approvals (`TicketChain` decides; this store reads,
/// applies and writes). A hand-off that starts moves the ticket to its department and assignee and
/// prompts them; completing one starts the next, prompts its department, tells the customer what
/// happens next (a reply, mailed as replies are) and puts the hand-off on the customer's timeline
/// and in the audit log. Every step operation moves the ticket's version (its If-Match).
package struct TicketStepStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// Prompts and the customer's notice go out by mail through it (nil: no outgoing mailer).
    let outbox: MailOutbox?
    package init(db: Database, clock: any GuanxiCore.Clock, outbox: MailOutbox? = nil) { self.db = db; self.clock = clock; self.outbox = outbox }

    /// The ticket's steps in order.
    package func list(_ scope: Scope, ticketID: String) async throws -> [TicketStep] {
        try await db.read { sql in
            let (t, _, _) = try await TicketStore.load(scope, ticketID, for: .read, sql: sql)
            return try await Self.steps(t.id, sql: sql)
        }
    }

    /// Adds a hand-off, child task or approval. A hand-off starts at once when no other is open.
    package func add(_ scope: Scope, ticketID: String, _ draft: TicketStepDraft, ifVersion: Int?) async throws -> TicketWithSteps {
        let v = try draft.validated()
        return try await write(scope) { tx in
            var (t, _, _) = try await TicketStore.load(scope, ticketID, for: .update, ifVersion: ifVersion, sql: tx.sql)
            let ws = scope.workspaceID, steps = try await Self.steps(t.id, sql: tx.sql)
            let team = draft.teamID?.lowercased()
            if let team { try await TicketStore.requireTeam(team, ws, sql: tx.sql) }
            for (field, user) in [("assignee_id", draft.assigneeID), ("approver_id", draft.approverID)] {
                if let u = user?.lowercased(), !(try await AccessStore.activeMember(u, ws, sql: tx.sql)) {
                    throw DomainError.field(field, "\(u) is not an active user of this workspace")
                }
            }
            if let role = draft.approverRole, try await AccessStore.rolePermissions(role, workspaceID: ws, sql: tx.sql) == nil {
                throw DomainError.field("approver_role", "no role '\(role)' in this workspace")
            }
            var step = TicketStep(id: ID.make(at: tx.now), ticketID: t.id, position: (steps.map(\.position).max() ?? 0) + 1, kind: v.kind,
                                  state: .pending, teamID: team, title: v.title, assigneeID: draft.assigneeID?.lowercased(),
                                  approverID: draft.approverID?.lowercased(), approverRole: draft.approverRole, minutes: draft.minutes,
                                  createdBy: scope.userID, createdAt: tx.now)
            if TicketChain.startsAtOnce(v.kind, existing: steps) { step = try await Self.start(step, &t, tx: tx) }
            try await Self.insert(step, ws, sql: tx.sql)
            try await tx.timeline(t.customerID, .ticket, data: Self.entry(t, step, "step_added"))
            try await tx.audit("step_add", "tickets", t.id, detail: AuditDetail.encoded(step))
            t = try await TicketStore.save(t, now: tx.now, sql: tx.sql)
            return (TicketWithSteps(ticket: t, steps: steps + [step]), step.state == .active)
        }
    }

    /// Completes an active hand-off or child task (who, when, note). A hand-off passes the ticket
    /// to the next one's department, prompts it and tells the customer (`customerMessage`, else a
    /// notice naming the department and the step's deadline).
    package func complete(_ scope: Scope, ticketID: String, stepID: String, note raw: String?, customerMessage: String?,
                          ifVersion: Int?) async throws -> TicketWithSteps {
        let note = try Self.note(raw, "note"), message = try Self.note(customerMessage, "customer_message")
        return try await write(scope) { tx in
            var (t, _, tier) = try await TicketStore.load(scope, ticketID, for: .update, ifVersion: ifVersion, sql: tx.sql)
            var steps = try await Self.steps(t.id, sql: tx.sql)
            let (done, next) = try TicketChain.complete(stepID.lowercased(), in: steps, by: scope.userID, note: note, at: tx.now)
            try await Self.update(done, sql: tx.sql)
            var started: TicketStep?
            if let next {
                started = try await Self.start(next, &t, tx: tx)
                try await Self.update(started!, sql: tx.sql)
            }
            steps = steps.map { $0.id == done.id ? done : $0.id == started?.id ? started! : $0 }
            try await tx.timeline(t.customerID, .ticket, data: Self.entry(t, done, "step_done").merging([
                "note": note.map(JSONValue.string) ?? .null, "next_team": started?.teamID.map(JSONValue.string) ?? .null]) { a, _ in a })
            try await tx.audit(done.kind == .handoff ? "handoff" : "step_done", "tickets", t.id, detail: [
                "step_id": .string(done.id), "from_team": done.teamID.map(JSONValue.string) ?? .null,
                "to_team": started?.teamID.map(JSONValue.string) ?? .null, "note": note.map(JSONValue.string) ?? .null])
            if let author = done.createdBy, author != scope.userID {
                try await NotificationStore.add([author], kind: "step_done", subject: Self.subject(t, done), link: "/tickets/\(t.id)", tx: tx)
            }
            guard done.kind == .handoff else {
                return (TicketWithSteps(ticket: try await TicketStore.save(t, now: tx.now, sql: tx.sql), steps: steps), false)
            }
            // the customer hears what happens next, as a reply (mailed as replies are)
            var text = message ?? ""
            if message == nil { text = try await Self.notice(t, started, tx: tx) }
            let (saved, m) = try await TicketStore.record(t, tier: tier, kind: .reply, body: text, status: nil, tx: tx)
            _ = try await outbox?.queue(m, of: saved, tx: tx)
            return (TicketWithSteps(ticket: saved, steps: steps), true)
        }
    }

    /// Approves or rejects an active approval: only its named approver or a holder of its role may.
    package func decide(_ scope: Scope, ticketID: String, stepID: String, approve: Bool, note raw: String?,
                        ifVersion: Int?) async throws -> TicketWithSteps {
        let note = try Self.note(raw, "note")
        return try await write(scope) { tx in
            var (t, _, _) = try await TicketStore.load(scope, ticketID, for: .read, ifVersion: ifVersion, sql: tx.sql)
            var steps = try await Self.steps(t.id, sql: tx.sql)
            let step = try TicketChain.decide(stepID.lowercased(), in: steps, approve: approve, scope: scope, note: note, at: tx.now)
            try await Self.update(step, sql: tx.sql)
            steps = steps.map { $0.id == step.id ? step : $0 }
            try await tx.timeline(t.customerID, .ticket, data: Self.entry(t, step, step.state.rawValue).merging([
                "note": note.map(JSONValue.string) ?? .null]) { a, _ in a })
            try await tx.audit(approve ? "approve" : "reject", "tickets", t.id, detail: ["step_id": .string(step.id),
                                                                                      "note": note.map(JSONValue.string) ?? .null])
            let told = [step.createdBy, t.assigneeID].compactMap { $0 }.filter { $0 != scope.userID }
            try await NotificationStore.add(told, kind: "step_\(step.state.rawValue)", subject: Self.subject(t, step), link: "/tickets/\(t.id)", tx: tx)
            t = try await TicketStore.save(t, now: tx.now, sql: tx.sql)
            return (TicketWithSteps(ticket: t, steps: steps), !told.isEmpty)
        }
    }

    // MARK: Inside a write

    /// Runs a step write; rings the mail service after it commits when it prompted someone or told the customer.
    private func write(_ scope: Scope, _ body: @Sendable (Tx) async throws -> (TicketWithSteps, Bool)) async throws -> TicketWithSteps {
        let (answer, mail) = try await db.write(scope, at: clock.now(), body)
        if mail { await outbox?.ring() }
        return answer
    }

    /// Starts a step at `tx.now`: its deadline on its department's calendar; a hand-off moves the
    /// ticket to its department and assignee. Whoever should act is prompted.
    static func start(_ step: TicketStep, _ t: inout Ticket, tx: Tx) async throws -> TicketStep {
        let ws = tx.scope.workspaceID
        let department = try await teamName(step.teamID, ws, sql: tx.sql)
        let calendar = TicketStep.calendar(department: department, in: try await ServiceSettingsStore.calendars(ws, sql: tx.sql))
        let started = step.activated(at: tx.now, calendar: calendar)
        if step.kind == .handoff {
            let from = t.teamID
            t = TicketChain.handedOver(t, to: step)
            try await tx.timeline(t.customerID, .ticket, data: entry(t, started, "handoff").merging([
                "from_team": from.map(JSONValue.string) ?? .null, "to_team": step.teamID.map(JSONValue.string) ?? .null,
                "department": department.map(JSONValue.string) ?? .null]) { a, _ in a })
            try await tx.audit("handoff_start", "tickets", t.id, detail: ["step_id": .string(step.id), "from_team": from.map(JSONValue.string) ?? .null,
                                                                          "to_team": step.teamID.map(JSONValue.string) ?? .null])
        }
        try await NotificationStore.add(try await prompted(started, ws, sql: tx.sql), kind: "step_\(step.kind.rawValue)",
                                        subject: subject(t, started), link: "/tickets/\(t.id)", tx: tx)
        return started
    }

    /// Who a started step prompts: an approval's approver (or the active holders of its role); a
    /// step's assignee; else its department's active members and manager; with nobody, the
    /// workspace's owners and administrators.
    static func prompted(_ s: TicketStep, _ ws: String, sql: any SQLDatabase) async throws -> [String] {
        var people: [String]
        if let a = s.approverID ?? s.assigneeID {
            people = [a]
        } else if let role = s.approverRole {
            people = try await sql.raw("""
                SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.workspace_id = \(bind: ws) AND m.role = \(bind: role) AND m.deactivated_at IS NULL AND u.is_active = 1
                """).all().map { try $0.decode(column: "user_id", as: String.self) }
        } else if let team = s.teamID {
            people = try await AssignmentRuleStore.activeMembers(team: team, ws, sql: sql)
            if let manager = try await managerOf(team, ws, sql: sql) { people.append(manager) }
        } else { people = [] }
        return people.isEmpty ? try await NotificationStore.workspaceAdmins(ws, sql: sql) : people
    }

    static func managerOf(_ team: String, _ ws: String, sql: any SQLDatabase) async throws -> String? {
        try await sql.raw("SELECT manager_id FROM teams WHERE id = \(bind: team) AND workspace_id = \(bind: ws)")
            .first()?.decode(column: "manager_id", as: String?.self)
    }

    static func teamName(_ team: String?, _ ws: String, sql: any SQLDatabase) async throws -> String? {
        guard let team else { return nil }
        return try await sql.raw("SELECT name FROM teams WHERE id = \(bind: team) AND workspace_id = \(bind: ws)").first()?
            .decode(column: "name", as: String.self)
    }

    /// The notice the customer gets when a hand-off completes, the deadline in the workspace's time zone.
    static func notice(_ t: Ticket, _ next: TicketStep?, tx: Tx) async throws -> String {
        let ws = tx.scope.workspaceID
        let zone = try await tx.sql.raw("SELECT time_zone FROM workspaces WHERE id = \(bind: ws)").first()?.decode(column: "time_zone", as: String.self)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.dateFormat = "yyyy-MM-dd HH:mm"
        f.timeZone = zone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Shanghai")
        return TicketChain.customerNotice(number: t.number, department: try await teamName(next?.teamID, ws, sql: tx.sql),
                                          dueAt: next?.dueAt.map(f.string(from:)))
    }

    static func subject(_ t: Ticket, _ s: TicketStep) -> String { "#\(t.number) \(t.subject) · \(s.title)" }

    static func entry(_ t: Ticket, _ s: TicketStep, _ what: String) -> [String: JSONValue] {
        ["step": .string(what), "ticket_id": .string(t.id), "number": .number(Double(t.number)), "step_id": .string(s.id),
         "kind": .string(s.kind.rawValue), "title": .string(s.title), "team_id": s.teamID.map(JSONValue.string) ?? .null]
    }

    /// An optional text: cleaned, nil when empty, at most 5000 characters.
    static func note(_ raw: String?, _ field: String) throws(DomainError) -> String? {
        guard let raw else { return nil }
        let s = Text.clean(raw)
        if s.count > 5_000 { throw DomainError.field(field, RoutingWords.tooLong(5_000)) }
        return s.isEmpty ? nil : s
    }

    // MARK: Rows

    static let columnNames = ["id", "ticket_id", "position", "kind", "state", "team_id", "title", "assignee_id", "approver_id", "approver_role",
                              "minutes", "activated_at", "due_at", "completed_by", "completed_at", "note", "created_by", "created_at"]
    static let columns = columnNames.joined(separator: ", ")
    static func columns(as alias: String) -> String { columnNames.map { alias + "." + $0 }.joined(separator: ", ") }

    /// A ticket's steps by position (only the active ones with `active`).
    static func steps(_ ticketID: String, active: Bool = false, sql: any SQLDatabase) async throws -> [TicketStep] {
        try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM ticket_steps WHERE ticket_id = \(bind: ticketID)\(unsafeRaw: active ? " AND state = 'active'" : "")
            ORDER BY position, id
            """).all().map(decode)
    }

    static func decode(_ r: any SQLRow) throws -> TicketStep {
        func time(_ c: String) throws -> Date? { try r.decode(column: c, as: Int64?.self).map(Date.init(millis:)) }
        return TicketStep(
            id: try r.decode(column: "id", as: String.self), ticketID: try r.decode(column: "ticket_id", as: String.self),
            position: try r.decode(column: "position", as: Int.self),
            kind: TicketStepKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .task,
            state: TicketStepState(rawValue: try r.decode(column: "state", as: String.self)) ?? .pending,
            teamID: try r.decode(column: "team_id", as: String?.self), title: try r.decode(column: "title", as: String.self),
            assigneeID: try r.decode(column: "assignee_id", as: String?.self), approverID: try r.decode(column: "approver_id", as: String?.self),
            approverRole: try r.decode(column: "approver_role", as: String?.self), minutes: try r.decode(column: "minutes", as: Int?.self),
            activatedAt: try time("activated_at"), dueAt: try time("due_at"), completedBy: try r.decode(column: "completed_by", as: String?.self),
            completedAt: try time("completed_at"), note: try r.decode(column: "note", as: String?.self),
            createdBy: try r.decode(column: "created_by", as: String?.self), createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)))
    }

    static func insert(_ s: TicketStep, _ ws: String, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO ticket_steps (\(unsafeRaw: columns), workspace_id)
            VALUES (\(bind: s.id), \(bind: s.ticketID), \(bind: s.position), \(bind: s.kind.rawValue), \(bind: s.state.rawValue), \(bind: s.teamID),
              \(bind: s.title), \(bind: s.assigneeID), \(bind: s.approverID), \(bind: s.approverRole), \(bind: s.minutes), \(bind: s.activatedAt?.millis),
              \(bind: s.dueAt?.millis), \(bind: s.completedBy), \(bind: s.completedAt?.millis), \(bind: s.note), \(bind: s.createdBy),
              \(bind: s.createdAt.millis), \(bind: ws))
            """).run()
    }

    /// Writes what a step's life changes: its state, start, deadline and completion.
    static func update(_ s: TicketStep, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE ticket_steps SET state = \(bind: s.state.rawValue), activated_at = \(bind: s.activatedAt?.millis), due_at = \(bind: s.dueAt?.millis),
              completed_by = \(bind: s.completedBy), completed_at = \(bind: s.completedAt?.millis), note = \(bind: s.note)
            WHERE id = \(bind: s.id)
            """).run()
    }
}
