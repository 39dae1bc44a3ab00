import Foundation

/// What a sales target measures: revenue (orders placed in the month, not cancelled or returned)
/// or collections (money received in the month, less refunds given in it).
package enum TargetMetric: String, Codable, Sendable, CaseIterable {
    case revenue, collections
}

/// A monthly target for one user or one team.
package struct SalesTarget: Codable, Sendable, Equatable {
    /// YYYY-MM.
    package var month: String
    package var userID: String?
    package var teamID: String?
    package var metric: TargetMetric
    package var amount: Money
    package init(month: String, userID: String?, teamID: String?, metric: TargetMetric, amount: Money) {
        self.month = month; self.userID = userID; self.teamID = teamID; self.metric = metric; self.amount = amount
    }
    enum CodingKeys: String, CodingKey { case month, metric, amount, userID = "user_id", teamID = "team_id" }

    /// `2026-11` → itself; nil unless a real month.
    package static func month(_ s: String) -> String? {
        let p = s.trimmingCharacters(in: .whitespaces).split(separator: "-")
        guard p.count == 2, p[0].count == 4, let y = Int(p[0]), let m = Int(p[1]), (1900...2200).contains(y), (1...12).contains(m) else { return nil }
        return String(format: "%04d-%02d", y, m)
    }

    package func validate() throws(DomainError) {
        var e = FieldErrors()
        if Self.month(month) == nil { e.add("month", "must be a month (YYYY-MM)") }
        if (userID == nil) == (teamID == nil) { e.add("user_id", "name either a user or a team") }
        for (k, v) in [("user_id", userID), ("team_id", teamID)] { if let v, !ID.isValid(v) { e.add(k, "is not a valid id") } }
        if amount.minor < 0 { e.add("amount.minor", "must not be negative") }
        if Money.currencyCode(amount.currency) == nil { e.add("amount.currency", "must be an ISO 4217 code such as CNY, TWD or USD") }
        try e.throwIfAny()
    }
}

/// A target with what was achieved against it.
package struct Attainment: Codable, Sendable, Equatable {
    package var target: SalesTarget
    package var achieved: Money
    /// achieved / target in whole percent (rounded down); nil for a zero target.
    package var percent: Int?
    package init(target: SalesTarget, achieved: Money) {
        self.target = target; self.achieved = achieved
        let (p, o) = max(0, achieved.minor).multipliedReportingOverflow(by: 100)
        percent = target.amount.minor > 0 ? (o ? Int.max : Int(p / target.amount.minor)) : nil
    }
}

extension Dates {
    /// The first instant of a month and of the next, in a time zone.
    /// "2026-01" moved by `by` months ("2025-12" for -1); a malformed month stays as it is.
    package static func shiftMonth(_ month: String, _ by: Int) -> String {
        let p = month.split(separator: "-").compactMap { Int($0) }
        guard p.count == 2 else { return month }
        let n = p[0] * 12 + (p[1] - 1) + by
        return String(format: "%04d-%02d", n / 12, n % 12 + 1)
    }

    package static func monthRange(_ month: String, timeZone: String) -> (Date, Date)? {
        guard let m = SalesTarget.month(month) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        let p = m.split(separator: "-").compactMap { Int($0) }
        guard let start = cal.date(from: DateComponents(year: p[0], month: p[1], day: 1)),
              let end = cal.date(byAdding: .month, value: 1, to: start) else { return nil }
        return (start, end)
    }
}
