import Foundation
import SQLKit
import GuanxiCore

/// Watches every workspace's running SLA clocks: shortly before a target is due it warns the
/// assignee; once it is missed it escalates to the assignee and the department's manager (the
/// workspace's owners and administrators when the ticket has neither). Each alarm is raised once per
/// target and due time (`sla_alarms`), so passes may overlap and repeat.
package struct SLAMonitor: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// How long before a due time the assignee is warned.
    package let warningLead: TimeInterval
    package init(db: Database, clock: any GuanxiCore.Clock, warningLead: TimeInterval = 15 * 60) {
        self.db = db; self.clock = clock; self.warningLead = warningLead
    }

    /// One pass over the tickets with a due time between `since` and the warning horizon; returns
    /// the alarms it raised. The caller passes the previous pass's instant (first pass: a day back).
    package func scan(since: Date) async throws -> [(ticketID: String, alarm: SLAAlarm)] {
        let now = clock.now(), horizon = now.addingTimeInterval(warningLead)
        let from = since.addingTimeInterval(-1).millis, to = horizon.millis
        // the tickets whose clocks fall due in the window, without their customers (the alarms do not need them),
        // and the alarms each one is owed
        let due: [(ticket: Ticket, workspaceID: String, alarms: [SLAAlarm])] = try await db.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: TicketStore.ownColumns), NULL AS customer_owner_id, NULL AS customer_tier, t.workspace_id FROM tickets t
                WHERE t.paused_since IS NULL AND t.status NOT IN ('resolved', 'closed') AND (
                  (t.first_response_due_at > \(bind: from) AND t.first_response_due_at <= \(bind: to) AND t.first_responded_at IS NULL)
                  OR (t.next_response_due_at > \(bind: from) AND t.next_response_due_at <= \(bind: to) AND t.awaiting_reply_since IS NOT NULL)
                  OR (t.resolution_due_at > \(bind: from) AND t.resolution_due_at <= \(bind: to)))
                """).all().compactMap { r in
                let ticket = try TicketStore.decode(r).ticket
                let alarms = SLAAlarm.due(ticket.sla, status: ticket.status, at: now, warningLead: warningLead).filter { $0.dueAt.millis > from }
                return alarms.isEmpty ? nil : (ticket, try r.decode(column: "workspace_id", as: String.self), alarms)
            }
        }
        guard !due.isEmpty else { return [] }
        // the alarms raised by earlier passes, read in one go, so a pass that finds nothing new writes nothing
        let raised: Set<AlarmKey> = try await db.read { sql in
            var keys = Set<AlarmKey>()
            for chunk in due.map(\.ticket.id).chunked(500) {
                for r in try await sql.raw("""
                    SELECT ticket_id, target, kind, due_at FROM sla_alarms WHERE ticket_id IN (\(binds: Array(chunk)))
                    """).all() {
                    keys.insert(AlarmKey(ticketID: try r.decode(column: "ticket_id", as: String.self),
                                         target: try r.decode(column: "target", as: String.self), kind: try r.decode(column: "kind", as: String.self),
                                         dueAt: try r.decode(column: "due_at", as: Int64.self)))
                }
            }
            return keys
        }
        let fresh = due.map { d in (d.ticket, d.workspaceID, d.alarms.filter { !raised.contains(AlarmKey(d.ticket.id, $0)) }) }.filter { !$0.2.isEmpty }
        // the new ones, one transaction per workspace (each pass's alarms commit together)
        var out: [(ticketID: String, alarm: SLAAlarm)] = []
        for (workspaceID, items) in Dictionary(grouping: fresh, by: \.1) {
            out += try await db.write(Scope.acting(workspaceID: workspaceID, userID: nil), at: now) { tx in
                var new: [(ticketID: String, alarm: SLAAlarm)] = []
                for (ticket, _, alarms) in items {
                    for a in alarms where try await Self.raise(a, on: ticket, workspaceID: workspaceID, tx: tx) { new.append((ticket.id, a)) }
                }
                return new
            }
        }
        return out
    }

    /// Records one alarm and tells its people; false when another pass raised it first.
    static func raise(_ a: SLAAlarm, on ticket: Ticket, workspaceID: String, tx: Tx) async throws -> Bool {
        let inserted = try await tx.sql.raw("""
            INSERT INTO sla_alarms (ticket_id, target, kind, due_at, raised_at)
            VALUES (\(bind: ticket.id), \(bind: a.target.rawValue), \(bind: a.kind.rawValue), \(bind: a.dueAt.millis), \(bind: tx.now.millis))
            ON CONFLICT (ticket_id, target, kind, due_at) DO NOTHING RETURNING ticket_id
            """).first() != nil
        guard inserted else { return false }
        let people = try await recipients(assigneeID: ticket.assigneeID, teamID: ticket.teamID, a.kind, workspaceID: workspaceID, sql: tx.sql)
        try await NotificationStore.add(people, kind: "sla_\(a.kind.rawValue)_\(a.target.rawValue)",
                                        subject: "#\(ticket.number) \(ticket.subject)", link: "/tickets/\(ticket.id)", tx: tx)
        if a.kind == .breach {
            try await tx.audit("sla_breach", "tickets", ticket.id, detail: ["target": .string(a.target.rawValue),
                                                                           "due_at": .string(Timestamp.iso8601(a.dueAt))])
        }
        return true
    }

    /// One raised alarm as `sla_alarms` keys it.
    struct AlarmKey: Hashable {
        let ticketID: String, target: String, kind: String, dueAt: Int64
        init(ticketID: String, target: String, kind: String, dueAt: Int64) {
            self.ticketID = ticketID; self.target = target; self.kind = kind; self.dueAt = dueAt
        }
        init(_ ticketID: String, _ a: SLAAlarm) { self.init(ticketID: ticketID, target: a.target.rawValue, kind: a.kind.rawValue, dueAt: a.dueAt.millis) }
    }

    /// One pass over the active steps (hand-offs, child tasks, approvals) whose deadline passed
    /// since `since`: each is escalated once per due time like a breached target — to the step's
    /// assignee and its department's manager (else the workspace's owners and administrators) —
    /// and written to the audit log. Returns the overdue steps it raised.
    package func scanSteps(since: Date) async throws -> [TicketStep] {
        let now = clock.now(), from = since.addingTimeInterval(-1).millis
        let rows = try await db.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: TicketStepStore.columns(as: "s")), t.number, t.subject, t.workspace_id
                FROM ticket_steps s JOIN tickets t ON t.id = s.ticket_id
                WHERE s.state = 'active' AND s.due_at > \(bind: from) AND s.due_at < \(bind: now.millis)
                """).all().map { r in
                (try TicketStepStore.decode(r), try r.decode(column: "number", as: Int.self), try r.decode(column: "subject", as: String.self),
                 try r.decode(column: "workspace_id", as: String.self))
            }
        }
        var raised: [TicketStep] = []
        for (step, number, subject, workspaceID) in rows where step.isOverdue(at: now) {
            let new = try await db.write(Scope.acting(workspaceID: workspaceID, userID: nil), at: now) { tx in
                guard try await tx.sql.raw("""
                    INSERT INTO sla_alarms (ticket_id, target, kind, due_at, raised_at)
                    VALUES (\(bind: step.ticketID), \(bind: "step:" + step.id), 'breach', \(bind: step.dueAt!.millis), \(bind: now.millis))
                    ON CONFLICT (ticket_id, target, kind, due_at) DO NOTHING RETURNING ticket_id
                    """).first() != nil else { return false }
                let people = try await Self.recipients(assigneeID: step.assigneeID ?? step.approverID, teamID: step.teamID, .breach,
                                                       workspaceID: workspaceID, sql: tx.sql)
                try await NotificationStore.add(people, kind: "step_overdue", subject: "#\(number) \(subject) · \(step.title)",
                                                link: "/tickets/\(step.ticketID)", tx: tx)
                try await tx.audit("step_overdue", "tickets", step.ticketID, detail: ["step_id": .string(step.id),
                                                                                     "due_at": .string(Timestamp.iso8601(step.dueAt!))])
                return true
            }
            if new { raised.append(step) }
        }
        return raised
    }

    /// Warnings go to the assignee, escalations to the assignee and the department's manager; with
    /// neither, to the workspace's owners and administrators.
    static func recipients(assigneeID: String?, teamID: String?, _ kind: SLAAlarm.Kind, workspaceID: String,
                           sql: any SQLDatabase) async throws -> [String] {
        var people: [String] = assigneeID.map { [$0] } ?? []
        if kind == .breach || people.isEmpty, let team = teamID,
           let manager = try await sql.raw("SELECT manager_id FROM teams WHERE id = \(bind: team) AND workspace_id = \(bind: workspaceID)")
            .first()?.decode(column: "manager_id", as: String?.self) {
            people.append(manager)
        }
        if people.isEmpty { people = try await NotificationStore.workspaceAdmins(workspaceID, sql: sql) }
        return people
    }
}
