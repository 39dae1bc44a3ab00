import Foundation

/// The call centre's figures over a report period, computed from the calls alone (a pure function,
/// so the arithmetic is tested without a database).
package struct CallStats: Sendable, Equatable, Codable {
    /// Inbound calls that finished (answered and ended, or missed) in the period.
    package var inbound: Int
    package var answered: Int
    package var missed: Int
    package var outbound: Int
    /// Answered inbound calls over finished inbound calls (nil with none).
    package var answeredRate: Double?
    /// Mean seconds from answer to end over calls of both directions that were answered and ended.
    package var averageHandlingSeconds: Int?
    /// Missed calls followed by an outbound call to the same number within the window.
    package var calledBackWithinSLA: Int
    /// That count over the missed calls (nil with none).
    package var calledBackRate: Double?

    /// One call as the figures need it.
    package struct Facts: Sendable, Equatable {
        package var direction: CallDirection
        package var state: CallState
        package var phone: String
        package var startedAt: Date
        package var answeredAt: Date?
        package var endedAt: Date?
        package init(direction: CallDirection, state: CallState, phone: String, startedAt: Date, answeredAt: Date? = nil, endedAt: Date? = nil) {
            self.direction = direction; self.state = state; self.phone = phone; self.startedAt = startedAt
            self.answeredAt = answeredAt; self.endedAt = endedAt
        }
    }

    /// `calls` started in the period; `laterOutbound` the outbound calls that may call them back
    /// (started in the period or up to `window` after it). A missed call counts as called back
    /// when an outbound call to the same number started after it and within `window`.
    package static func compute(_ calls: [Facts], laterOutbound: [Facts], window: TimeInterval) -> CallStats {
        let inboundDone = calls.filter { $0.direction == .inbound && $0.state.isOver }
        let answered = inboundDone.filter { $0.state == .ended }.count
        let missedCalls = inboundDone.filter { $0.state == .missed }
        let handled = calls.compactMap { c -> TimeInterval? in
            guard c.state == .ended, let a = c.answeredAt, let e = c.endedAt else { return nil }
            return max(0, e.timeIntervalSince(a))
        }
        var byNumber: [String: [Date]] = [:]
        for o in laterOutbound where o.direction == .outbound { byNumber[o.phone, default: []].append(o.startedAt) }
        let calledBack = missedCalls.filter { m in
            let from = m.endedAt ?? m.startedAt
            return (byNumber[m.phone] ?? []).contains { $0 >= from && $0.timeIntervalSince(from) <= window }
        }.count
        func rate(_ n: Int, _ d: Int) -> Double? { d == 0 ? nil : Double(n) / Double(d) }
        return CallStats(inbound: inboundDone.count, answered: answered, missed: missedCalls.count,
                         outbound: calls.filter { $0.direction == .outbound }.count,
                         answeredRate: rate(answered, inboundDone.count),
                         averageHandlingSeconds: handled.isEmpty ? nil : Int((handled.reduce(0, +) / Double(handled.count)).rounded()),
                         calledBackWithinSLA: calledBack, calledBackRate: rate(calledBack, missedCalls.count))
    }
}
