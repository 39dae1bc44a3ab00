import Foundation

/// A period a scorecard covers: a month (`2026-12`), a quarter (`2026-Q4`) or a year (`2026`),
/// as the months it spans; the period before it is as long and ends where it starts.
package struct ScorecardPeriod: Sendable, Equatable {
    /// The period as asked, normalised (`2026-q4` → `2026-Q4`).
    package var name: String
    /// Its months, `YYYY-MM`, in order.
    package var months: [String]
    /// The as-long period before it.
    package var previous: [String]

    /// Reads `2026-12`, `2026-Q4` or `2026`; nil for anything else (years 2000–2199, as far as the month ranges reach).
    package static func parse(_ raw: String) -> ScorecardPeriod? {
        let text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, first.count == 4, first.allSatisfy(\.isASCII), let year = Int(first), (2000...2199).contains(year) else { return nil }
        var start: Int, count: Int, name: String
        switch parts.count {
        case 1: (start, count, name) = (1, 12, first)
        case 2 where parts[1].count == 2 && parts[1].hasPrefix("Q"):
            guard let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { return nil }
            (start, count, name) = ((q - 1) * 3 + 1, 3, "\(first)-Q\(q)")
        case 2 where parts[1].count == 2 && parts[1].allSatisfy(\.isASCII):
            guard let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            (start, count, name) = (m, 1, "\(first)-\(parts[1])")
        default: return nil
        }
        func months(from index: Int) -> [String] {
            (0..<count).map { k in
                let i = index + k
                let y = year + Int((Double(i - 1) / 12).rounded(.down)), m = ((i - 1) % 12 + 12) % 12 + 1
                return String(format: "%04d-%02d", y, m)
            }
        }
        return ScorecardPeriod(name: name, months: months(from: start), previous: months(from: start - count))
    }
}

/// What a scorecard counts for one person (or, summed, a team) over a period: the raw figures
/// each measure is made from, so a team's measures come from its members' figures, never from
/// averaging their ratios.
package struct ScorecardFigures: Sendable, Equatable {
    /// Minor units of the scorecard's currency: revenue of their orders placed in the period (not
    /// cancelled or returned), collections (money received on their orders less refunds, in the
    /// period), and the targets set for them over the period's months (nil: none set).
    package var revenue: Int64 = 0
    package var revenueTarget: Int64?
    package var collections: Int64 = 0
    package var collectionsTarget: Int64?
    /// Their accounts (customers they own) who bought in the period before, and of those, who
    /// bought again in this one.
    package var retentionBase = 0
    package var retained = 0
    /// Satisfaction answers (1–5) on their accounts' tickets answered in the period.
    package var csatSum = 0
    package var csatAnswers = 0
    /// Minutes to the first response of each ticket assigned to them / lead owned by them,
    /// opened in the period and answered.
    package var ticketResponseMinutes: [Int] = []
    package var leadResponseMinutes: [Int] = []
    /// Visits done in the period; follow-ups (tasks) due in the period and of those done by their due time.
    package var visits = 0
    package var followUpsDue = 0
    package var followUpsOnTime = 0
    /// Customers of theirs whose first order fell in the period; orders in the period that sold
    /// an existing customer a product they had never bought before.
    package var newCustomers = 0
    package var crossSellOrders = 0

    package init() {}
}

/// The four perspectives' measures, as a page or the API shows them (nil: nothing to measure).
package struct ScorecardMeasures: Sendable, Equatable {
    package var revenueAttainment: Double?
    package var collectionsAttainment: Double?
    package var retention: Double?
    package var satisfaction: Double?
    package var ticketFirstResponseMinutes: Double?
    package var leadFirstResponseMinutes: Double?
    package var followUpsOnTime: Double?
}

/// The balanced scorecard's rules (financial, customer, process, growth): pure functions over
/// the figures a store read.
package enum Scorecard {
    /// Actual against target (1 = met); nil without a positive target.
    package static func attainment(_ actual: Int64, target: Int64?) -> Double? {
        guard let target, target > 0 else { return nil }
        return Double(actual) / Double(target)
    }

    /// `part` of `whole`; nil when there is no whole.
    package static func share(_ part: Int, of whole: Int) -> Double? {
        whole > 0 ? Double(part) / Double(whole) : nil
    }

    /// The median (the mean of the middle two for an even count); nil for none.
    package static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted(), n = s.count
        return n % 2 == 1 ? Double(s[n / 2]) : (Double(s[n / 2 - 1]) + Double(s[n / 2])) / 2
    }

    /// The measures of one set of figures.
    package static func measures(_ f: ScorecardFigures) -> ScorecardMeasures {
        ScorecardMeasures(
            revenueAttainment: attainment(f.revenue, target: f.revenueTarget),
            collectionsAttainment: attainment(f.collections, target: f.collectionsTarget),
            retention: share(f.retained, of: f.retentionBase),
            satisfaction: f.csatAnswers > 0 ? Double(f.csatSum) / Double(f.csatAnswers) : nil,
            ticketFirstResponseMinutes: median(f.ticketResponseMinutes), leadFirstResponseMinutes: median(f.leadResponseMinutes),
            followUpsOnTime: share(f.followUpsOnTime, of: f.followUpsDue))
    }

    /// A team's figures: its members' summed (response times pooled), with the team's own target
    /// when one is set, else the sum of the members' targets (nil when nobody has one).
    package static func team(_ members: [ScorecardFigures], revenueTarget: Int64? = nil, collectionsTarget: Int64? = nil) -> ScorecardFigures {
        var t = ScorecardFigures()
        func add(_ a: Int64?, _ b: Int64?) -> Int64? { a == nil && b == nil ? nil : (a ?? 0) &+ (b ?? 0) }
        var revenueTargets: Int64?, collectionsTargets: Int64?
        for m in members {
            t.revenue &+= m.revenue; t.collections &+= m.collections
            revenueTargets = add(revenueTargets, m.revenueTarget); collectionsTargets = add(collectionsTargets, m.collectionsTarget)
            t.retentionBase += m.retentionBase; t.retained += m.retained
            t.csatSum += m.csatSum; t.csatAnswers += m.csatAnswers
            t.ticketResponseMinutes += m.ticketResponseMinutes; t.leadResponseMinutes += m.leadResponseMinutes
            t.visits += m.visits; t.followUpsDue += m.followUpsDue; t.followUpsOnTime += m.followUpsOnTime
            t.newCustomers += m.newCustomers; t.crossSellOrders += m.crossSellOrders
        }
        t.revenueTarget = revenueTarget ?? revenueTargets
        t.collectionsTarget = collectionsTarget ?? collectionsTargets
        return t
    }
}
