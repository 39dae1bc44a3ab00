import Foundation
import Testing
@testable import GuanxiCore

@Suite("Service KPIs: percentiles, breaches, reopens, per day")
struct ServiceKPITests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func fact(_ id: String, team: String? = nil, type: TicketType = .inquiry, status: TicketStatus = .open,
              firstAfter: Double? = nil, firstDue: Double? = nil, resolvedAfter: Double? = nil, reopened: Bool = false, createdAt: Date? = nil) -> TicketFact {
        let created = createdAt ?? t0
        var sla = TicketSLA(policyID: nil, awaitingReplySince: created)
        sla.firstRespondedAt = firstAfter.map { created.addingTimeInterval($0 * 3600) }
        sla.firstResponseDueAt = firstDue.map { created.addingTimeInterval($0 * 3600) }
        sla.resolvedAt = resolvedAfter.map { created.addingTimeInterval($0 * 3600) }
        return TicketFact(id: id, teamID: team, assigneeID: nil, type: type, status: status, createdAt: created, sla: sla, reopened: reopened)
    }

    @Test func percentilesInterpolateBetweenRanks() {
        #expect(ServiceKPI.percentile([], 0.5) == nil)
        #expect(ServiceKPI.percentile([4], 0.9) == 4)
        #expect(ServiceKPI.percentile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(ServiceKPI.percentile(Array(1...10).map(Double.init), 0.9) == 9.1)
        #expect(ServiceKPI.percentile([0, 10], 0.9) == 9)
    }

    @Test func summaryCountsAnsweredResolvedLateReopenedAndOpen() {
        let facts = [
            fact("a", firstAfter: 1, firstDue: 2, resolvedAfter: 5, reopened: false),
            fact("b", status: .resolved, firstAfter: 3, firstDue: 2, resolvedAfter: 9, reopened: true),   // answered late
            fact("c", status: .closed, firstAfter: 0.5, firstDue: 2, resolvedAfter: 1),
            fact("d", firstDue: 2),                                                                        // unanswered, overdue now
            fact("e", firstDue: 100),                                                                      // unanswered, not yet due
        ]
        let k = ServiceKPI.summary(facts, at: t0.addingTimeInterval(10 * 3600))
        #expect(k.tickets == 5)
        #expect(k.firstResponse == Spread([1, 3, 0.5]) && k.firstResponse.p50 == 1 && k.firstResponse.count == 3)
        #expect(k.resolution.count == 3 && k.resolution.p50 == 5)
        #expect(k.breached == 2)             // b late, d overdue
        #expect(k.reopened == 1)
        #expect(k.open == 3)                 // a, d, e
        #expect(k.breachRate == 40 && k.reopenRate == 20)
        #expect(ServiceKPI.summary([], at: t0).breachRate == nil)
    }

    @Test func groupsComeLargestFirstWithNoneAsItsOwnGroup() {
        let facts = [fact("1", team: "售后"), fact("2", team: "售后"), fact("3", team: nil), fact("4", team: "质检"), fact("5", team: "质检"), fact("6", team: "质检")]
        let g = ServiceKPI.grouped(facts, at: t0, by: { $0.teamID })
        #expect(g.map(\.key) == ["质检", "售后", nil])
        #expect(g.map(\.tickets) == [3, 2, 1])
    }

    @Test func everyDayOfThePeriodIsPresentInTheWorkspacesTimeZone() {
        let tz = TimeZone(identifier: "Asia/Shanghai")!
        let (from, to) = Dates.monthRange("2026-02", timeZone: "Asia/Shanghai")!
        // 2026-02-01 00:30 in Shanghai is still January 31 in UTC
        let facts = [fact("x", createdAt: from.addingTimeInterval(30 * 60)), fact("y", createdAt: from.addingTimeInterval(30 * 60 + 86_400 * 27))]
        let days = ServiceKPI.perDay(facts, from: from, to: to, timeZone: tz)
        #expect(days.count == 28)
        #expect(days.first! == ("2026-02-01", 1) && days.last! == ("2026-02-28", 1))
        #expect(days.dropFirst().dropLast().allSatisfy { $0.count == 0 })
    }

    @Test func complaintRateIsPerThousandOrders() {
        #expect(ServiceKPI.complaintRate(complaints: 3, orders: 1500) == 2)
        #expect(ServiceKPI.complaintRate(complaints: 3, orders: 0) == nil)
    }
}
