import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Scorecards from the database: each measure over a period, per person and team, by reach; on SQLite and PostgreSQL")
struct ScorecardStoreTests {
    /// 2026-11-15 12:00 in Shanghai, and days around it.
    static func day(_ text: String, hour: Int = 12) -> Date {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let p = text.split(separator: "-").map { Int($0)! }
        return c.date(from: DateComponents(year: p[0], month: p[1], day: p[2], hour: hour))!
    }

    @Test(arguments: Backend.all)
    func measuresAreCountedPerPersonAndSummedForTheirTeam(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let clock = ManualClock(Self.day("2026-11-20"))
            let s = stores(db, clock)
            let ws = owner.workspaceID
            let cards = ScorecardStore(db: db, access: s.access)
            let rep = try await s.access.createUser(email: "li@example.com", password: "password-rep-1", name: "李雷", role: .salesRep, workspaceID: ws)
            let other = try await s.access.createUser(email: "han@example.com", password: "password-rep-2", name: "韩梅梅", role: .salesRep, workspaceID: ws)
            let team = try await s.access.saveTeam(owner, name: "华东 🍵", kind: "sales", parentID: nil, managerID: nil, memberIDs: [rep.id, other.id])
            func customer(_ name: String, _ by: String) async throws -> String {
                var d = CustomerDraft(); d.kind = .person; d.name = name; d.ownerID = .some(by)
                return try await s.customers.create(owner, d).id
            }
            func order(_ c: String, _ by: String?, _ item: String, _ price: Int64, on day: String) async throws {
                var d = OrderDraft(); d.customerID = c; d.ownerID = by; d.placedAt = Self.day(day)
                d.lines = [LineDraft(name: item, quantity: 1, unitPrice: price)]
                _ = try await s.orders.create(owner, d)
            }
            // given Li's accounts: 甲 bought in October and again in November (a new product: cross-sell),
            // 乙 in October only, 丙 first in November; Han's 丁 in November only
            let (jia, yi, bing) = (try await customer("甲", rep.id), try await customer("乙", rep.id), try await customer("丙", rep.id))
            let ding = try await customer("丁", other.id)
            try await order(jia, rep.id, "绿茶", 10_000, on: "2026-10-10")
            try await order(jia, rep.id, "茶壶", 20_000, on: "2026-11-05")
            try await order(yi, rep.id, "绿茶", 5_000, on: "2026-10-12")
            try await order(bing, rep.id, "绿茶", 7_000, on: "2026-11-06")
            try await order(ding, other.id, "红茶", 1_000, on: "2026-11-07")
            // and an order from the shop with nobody named on it: it is credited to its customer's owner, Han
            try await order(ding, nil, "红茶", 500, on: "2026-11-20")
            // Li's tasks: a visit done in November, two calls due in November (one done on time, one late), one due in December
            func task(_ kind: TaskKind, due: String, doneOn: String?) async throws {
                var d = TaskDraft(); d.kind = kind; d.title = "跟进 \(kind.rawValue)"; d.dueAt = Self.day(due); d.ownerID = rep.id
                d.subjectKind = .some(.customer); d.subjectID = .some(jia)
                clock.set(Self.day("2026-11-01", hour: 9))
                let t = try await s.tasks.create(owner, d)
                if let doneOn {
                    clock.set(Self.day(doneOn))
                    _ = try await s.tasks.setStatus(owner, id: t.id, to: .done, ifVersion: nil)
                }
            }
            try await task(.visit, due: "2026-11-10", doneOn: "2026-11-10")
            try await task(.call, due: "2026-11-12", doneOn: "2026-11-11")
            try await task(.call, due: "2026-11-13", doneOn: "2026-11-16")
            try await task(.todo, due: "2026-12-02", doneOn: nil)
            // and a November revenue target of 500.00 for Li
            _ = try await s.targets.save(owner, [SalesTarget(month: "2026-11", userID: rep.id, teamID: nil, metric: .revenue, amount: Money(minor: 50_000, currency: "CNY"))])
            // when the owner reads November
            let sheet = try await cards.sheet(owner, period: "2026-11")
            let li = try #require(sheet.rows.first { $0.id == rep.id })
            // then Li's figures are as counted by hand
            #expect(li.figures.revenue == 27_000 && li.figures.revenueTarget == 50_000 && li.measures.revenueAttainment == 0.54)
            #expect(li.figures.retentionBase == 2 && li.figures.retained == 1 && li.measures.retention == 0.5)
            #expect(li.figures.newCustomers == 1 && li.figures.crossSellOrders == 1)
            #expect(li.figures.visits == 1 && li.figures.followUpsDue == 2 && li.figures.followUpsOnTime == 1 && li.measures.followUpsOnTime == 0.5)
            let han = try #require(sheet.rows.first { $0.id == other.id })
            #expect(han.figures.revenue == 1_500 && han.figures.newCustomers == 1 && han.measures.retention == nil && han.figures.revenueTarget == nil)
            // the team sums them
            let t = try #require(sheet.rows.first { $0.kind == "team" && $0.id == team.id })
            #expect(t.figures.revenue == 28_500 && t.figures.newCustomers == 2 && t.figures.revenueTarget == 50_000 && t.name == "华东 🍵")
            // the quarter holds October and November; October alone none of November's orders
            #expect(try await cards.sheet(owner, period: "2026-Q4").rows.first { $0.id == rep.id }?.figures.revenue == 42_000)   // October 15,000 + November 27,000
            #expect(try await cards.sheet(owner, period: "2026-10").rows.first { $0.id == rep.id }?.figures.revenue == 15_000)
            // a salesperson sees their own row alone, no team; a role without orders is refused; a bad period is a field error
            let mine = try await cards.sheet(Scope(workspaceID: ws, userID: rep.id, role: .salesRep), period: "2026-11")
            #expect(mine.rows.map(\.id) == [rep.id])
            await #expect(throws: DomainError.self) { try await cards.sheet(owner, period: "2026-11'); DROP TABLE orders;--") }
            await #expect(throws: DomainError.notFound("team")) { try await cards.sheet(owner, period: "2026-11", team: "没有这个团队") }
            // another workspace sees none of these people
            let elsewhere = try await s.access.createWorkspace(name: "别家", slug: "other-\(UUID().uuidString.prefix(6).lowercased())")
            let outside = try await cards.sheet(Scope(workspaceID: elsewhere.id, userID: nil, role: .owner), period: "2026-11")
            #expect(!outside.rows.contains { $0.id == rep.id || $0.id == team.id })
        }
    }
}
