import Foundation

/// A warning shortly before a target's due time (to the assignee) or an escalation after it was
/// missed (to the assignee and the department's manager), once per target and due time: a due time
/// planned again arms them again.
package struct SLAAlarm: Sendable, Equatable, Hashable {
    package enum Kind: String, Sendable, Codable { case warning, breach }
    package var target: SLATarget
    package var kind: Kind
    package var dueAt: Date
    package init(target: SLATarget, kind: Kind, dueAt: Date) { self.target = target; self.kind = kind; self.dueAt = dueAt }

    /// The alarms a ticket's clock raises at `now`: each open target whose due time is within
    /// `warningLead` warns, each past it escalates. A stopped clock or a finished ticket raises none.
    package static func due(_ sla: TicketSLA, status: TicketStatus, at now: Date, warningLead: TimeInterval) -> [SLAAlarm] {
        guard sla.pausedSince == nil, !status.isDone else { return [] }
        let open = SLATarget.allCases.compactMap { t in sla.pending(t) ? sla.due(t).map { (t, $0) } : nil }
        var out: [SLAAlarm] = []
        for (target, d) in open {
            if now >= d { out.append(SLAAlarm(target: target, kind: .breach, dueAt: d)) }
            if now >= d.addingTimeInterval(-warningLead) { out.append(SLAAlarm(target: target, kind: .warning, dueAt: d)) }
        }
        return out
    }
}
