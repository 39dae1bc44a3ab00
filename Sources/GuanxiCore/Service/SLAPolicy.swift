import Foundation

/// Business-minute targets for one priority; nil means no target.
package struct SLATargets: Codable, Sendable, Equatable {
    package var firstResponse: Int?
    package var nextResponse: Int?
    package var resolution: Int?
    package init(firstResponse: Int?, nextResponse: Int?, resolution: Int?) {
        self.firstResponse = firstResponse; self.nextResponse = nextResponse; self.resolution = resolution
    }
    enum CodingKeys: String, CodingKey { case firstResponse = "first_response", nextResponse = "next_response", resolution }
}

/// Which tickets a policy covers (an empty list matches anything), its targets by priority and the
/// business calendar they count on (nil: around the clock). The first active policy by position
/// whose conditions hold is the ticket's; a policy without conditions is the fallback.
package struct SLAPolicy: Sendable, Equatable {
    package var id: String
    package var name: String
    package var position: Int
    package var types: [TicketType]
    package var channels: [TicketChannel]
    package var tiers: [String]
    package var targets: [TicketPriority: SLATargets]
    package var calendarID: String?
    package var active: Bool

    package init(id: String, name: String, position: Int, types: [TicketType] = [], channels: [TicketChannel] = [], tiers: [String] = [],
                 targets: [TicketPriority: SLATargets], calendarID: String? = nil, active: Bool = true) {
        self.id = id; self.name = name; self.position = position; self.types = types; self.channels = channels; self.tiers = tiers
        self.targets = targets; self.calendarID = calendarID; self.active = active
    }

    package func matches(type: TicketType, channel: TicketChannel, tier: String?) -> Bool {
        active && (types.isEmpty || types.contains(type)) && (channels.isEmpty || channels.contains(channel))
            && (tiers.isEmpty || tier.map(tiers.contains) == true)
    }

    /// The ticket's policy: the first by position that matches.
    package static func select(_ policies: [SLAPolicy], type: TicketType, channel: TicketChannel, tier: String?) -> SLAPolicy? {
        policies.sorted { ($0.position, $0.id) < ($1.position, $1.id) }.first { $0.matches(type: type, channel: channel, tier: tier) }
    }

    /// What a workspace starts with: every ticket, on the workspace's working hours.
    package static func standard(id: String, calendarID: String?) -> SLAPolicy {
        SLAPolicy(id: id, name: "Standard", position: 100, targets: [
            .urgent: SLATargets(firstResponse: 30, nextResponse: 60, resolution: 240),
            .high: SLATargets(firstResponse: 60, nextResponse: 120, resolution: 480),
            .normal: SLATargets(firstResponse: 240, nextResponse: 480, resolution: 1_440),
            .low: SLATargets(firstResponse: 480, nextResponse: 960, resolution: 2_880),
        ], calendarID: calendarID)
    }
}

/// A ticket's SLA clock as stored: what is due when, what happened, and when the clock stood still.
/// Due instants are computed with the pauses that have ended; while a pause is open (`pausedSince`)
/// nothing can breach, and when it ends the dues move by its business time.
package struct TicketSLA: Sendable, Equatable {
    package var policyID: String?
    package var firstResponseDueAt: Date?
    package var firstRespondedAt: Date?
    /// The customer wrote and waits for an answer since then (next-response target).
    package var awaitingReplySince: Date?
    package var nextResponseDueAt: Date?
    package var resolutionDueAt: Date?
    package var resolvedAt: Date?
    package var pausedSince: Date?
    package var pauses: [Range<Date>]

    package init(policyID: String? = nil, firstResponseDueAt: Date? = nil, firstRespondedAt: Date? = nil, awaitingReplySince: Date? = nil,
                 nextResponseDueAt: Date? = nil, resolutionDueAt: Date? = nil, resolvedAt: Date? = nil, pausedSince: Date? = nil,
                 pauses: [Range<Date>] = []) {
        self.policyID = policyID; self.firstResponseDueAt = firstResponseDueAt; self.firstRespondedAt = firstRespondedAt
        self.awaitingReplySince = awaitingReplySince; self.nextResponseDueAt = nextResponseDueAt; self.resolutionDueAt = resolutionDueAt
        self.resolvedAt = resolvedAt; self.pausedSince = pausedSince; self.pauses = pauses
    }

    /// The dues recomputed from the ticket's creation under `targets` on `calendar` (also what a
    /// policy change does to an open ticket). A target already met keeps its due for the record.
    package func planned(createdAt: Date, targets: SLATargets?, calendar: BusinessCalendar) -> TicketSLA {
        var s = self
        func due(_ from: Date, _ minutes: Int?) -> Date? { minutes.flatMap { try? calendar.due(from: from, minutes: $0, pauses: pauses) } }
        s.firstResponseDueAt = due(createdAt, targets?.firstResponse)
        s.resolutionDueAt = due(createdAt, targets?.resolution)
        s.nextResponseDueAt = s.firstRespondedAt == nil ? nil : awaitingReplySince.flatMap { due($0, targets?.nextResponse) }
        return s
    }

    /// Stops the clock at `now` (a waiting state, or resolved).
    package mutating func pause(at now: Date) { if pausedSince == nil { pausedSince = now } }

    /// Restarts it: the pause becomes one of the ticket's pauses (dues must be planned again).
    package mutating func resume(at now: Date) {
        guard let since = pausedSince else { return }
        if now > since { pauses.append(since..<now) }
        pausedSince = nil
    }

    /// Whether a target is breached at `now`: met late, or still open past its due with the clock running.
    package func breached(at now: Date) -> (firstResponse: Bool, nextResponse: Bool, resolution: Bool) {
        func late(_ due: Date?, _ done: Date?) -> Bool {
            guard let due else { return false }
            if let done { return done > due }
            return pausedSince == nil && now > due
        }
        return (late(firstResponseDueAt, firstRespondedAt), awaitingReplySince != nil && late(nextResponseDueAt, nil),
                late(resolutionDueAt, resolvedAt))
    }
}

extension BusinessCalendar {
    /// Every minute counts (tickets under a policy without a calendar).
    package static let aroundTheClock: BusinessCalendar = {
        let day = #"[["00:00","24:00"]]"#
        let week = weekdayKeys.map { "\"\($0)\":\(day)" }.joined(separator: ",")
        return try! parse(#"{"time_zone":"UTC","week":{"# + week + "}}")
    }()
}
