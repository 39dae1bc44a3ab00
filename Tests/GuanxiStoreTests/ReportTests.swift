import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Sales reports and targets: funnel, won/lost reasons, overdue collections, attainment, on SQLite and PostgreSQL")
struct ReportTests {
    @Test func monthsAndAttainmentAreExact() {
        #expect(SalesTarget.month("2026-1") == "2026-01" && SalesTarget.month("2026-13") == nil && SalesTarget.month("二〇二六") == nil)
        let (a, b) = Dates.monthRange("2026-11", timeZone: "Asia/Shanghai")!
        #expect(a.timeIntervalSince1970 == 1_793_462_400 && b.timeIntervalSince(a) == 30 * 86_400)   // 2026-11-01 00:00 +08:00
        let t = SalesTarget(month: "2026-11", userID: "u", teamID: nil, metric: .revenue, amount: Money(minor: 300, currency: "CNY"))
        #expect(Attainment(target: t, achieved: Money(minor: 299, currency: "CNY")).percent == 99)
        #expect(Attainment(target: t, achieved: Money(minor: -5, currency: "CNY")).percent == 0)
        #expect(throws: DomainError.validation(["user_id": "name either a user or a team"])) {
            try SalesTarget(month: "2026-11", userID: nil, teamID: nil, metric: .revenue, amount: Money(minor: 1, currency: "CNY")).validate()
        }
    }

    @Test(arguments: Backend.all)
    func targetsMeetOrdersAndPaymentsOfTheMonth(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_794_528_000))   // 2026-11-13
            let s = stores(db, clock), access = s.access
            let a = try await access.createUser(email: "a@t.example", password: "password-target", name: "甲", role: .salesRep, workspaceID: owner.workspaceID)
            let b = try await access.createUser(email: "b@t.example", password: "password-target", name: "乙", role: .salesRep, workspaceID: owner.workspaceID)
            let m = try await access.createUser(email: "m@t.example", password: "password-target", name: "经理", role: .salesManager, workspaceID: owner.workspaceID)
            let team = try await access.saveTeam(owner, name: "华东", kind: "sales", parentID: nil, managerID: m.id, memberIDs: [a.id, b.id, m.id])
            let repA = try #require(try await access.scope(userID: a.id, workspaceID: owner.workspaceID))
            let repB = try #require(try await access.scope(userID: b.id, workspaceID: owner.workspaceID))
            let manager = try #require(try await access.scope(userID: m.id, workspaceID: owner.workspaceID))
            let orders = s.orders, targets = s.targets
            func sell(_ rep: Scope, _ minor: Int64, pay: Int64 = 0) async throws -> Order {
                let c = try await s.customers.create(rep, { var d = CustomerDraft(); d.kind = .person; d.name = "客户"; return d }())
                var d = OrderDraft(); d.customerID = c.id
                d.lines = [LineDraft(name: "货", quantity: 1, unitPrice: minor, taxRate: Percent(basisPoints: 0))]
                let o = try await orders.create(rep, d).0
                if pay > 0 { _ = try await orders.pay(rep, id: o.id, PaymentDraft(amount: pay)) }
                return o
            }
            _ = try await sell(repA, 600_000, pay: 200_000)
            let cancelled = try await sell(repA, 999_999)
            _ = try await orders.cancel(repA, id: cancelled.id, reason: "重复")
            _ = try await sell(repB, 300_000, pay: 300_000)
            // a rep may not set targets; the manager sets them for the team's people and the team
            await #expect(throws: DomainError.self) {
                try await targets.save(repA, [SalesTarget(month: "2026-11", userID: a.id, teamID: nil, metric: .revenue, amount: Money(minor: 1, currency: "CNY"))])
            }
            _ = try await targets.save(manager, [
                SalesTarget(month: "2026-11", userID: a.id, teamID: nil, metric: .revenue, amount: Money(minor: 1_000_000, currency: "CNY")),
                SalesTarget(month: "2026-11", userID: a.id, teamID: nil, metric: .collections, amount: Money(minor: 400_000, currency: "cny")),
                SalesTarget(month: "2026-11", userID: nil, teamID: team.id, metric: .revenue, amount: Money(minor: 1_800_000, currency: "CNY")),
            ])
            let all = try await targets.attainment(manager, month: "2026-11")
            #expect(all.count == 3)
            let aRevenue = try #require(all.first { $0.target.userID == a.id && $0.target.metric == .revenue })
            #expect(aRevenue.achieved.minor == 600_000 && aRevenue.percent == 60)     // the cancelled order does not count
            #expect(all.first { $0.target.userID == a.id && $0.target.metric == .collections }?.achieved.minor == 200_000)
            #expect(all.first { $0.target.teamID == team.id }?.achieved.minor == 900_000 && all.first { $0.target.teamID == team.id }?.percent == 50)
            // rep B sees no target of A's, and none of the team's (it covers A)
            #expect(try await targets.attainment(repB, month: "2026-11").isEmpty)
            // another month is empty; zero removes
            #expect(try await targets.attainment(manager, month: "2026-12").isEmpty)
            _ = try await targets.save(manager, [SalesTarget(month: "2026-11", userID: a.id, teamID: nil, metric: .collections, amount: Money(minor: 0, currency: "CNY"))])
            #expect(try await targets.attainment(manager, month: "2026-11").count == 2)
        }
    }

    @Test(arguments: Backend.all)
    func funnelReasonsAndOverdueCollections(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_794_528_000))   // 2026-11-13
            let s = stores(db, clock), leads = s.leads, reports = s.reports
            var ids: [String] = []
            for (i, src) in ["抖音", "抖音", "官网", "展会"].enumerated() {
                ids.append(try await leads.create(owner, { var d = LeadDraft(); d.name = "线索\(i)"; d.source = src; return d }()).id)
            }
            _ = try await leads.setStatus(owner, id: ids[0], to: .contacted, reason: nil, ifVersion: nil)
            _ = try await leads.setStatus(owner, id: ids[1], to: .qualified, reason: nil, ifVersion: nil)
            _ = try await leads.convert(owner, id: ids[1], LeadConversion())
            _ = try await leads.setStatus(owner, id: ids[3], to: .disqualified, reason: "空号", ifVersion: nil)
            let (start, end) = Dates.monthRange("2026-11", timeZone: "Asia/Shanghai")!
            let f = try await reports.leadFunnel(owner, from: start, to: end)
            #expect(f.captured == 4 && f.contacted == 2 && f.qualified == 1 && f.converted == 1 && f.disqualified == 1)
            #expect(f.bySource.first == LeadFunnel.SourceRow(source: "抖音", captured: 2, converted: 1))
            // deals won and lost, by reason
            let deals = s.deals
            let c = try await s.customers.create(owner, { var d = CustomerDraft(); d.kind = .person; d.name = "客户"; return d }())
            let p = try await deals.pipelines(owner)[0]
            for (n, reason) in ["价格太高", "价格太高", "选了竞品"].enumerated() {
                var d = DealDraft(); d.name = "D\(n)"; d.customerID = c.id; d.amount = Money(minor: 1_000, currency: "CNY")
                let deal = try await deals.create(owner, d)
                _ = try await deals.move(owner, id: deal.id, toStage: p.stages.first { $0.kind == .lost }!.id, reason: reason, ifVersion: nil)
            }
            let reasons = try await reports.closeReasons(owner, from: start, to: end)
            #expect(reasons.first == CloseReasonRow(status: .lost, reason: "价格太高", count: 2, amount: Money(minor: 2_000, currency: "CNY")))
            // an instalment past due and not covered is overdue; a paid one is not
            let orders = s.orders
            var od = OrderDraft(); od.customerID = c.id; od.lines = [LineDraft(name: "货", quantity: 1, unitPrice: 1_000, taxRate: Percent(basisPoints: 0))]
            let o = try await orders.create(owner, od).0
            _ = try await orders.setPlan(owner, id: o.id, [Instalment(dueDate: "2026-11-01", amount: 400), Instalment(dueDate: "2026-11-10", amount: 600)])
            _ = try await orders.pay(owner, id: o.id, PaymentDraft(amount: 500))
            let overdue = try await reports.overdueCollections(owner)
            #expect(overdue == [OverdueCollection(orderID: o.id, number: o.number, customerID: c.id, ownerID: nil, dueDate: "2026-11-10",
                                                  due: Money(minor: 500, currency: "CNY"))])
        }
    }
}
