import Foundation
import Testing
@testable import GuanxiCore

@Suite("Scorecard: periods and the four perspectives' measures, by hand")
struct ScorecardTests {
    @Test func aPeriodIsAMonthAQuarterOrAYearWithTheAsLongPeriodBefore() {
        #expect(ScorecardPeriod.parse("2026-12") == ScorecardPeriod(name: "2026-12", months: ["2026-12"], previous: ["2026-11"]))
        #expect(ScorecardPeriod.parse("2026-01")?.previous == ["2025-12"])
        #expect(ScorecardPeriod.parse("2026-q1") == ScorecardPeriod(name: "2026-Q1", months: ["2026-01", "2026-02", "2026-03"],
                                                                    previous: ["2025-10", "2025-11", "2025-12"]))
        #expect(ScorecardPeriod.parse("2026-Q4")?.months == ["2026-10", "2026-11", "2026-12"])
        #expect(ScorecardPeriod.parse("2199-12")?.months == ["2199-12"])
        let year = ScorecardPeriod.parse(" 2026 ")
        #expect(year?.months.count == 12 && year?.months.first == "2026-01" && year?.months.last == "2026-12")
        #expect(year?.previous.first == "2025-01" && year?.previous.last == "2025-12")
    }

    @Test func anythingElseIsNotAPeriod() {
        for bad in ["", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-12", "2026-1", "2026-12-01", "1999", "2200", "2514-01", "二〇二六", "2026-１２", "2026-Q4'; DROP TABLE orders;--", "🍵"] {
            #expect(ScorecardPeriod.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func measuresComeFromTheFiguresAsComputedByHand() {
        var f = ScorecardFigures()
        f.revenue = 150_000; f.revenueTarget = 200_000          // 75 %
        f.collections = 90_000; f.collectionsTarget = nil       // no target: nothing to measure
        f.retentionBase = 8; f.retained = 6                     // 75 %
        f.csatSum = 4 + 5 + 3; f.csatAnswers = 3                // 4.0
        f.ticketResponseMinutes = [30, 5, 120, 60]              // 5 30 60 120 → 45
        f.leadResponseMinutes = [7, 3, 11]                      // 7
        f.followUpsDue = 5; f.followUpsOnTime = 4               // 80 %
        let m = Scorecard.measures(f)
        #expect(m.revenueAttainment == 0.75 && m.collectionsAttainment == nil)
        #expect(m.retention == 0.75 && m.satisfaction == 4.0)
        #expect(m.ticketFirstResponseMinutes == 45 && m.leadFirstResponseMinutes == 7)
        #expect(m.followUpsOnTime == 0.8)
        // nothing to count is nil, never zero or a division by zero
        let empty = Scorecard.measures(ScorecardFigures())
        #expect(empty == ScorecardMeasures())
        #expect(Scorecard.attainment(100, target: 0) == nil && Scorecard.share(1, of: 0) == nil && Scorecard.median([]) == nil)
    }

    @Test func aTeamSumsItsMembersFiguresAndPoolsTheirResponseTimes() {
        var a = ScorecardFigures(), b = ScorecardFigures()
        a.revenue = 100; a.revenueTarget = 200; a.retentionBase = 4; a.retained = 1; a.ticketResponseMinutes = [10, 20]; a.csatSum = 10; a.csatAnswers = 2
        b.revenue = 300; b.revenueTarget = nil; b.retentionBase = 1; b.retained = 1; b.ticketResponseMinutes = [90]; b.visits = 3; b.newCustomers = 2
        let team = Scorecard.team([a, b])
        #expect(team.revenue == 400 && team.revenueTarget == 200 && team.collectionsTarget == nil)
        let m = Scorecard.measures(team)
        // 400 / 200; 2 of 5 kept (not the mean of 25 % and 100 %); the median of 10, 20, 90
        #expect(m.revenueAttainment == 2.0 && m.retention == 0.4 && m.ticketFirstResponseMinutes == 20 && m.satisfaction == 5.0)
        #expect(team.visits == 3 && team.newCustomers == 2)
        // the team's own target wins over its members' sum
        #expect(Scorecard.team([a, b], revenueTarget: 1_000).revenueTarget == 1_000)
    }
}
