import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Deals: money, stages, board, forecast, idle, conversion, on SQLite and PostgreSQL")
struct DealTests {
    func customer(_ db: Database, _ scope: Scope, _ name: String) async throws -> Customer {
        try await stores(db).customers.create(scope, { var d = CustomerDraft(); d.kind = .person; d.name = name; return d }())
    }
    func draft(_ name: String, _ customer: String, _ minor: Int64, _ currency: String = "CNY", close: String? = nil) -> DealDraft {
        var d = DealDraft(); d.name = name; d.customerID = customer; d.amount = Money(minor: minor, currency: currency); d.expectedClose = close
        return d
    }

    @Test func moneyIsExactAndNeverMixesCurrencies() throws {
        let a = Money(minor: 10_001, currency: "CNY")
        #expect(try a.adding(Money(minor: 99, currency: "CNY")) == Money(minor: 10_100, currency: "CNY"))
        #expect(throws: DomainError.badRequest("cannot add USD to CNY")) { try a.adding(Money(minor: 1, currency: "USD")) }
        #expect(throws: DomainError.badRequest("the amount is too large")) { try Money(minor: .max, currency: "CNY").adding(Money(minor: 1, currency: "CNY")) }
        #expect(Money(minor: 333, currency: "CNY").weighted(percent: 50) == Money(minor: 167, currency: "CNY"))   // 166.5 rounds away from zero
        #expect(Money(minor: 1_000, currency: "CNY").weighted(percent: 150).minor == 1_000)
        #expect(Money.currencyCode(" twd ") == "TWD" && Money.currencyCode("RMB1") == nil && Money.currencyCode("人民币") == nil)
        var totals = MoneyTotals()
        for m in [Money(minor: 5, currency: "USD"), Money(minor: 7, currency: "CNY"), Money(minor: 3, currency: "USD")] { totals.add(m) }
        #expect(totals.items == [Money(minor: 7, currency: "CNY"), Money(minor: 8, currency: "USD")])
    }

    @Test func draftsSayWhatIsWrong() {
        var d = DealDraft(); d.amount = Money(minor: -1, currency: "元"); d.expectedClose = "2026-02-30"
        #expect(throws: DomainError.validation(["name": "is required", "customer_id": "is required", "amount.minor": "must not be negative",
                                                "amount.currency": "must be an ISO 4217 code such as CNY, TWD or USD",
                                                "expected_close": "must be a date (YYYY-MM-DD)"])) { try d.validate(creating: true) }
    }

    @Test(arguments: Backend.all)
    func dealsMoveThroughStagesAndLostNeedsAReason(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let deals = stores(db).deals
            let c = try await customer(db, owner, "华为 Huawei")
            let p = try await deals.pipelines(owner)[0]
            #expect(p.stages.map(\.probability) == [10, 25, 50, 75, 100, 0])
            let d = try await deals.create(owner, draft("年度采购 💼", c.id, 12_345_600, close: "2026/12/31"))
            #expect(d.stageID == p.stages[0].id && d.probability == 10 && d.expectedClose == "2026-12-31" && d.status == .open)
            let moved = try await deals.move(owner, id: d.id, toStage: p.stages[2].id, reason: nil, ifVersion: d.version)
            #expect(moved.probability == 50)
            await #expect(throws: DomainError.staleVersion(current: moved.version)) {
                try await deals.move(owner, id: d.id, toStage: p.stages[3].id, reason: nil, ifVersion: d.version)
            }
            let lost = p.stages.first { $0.kind == .lost }!, won = p.stages.first { $0.kind == .won }!
            await #expect(throws: DomainError.field("reason", "say why the deal was lost")) {
                try await deals.move(owner, id: d.id, toStage: lost.id, reason: "  ", ifVersion: nil)
            }
            let l = try await deals.move(owner, id: d.id, toStage: lost.id, reason: "价格太高", ifVersion: nil)
            #expect(l.status == .lost && l.closeReason == "价格太高" && l.closedAt != nil && l.probability == 0)
            // reopened, then won
            let reopened = try await deals.move(owner, id: d.id, toStage: p.stages[1].id, reason: nil, ifVersion: nil)
            #expect(reopened.status == .open && reopened.closedAt == nil && reopened.closeReason == nil)
            let w = try await deals.move(owner, id: d.id, toStage: won.id, reason: "签约", ifVersion: nil)
            #expect(w.status == .won)
            // a stage of another pipeline is refused
            let other = try await deals.createPipeline(owner, name: "渠道", stages: [("接触", 20, .open), ("成交", 100, .won), ("失败", 0, .lost)])
            await #expect(throws: DomainError.field("stage_id", "is not a stage of this deal's pipeline")) {
                try await deals.move(owner, id: d.id, toStage: other.stages[0].id, reason: nil, ifVersion: nil)
            }
            // every step is on the customer's timeline
            let kinds = try await stores(db).timeline.list(owner, customerID: c.id, cursor: nil, limit: 50).items.map(\.kind)
            #expect(kinds.filter { $0 == .dealMoved }.count == 4 && kinds.contains(.dealOpened))
            // a pipeline without a lost stage is refused
            await #expect(throws: DomainError.validation(["stages": "needs at least one lost stage"])) {
                try await deals.createPipeline(owner, name: "坏", stages: [("接触", 20, .open), ("成交", 100, .won)])
            }
        }
    }

    @Test(arguments: Backend.all)
    func theBoardAndForecastSumPerCurrencyAndWeighByProbability(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let deals = stores(db).deals
            let c = try await customer(db, owner, "客户甲")
            let p = try await deals.pipelines(owner)[0]
            _ = try await deals.create(owner, draft("A", c.id, 100_000, close: "2026-12-05"))
            _ = try await deals.create(owner, draft("B", c.id, 33_333, close: "2026-12-20"))
            _ = try await deals.create(owner, draft("C", c.id, 5_000, "USD", close: "2027-01-10"))
            let d = try await deals.create(owner, draft("D", c.id, 70_000, close: "2027-01-02"))
            _ = try await deals.move(owner, id: d.id, toStage: p.stages[3].id, reason: nil, ifVersion: nil)   // 75 %
            let (_, columns) = try await deals.board(owner, pipelineID: nil)
            let first = columns[0]
            #expect(first.count == 3 && first.totals == [Money(minor: 133_333, currency: "CNY"), Money(minor: 5_000, currency: "USD")])
            #expect(first.weighted == [Money(minor: 13_333, currency: "CNY"), Money(minor: 500, currency: "USD")])
            #expect(first.deals.map(\.name) == ["A", "B", "C"])   // by expected close
            #expect(columns[3].count == 1 && columns[3].weighted == [Money(minor: 52_500, currency: "CNY")])
            let f = try await deals.forecast(owner)
            #expect(f.map(\.month) == ["2026-12", "2027-01", "2027-01"])
            #expect(f[0].weighted == Money(minor: 13_333, currency: "CNY") && f[0].count == 2)
            #expect(f.contains { $0.month == "2027-01" && $0.weighted == Money(minor: 52_500, currency: "CNY") })
            #expect(f.contains { $0.month == "2027-01" && $0.weighted == Money(minor: 500, currency: "USD") })
            // by team: owners in no team are summed under no team (the owner scope owns these deals itself)
            let byTeam = try await deals.forecastByTeam(owner)
            #expect(byTeam.filter { $0.teamID == nil }.map(\.weighted) == f.map(\.weighted))
        }
    }

    @Test(arguments: Backend.all)
    func sumsOfTheLargestAmountsSaturateInsteadOfFailing(_ kind: Backend) async throws {
        // the API takes any 64-bit amount: three of the largest in one stage overflowed SQLite's SUM
        // and PostgreSQL's bigint product, and the board answered 500
        try await kind.with { db, owner in
            let deals = stores(db).deals
            let c = try await customer(db, owner, "巨额 🐋")
            for n in ["甲", "乙", "丙"] { _ = try await deals.create(owner, draft(n, c.id, .max, close: "2026-12-31")) }
            _ = try await deals.create(owner, draft("小", c.id, 1_999_999_999, close: "2026-12-31"))
            let (_, columns) = try await deals.board(owner, pipelineID: nil)
            #expect(columns[0].count == 4 && columns[0].totals == [Money(minor: .max, currency: "CNY")])
            #expect(columns[0].weighted == [Money(minor: Money.hundredths(.max), currency: "CNY")])
            let f = try await deals.forecast(owner)
            #expect(f.count == 1 && f[0].amount.minor == .max)
            _ = try await deals.forecastByTeam(owner)
            // below the bounds the two-part sum is exact
            #expect(MoneySum.join(hi: 3, lo: 999_999_999) == 3_999_999_999 && MoneySum.join(hi: -2, lo: -5) == -2_000_000_005)
            #expect(MoneySum.join(hi: .max / 2, lo: 0) == .max && MoneySum.join(hi: -9_223_372_036, lo: -999_999_999) == .min)
        }
    }

    @Test(arguments: Backend.all)
    func aDealIsIdleUntilSomeoneTalksToTheCustomer(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_760_000_000))
            let s = stores(db, clock), deals = s.deals
            let c = try await s.customers.create(owner, { var d = CustomerDraft(); d.kind = .person; d.name = "老王"; return d }())
            let d = try await deals.create(owner, draft("续约", c.id, 1))
            clock.advance(days: 15)
            #expect(try await deals.get(owner, id: d.id).isIdle(at: clock.now(), days: 14))
            _ = try await s.timeline.add(owner, customerID: c.id, ActivityDraft(kind: .call, direction: .outbound, subject: "回访"), isNote: false)
            #expect(!(try await deals.get(owner, id: d.id).isIdle(at: clock.now(), days: 14)))
        }
    }

    @Test(arguments: Backend.all)
    func repsSeeTheirOwnDealsAndConvertingALeadCanOpenOne(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let s = stores(db), access = s.access
            let a = try await access.createUser(email: "a@deals.example", password: "password-deal", name: "甲", role: .salesRep, workspaceID: owner.workspaceID)
            let b = try await access.createUser(email: "b@deals.example", password: "password-deal", name: "乙", role: .salesRep, workspaceID: owner.workspaceID)
            let repA = try #require(try await access.scope(userID: a.id, workspaceID: owner.workspaceID))
            let repB = try #require(try await access.scope(userID: b.id, workspaceID: owner.workspaceID))
            let deals = s.deals, leads = s.leads
            // a lead converted with a deal: customer, organisation and deal in one step, all the rep's
            let lead = try await leads.create(repA, { var d = LeadDraft(); d.name = "周芷若"; d.company = "峨眉派"; d.productInterest = "企业版"; return d }())
            var conv = LeadConversion(); var dd = DealDraft(); dd.amount = Money(minor: 880_000, currency: "cny"); conv.deal = dd
            let r = try await leads.convert(repA, id: lead.id, conv)
            let deal = try #require(r.deal)
            #expect(deal.name == "峨眉派 · 企业版" && deal.ownerID == a.id && deal.customerID == r.customer.id && deal.leadID == lead.id)
            #expect(deal.amount == Money(minor: 880_000, currency: "CNY"))
            // the other rep neither sees nor moves it
            await #expect(throws: DomainError.notFound("deal")) { try await deals.get(repB, id: deal.id) }
            #expect(try await deals.list(repB, filter: DealFilter(), cursor: nil).items.isEmpty)
            #expect(try await deals.board(repB, pipelineID: nil).1.allSatisfy { $0.count == 0 })
            // and cannot open a deal on a customer they cannot see
            await #expect(throws: DomainError.notFound("customer")) { try await deals.create(repB, draft("抢单", r.customer.id, 1)) }
            // a rep may not give a deal to someone else
            var give = DealDraft(); give.ownerID = b.id
            await #expect(throws: DomainError.forbidden("your role may not assign deals")) { try await deals.update(repA, id: deal.id, give, ifVersion: nil) }
        }
    }
}
