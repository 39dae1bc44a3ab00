import Foundation

/// What happens to a ticket: an agent answers the customer, the customer writes, or an agent
/// moves it to another status. Internal notes change nothing here.
package enum TicketEvent: Sendable, Equatable {
    case agentReply
    case customerMessage
    case status(TicketStatus)
}

/// The one place where a ticket's status and SLA clock follow from what happens to it.
package enum TicketFlow {
    /// The ticket after `event` at `now`, with its dues planned again under `targets` on `calendar`.
    /// A ticket with an open child task or approval among `openSteps` is not resolved or closed.
    package static func apply(_ ticket: Ticket, _ event: TicketEvent, at now: Date, targets: SLATargets?,
                              calendar: BusinessCalendar, openSteps: [TicketStep] = []) throws(DomainError) -> Ticket {
        var t = ticket
        switch event {
        case .agentReply:
            if t.sla.firstRespondedAt == nil { t.sla.firstRespondedAt = now }
            t.sla.awaitingReplySince = nil
            if t.status == .new || t.status == .reopened { move(&t, to: .open, at: now) }
        case .customerMessage:
            if t.sla.awaitingReplySince == nil { t.sla.awaitingReplySince = now }
            switch t.status {
            case .waitingCustomer: move(&t, to: .open, at: now)
            case .resolved, .closed: move(&t, to: .reopened, at: now)
            default: break
            }
        case .status(let to):
            guard to != t.status else { return t }
            guard t.status.next.contains(to) else {
                throw DomainError.conflict("a \(t.status.rawValue) ticket cannot become \(to.rawValue)")
            }
            try TicketChain.checkResolvable(to, openSteps: openSteps)
            move(&t, to: to, at: now)
        }
        t.sla = t.sla.planned(createdAt: t.createdAt, targets: targets, calendar: calendar)
        return t
    }

    /// Status and clock together: waiting and finished states stop the clock, the others run it.
    static func move(_ t: inout Ticket, to status: TicketStatus, at now: Date) {
        t.status = status
        if status.pausesClock || status.isDone { t.sla.pause(at: now) } else { t.sla.resume(at: now) }
        switch status {
        case .resolved: t.sla.resolvedAt = now
        case .closed: if t.sla.resolvedAt == nil { t.sla.resolvedAt = now }
        case .reopened: t.sla.resolvedAt = nil
        default: break
        }
    }
}
