import Foundation

/// The three things an SLA policy times on a ticket.
package enum SLATarget: String, Sendable, CaseIterable {
    case firstResponse = "first_response"
    case nextResponse = "next_response"
    case resolution
}

/// Where one SLA target of a ticket stands at an instant, as queues and the ticket page show it:
/// when it is due and how much wall-clock time is left, how long it is overdue, or that the clock
/// stands still. (The due instant itself was planned in business time; what is left is plain time
/// to it, so it reads the same as the due time printed beside it.)
package struct SLACountdown: Sendable, Equatable {
    package enum State: Sendable, Equatable {
        /// The clock runs and the due instant is `seconds` away (0 at the instant itself).
        case left(seconds: Int)
        /// The clock runs and the due instant passed `seconds` ago.
        case overdue(seconds: Int)
        /// The clock stands still since then (waiting on the customer or a third party); the due
        /// moves by the pause's business time when it runs again, so nothing can breach meanwhile.
        case paused(since: Date)
    }
    package var target: SLATarget
    package var due: Date
    package var state: State

    package init(target: SLATarget, due: Date, state: State) { self.target = target; self.due = due; self.state = state }

    package var isOverdue: Bool { if case .overdue = state { true } else { false } }
}

extension TicketSLA {
    /// The due instant of `target`, whether it is met or not (nil when the policy sets none).
    package func due(_ target: SLATarget) -> Date? {
        switch target {
        case .firstResponse: firstResponseDueAt
        case .nextResponse: nextResponseDueAt
        case .resolution: resolutionDueAt
        }
    }

    /// Whether `target` still waits to be met: the first reply not sent, a customer's later message
    /// not answered, the ticket not resolved. A resolved or closed ticket waits for nothing.
    package func pending(_ target: SLATarget) -> Bool {
        guard resolvedAt == nil else { return false }
        return switch target {
        case .firstResponse: firstRespondedAt == nil
        case .nextResponse: firstRespondedAt != nil && awaitingReplySince != nil
        case .resolution: true
        }
    }

    /// `target`'s countdown at `now`; nil when it has no due or no longer waits. Overdue means past
    /// its due with the clock running, the same rule as `breached(at:)` for a target not yet met.
    package func countdown(_ target: SLATarget, at now: Date) -> SLACountdown? {
        guard pending(target), let due = due(target) else { return nil }
        if let since = pausedSince { return SLACountdown(target: target, due: due, state: .paused(since: since)) }
        let millis = due.millis - now.millis
        return SLACountdown(target: target, due: due, state: millis < 0 ? .overdue(seconds: Int(-millis / 1000)) : .left(seconds: Int(millis / 1000)))
    }

    /// The target due soonest of those still waiting (first response before resolution on a tie),
    /// nil when nothing waits: what a queue shows as the ticket's next due.
    package func next(at now: Date) -> SLACountdown? {
        SLATarget.allCases.compactMap { countdown($0, at: now) }.min { $0.due < $1.due }
    }
}

/// The service desk's queues: which tickets a view lists, within what the user may see.
package enum TicketQueue: String, Sendable, CaseIterable {
    /// Assigned to the user.
    case mine
    /// Of the user's departments (their teams).
    case departments
    /// Nobody assigned, not yet done.
    case unassigned
    /// Waiting on the customer or a third party.
    case waiting
    /// A target past due with the clock running, not done: `SLACountdown.isOverdue` of some target.
    case breached
    /// Everything the user may see.
    case all

    /// The statuses a queue is limited to (nil: any).
    package var statuses: [TicketStatus]? {
        switch self {
        case .waiting: [.waitingCustomer, .waitingThirdParty]
        case .unassigned, .breached: TicketStatus.allCases.filter { !$0.isDone }
        case .mine, .departments, .all: nil
        }
    }
}
