import Foundation

/// A step of work on a ticket beside its conversation.
package enum TicketStepKind: String, Codable, Sendable, CaseIterable {
    /// One link of the hand-off chain: the ticket passes to the step's department while it is active,
    /// and to the next step's when it completes.
    case handoff
    /// A child task for a department (or one person): the ticket stays where it is, but cannot be
    /// resolved until the task is done.
    case task
    /// A decision a named approver (or anyone holding a role) must take: approve or reject. The
    /// ticket cannot be resolved until it is taken.
    case approval
}

package enum TicketStepState: String, Codable, Sendable, CaseIterable {
    /// A hand-off waiting for the steps before it.
    case pending
    /// Being worked on (its deadline runs).
    case active
    case done, approved, rejected

    package var isOpen: Bool { self == .pending || self == .active }
}

/// One step of a ticket: its department, internal deadline and completion.
package struct TicketStep: Sendable, Equatable {
    package var id: String
    package var ticketID: String
    /// Order on the ticket (hand-offs pass in this order).
    package var position: Int
    package var kind: TicketStepKind
    package var state: TicketStepState
    package var teamID: String?
    package var title: String
    /// Who in the department should take it (nil: the department).
    package var assigneeID: String?
    package var approverID: String?
    package var approverRole: String?
    /// Business minutes it may take once active, on its department's calendar.
    package var minutes: Int?
    package var activatedAt: Date?
    package var dueAt: Date?
    package var completedBy: String?
    package var completedAt: Date?
    package var note: String?
    package var createdBy: String?
    package var createdAt: Date

    package init(id: String, ticketID: String, position: Int, kind: TicketStepKind, state: TicketStepState, teamID: String?, title: String,
                 assigneeID: String? = nil, approverID: String? = nil, approverRole: String? = nil, minutes: Int? = nil,
                 activatedAt: Date? = nil, dueAt: Date? = nil, completedBy: String? = nil, completedAt: Date? = nil, note: String? = nil,
                 createdBy: String?, createdAt: Date) {
        self.id = id; self.ticketID = ticketID; self.position = position; self.kind = kind; self.state = state; self.teamID = teamID
        self.title = title; self.assigneeID = assigneeID; self.approverID = approverID; self.approverRole = approverRole
        self.minutes = minutes; self.activatedAt = activatedAt; self.dueAt = dueAt; self.completedBy = completedBy
        self.completedAt = completedAt; self.note = note; self.createdBy = createdBy; self.createdAt = createdAt
    }

    /// Open tasks and approvals hold the ticket: it cannot be resolved or closed while one is.
    package var blocksResolution: Bool { state.isOpen && kind != .handoff }

    /// Past its deadline and still being worked on.
    package func isOverdue(at now: Date) -> Bool { state == .active && dueAt.map { now > $0 } == true }

    /// The step started at `now`: its deadline counts its business minutes on `calendar`.
    package func activated(at now: Date, calendar: BusinessCalendar) -> TicketStep {
        var s = self
        s.state = .active; s.activatedAt = now
        s.dueAt = minutes.flatMap { try? calendar.due(from: now, minutes: $0) }
        return s
    }

    /// A department's calendar: the business calendar named like the department, else the
    /// workspace's `default`, else around the clock.
    package static func calendar(department: String?, in calendars: [String: BusinessCalendar]) -> BusinessCalendar {
        department.flatMap { calendars[$0] } ?? calendars["default"] ?? .aroundTheClock
    }
}

/// What adding a step takes.
package struct TicketStepDraft: Sendable {
    package var kind: String?
    package var teamID: String?
    package var title: String = ""
    package var assigneeID: String?
    package var approverID: String?
    package var approverRole: String?
    package var minutes: Int?
    package init() {}

    /// The draft's fields checked and cleaned, or every bad field at once.
    package func validated() throws(DomainError) -> (kind: TicketStepKind, title: String) {
        var e = FieldErrors()
        let kind = TicketStepKind(rawValue: (kind ?? "handoff").lowercased())
        if kind == nil { e.add("kind", "must be one of \(TicketStepKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        let title = Text.clean(title).replacingOccurrences(of: "\n", with: " ")
        if title.isEmpty { e.add("title", .required) } else if title.count > 200 { e.add("title", RoutingWords.tooLong(200)) }
        for (field, id) in [("team_id", teamID), ("assignee_id", assigneeID), ("approver_id", approverID)] {
            if let id, !ID.isValid(id) { e.add(field, "must be an id") }
        }
        if let m = minutes, !(1...525_600).contains(m) { e.add("minutes", RoutingWords.minutes) }
        if let r = approverRole, r.isEmpty || r.count > 40 { e.add("approver_role", RoutingWords.tooLong(40)) }
        switch kind {
        case .approval?:
            if (approverID == nil) == (approverRole == nil) { e.add("approver_id", RoutingWords.approver) }
        case .handoff?, .task?:
            if teamID == nil { e.add("team_id", RoutingWords.stepDepartment) }
            if approverID != nil || approverRole != nil { e.add("approver_id", RoutingWords.approverOnly) }
        case nil: break
        }
        try e.throwIfAny()
        return (kind!, title)
    }
}

/// The chain's rules, pure: the store reads a ticket's steps, asks these, and writes what they say.
package enum TicketChain {
    /// A new step's state: tasks and approvals start at once; a hand-off starts when no other
    /// hand-off of the ticket is open, else waits its turn.
    package static func startsAtOnce(_ kind: TicketStepKind, existing: [TicketStep]) -> Bool {
        kind != .handoff || !existing.contains { $0.kind == .handoff && $0.state.isOpen }
    }

    /// Completing an active hand-off or task: the step done by `userID` with `note`, and the
    /// hand-off that starts next (the first pending one by position), if any.
    package static func complete(_ stepID: String, in steps: [TicketStep], by userID: String?, note: String?,
                                 at now: Date) throws(DomainError) -> (done: TicketStep, next: TicketStep?) {
        guard var step = steps.first(where: { $0.id == stepID }) else { throw DomainError.notFound("step") }
        guard step.kind != .approval else { throw DomainError.conflict("an approval is approved or rejected, not completed") }
        guard step.state == .active else { throw DomainError.conflict("this step is \(step.state.rawValue), not active") }
        step.state = .done; step.completedBy = userID; step.completedAt = now; step.note = note
        let next = step.kind == .handoff
            ? steps.filter { $0.kind == .handoff && $0.state == .pending }.sorted { ($0.position, $0.id) < ($1.position, $1.id) }.first
            : nil
        return (step, next)
    }

    /// Deciding an active approval: only its named approver, or a holder of its role, may.
    package static func decide(_ stepID: String, in steps: [TicketStep], approve: Bool, scope: Scope, note: String?,
                               at now: Date) throws(DomainError) -> TicketStep {
        guard var step = steps.first(where: { $0.id == stepID }) else { throw DomainError.notFound("step") }
        guard step.kind == .approval else { throw DomainError.conflict("only an approval is approved or rejected") }
        guard step.state == .active else { throw DomainError.conflict("this step is \(step.state.rawValue), not active") }
        let mine = (step.approverID != nil && step.approverID == scope.userID) || (step.approverRole != nil && step.approverRole == scope.roleKey)
        guard mine else { throw DomainError.forbidden("only the named approver may decide this step") }
        step.state = approve ? .approved : .rejected; step.completedBy = scope.userID; step.completedAt = now; step.note = note
        return step
    }

    /// The ticket when hand-off `step` starts: it is the step's department's, and the step's
    /// assignee's (or nobody's, for the department to take) unless it stays in its department.
    package static func handedOver(_ t: Ticket, to step: TicketStep) -> Ticket {
        var t = t
        if step.teamID != t.teamID || step.assigneeID != nil { t.assigneeID = step.assigneeID }
        t.teamID = step.teamID
        return t
    }

    /// Refuses resolving or closing a ticket while a child task or an approval is open.
    package static func checkResolvable(_ to: TicketStatus, openSteps: [TicketStep]) throws(DomainError) {
        guard to.isDone, openSteps.contains(where: \.blocksResolution) else { return }
        throw DomainError.field("status", RoutingWords.blocked)
    }

    /// What the customer is told when a hand-off completes: who has the case now and by when this
    /// step is due, or that the handling steps are finished (both languages the desk writes in).
    package static func customerNotice(number: Int, department: String?, dueAt: String?) -> String {
        guard let department else {
            return "您的工单 #\(number) 的各项处理环节已完成，我们会尽快与您确认结果。\n"
                + "All handling steps of your ticket #\(number) are complete; we will confirm the outcome with you shortly."
        }
        let by = dueAt.map { "，预计 \($0) 前完成这一环节" } ?? ""
        let byEn = dueAt.map { "; we expect this step to be done by \($0)" } ?? ""
        return "您的工单 #\(number) 已转交「\(department)」继续处理\(by)。\n"
            + "Your ticket #\(number) has been passed on to \(department)\(byEn)."
    }
}

extension TicketAccess {
    /// The access with the reach of the ticket's active hand-offs and child tasks: their
    /// departments (at `team` level and wider) and assignees. An approval's approver gets no reach
    /// from it: they decide tickets they may read.
    package func reaching(_ steps: [TicketStep]) -> TicketAccess {
        var a = self
        for s in steps where s.state == .active && s.kind != .approval {
            if let t = s.teamID { a.stepTeamIDs.insert(t) }
            if let u = s.assigneeID { a.stepUserIDs.insert(u) }
        }
        return a
    }
}

extension TicketStep: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, position, kind, state, title, minutes, note
        case ticketID = "ticket_id", teamID = "team_id", assigneeID = "assignee_id", approverID = "approver_id", approverRole = "approver_role"
        case activatedAt = "activated_at", dueAt = "due_at", completedBy = "completed_by", completedAt = "completed_at"
        case createdBy = "created_by", createdAt = "created_at"
    }

    /// Every key, null when unset (the API's shape).
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(ticketID, forKey: .ticketID); try c.encode(position, forKey: .position)
        try c.encode(kind, forKey: .kind); try c.encode(state, forKey: .state); try c.encode(teamID, forKey: .teamID)
        try c.encode(title, forKey: .title); try c.encode(assigneeID, forKey: .assigneeID); try c.encode(approverID, forKey: .approverID)
        try c.encode(approverRole, forKey: .approverRole); try c.encode(minutes, forKey: .minutes)
        try c.encode(activatedAt.map(Timestamp.iso8601), forKey: .activatedAt); try c.encode(dueAt.map(Timestamp.iso8601), forKey: .dueAt)
        try c.encode(completedBy, forKey: .completedBy); try c.encode(completedAt.map(Timestamp.iso8601), forKey: .completedAt)
        try c.encode(note, forKey: .note); try c.encode(createdBy, forKey: .createdBy); try c.encode(Timestamp.iso8601(createdAt), forKey: .createdAt)
    }
}
