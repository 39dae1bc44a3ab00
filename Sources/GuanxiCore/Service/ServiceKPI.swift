import Foundation

/// One ticket as the service reports count it: who had it, what it was, its clock.
package struct TicketFact: Sendable, Equatable {
    package var id: String
    package var teamID: String?
    package var assigneeID: String?
    package var type: TicketType
    package var status: TicketStatus
    package var createdAt: Date
    package var sla: TicketSLA
    /// Reopened at least once (a customer wrote again after it was resolved, or someone reopened it).
    package var reopened: Bool
    /// The stars (1–5) and NPS score (0–10) of the ticket's latest answered survey.
    package var rating: Int?
    package var nps: Int?

    package init(id: String, teamID: String?, assigneeID: String?, type: TicketType, status: TicketStatus, createdAt: Date,
                 sla: TicketSLA, reopened: Bool, rating: Int? = nil, nps: Int? = nil) {
        self.id = id; self.teamID = teamID; self.assigneeID = assigneeID; self.type = type; self.status = status
        self.createdAt = createdAt; self.sla = sla; self.reopened = reopened; self.rating = rating; self.nps = nps
    }
}

/// The service desk's figures for one group of tickets (a department, an agent, a type, or all).
package struct ServiceKPIs: Sendable, Equatable {
    /// The group (a team id, a user id, a type), nil for "none" (unassigned) or for the whole.
    package var key: String?
    package var tickets = 0
    /// Hours from opening to the first reply, over the tickets answered.
    package var firstResponse = Spread()
    /// Hours from opening to resolution, over the tickets resolved.
    package var resolution = Spread()
    /// Tickets that missed a target (answered or resolved late, or overdue now with the clock running).
    package var breached = 0
    package var reopened = 0
    /// Not yet resolved or closed.
    package var open = 0
    /// CSAT and NPS of the group's answered surveys.
    package var satisfaction = SatisfactionFigures()

    package init(key: String?) { self.key = key }

    /// Percent of the group's tickets; nil for an empty group.
    package var breachRate: Double? { tickets == 0 ? nil : Double(breached) * 100 / Double(tickets) }
    package var reopenRate: Double? { tickets == 0 ? nil : Double(reopened) * 100 / Double(tickets) }
    /// The average stars, percent satisfied (4–5 stars) and NPS of the group's answered surveys.
    package var csatAverage: Double? { satisfaction.csatAverage }
    package var satisfiedRate: Double? { satisfaction.satisfiedRate }
    package var nps: Double? { satisfaction.nps }
}

/// A distribution of durations, as reports show it: how many, the median and the 90th percentile.
package struct Spread: Sendable, Equatable {
    package var count = 0
    package var p50: Double?
    package var p90: Double?
    package init() {}
    package init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        p50 = ServiceKPI.percentile(sorted, 0.5)
        p90 = ServiceKPI.percentile(sorted, 0.9)
    }
}

/// The service desk's KPIs: pure functions over ticket facts read by the store.
package enum ServiceKPI {
    /// The `q` quantile of sorted values, interpolated linearly between ranks (nil when empty).
    package static func percentile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = q * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down)), hi = Int(rank.rounded(.up))
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - Double(lo))
    }

    /// The figures of `facts` as one group, at `now` (what is overdue now counts as breached).
    package static func summary(_ facts: [TicketFact], key: String? = nil, at now: Date) -> ServiceKPIs {
        var k = ServiceKPIs(key: key)
        var first: [Double] = [], resolved: [Double] = []
        for f in facts {
            k.tickets += 1
            if let at = f.sla.firstRespondedAt { first.append(at.timeIntervalSince(f.createdAt) / 3600) }
            if let at = f.sla.resolvedAt { resolved.append(at.timeIntervalSince(f.createdAt) / 3600) }
            let b = f.sla.breached(at: now)
            if b.firstResponse || b.nextResponse || b.resolution { k.breached += 1 }
            if f.reopened { k.reopened += 1 }
            if f.status != .resolved && f.status != .closed { k.open += 1 }
            if let r = f.rating { k.satisfaction.add(rating: r, nps: f.nps) }
        }
        k.firstResponse = Spread(first)
        k.resolution = Spread(resolved)
        return k
    }

    /// The figures per group, the largest group first (ties by key).
    package static func grouped(_ facts: [TicketFact], at now: Date, by key: (TicketFact) -> String?) -> [ServiceKPIs] {
        Dictionary(grouping: facts, by: key).map { summary($0.value, key: $0.key, at: now) }
            .sorted { ($0.tickets, $1.key ?? "") > ($1.tickets, $0.key ?? "") }
    }

    /// Tickets opened per day (in `timeZone`) from `from` up to `to`, every day present.
    package static func perDay(_ facts: [TicketFact], from: Date, to: Date, timeZone: TimeZone) -> [(day: String, count: Int)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let f = DateFormatter()
        f.calendar = calendar; f.timeZone = timeZone; f.locale = Locale(identifier: "en_US_POSIX"); f.dateFormat = "yyyy-MM-dd"
        var counts: [String: Int] = [:]
        for fact in facts { counts[f.string(from: fact.createdAt), default: 0] += 1 }
        var out: [(String, Int)] = []
        var day = calendar.startOfDay(for: from)
        while day < to {
            let key = f.string(from: day)
            out.append((key, counts[key] ?? 0))
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return out
    }

    /// Complaints per 1,000 orders placed in the same period (nil without orders).
    package static func complaintRate(complaints: Int, orders: Int) -> Double? {
        orders == 0 ? nil : Double(complaints) * 1000 / Double(orders)
    }
}
