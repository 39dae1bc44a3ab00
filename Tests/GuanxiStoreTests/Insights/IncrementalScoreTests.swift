import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
import GuanxiAnalytics
@testable import GuanxiStore

@Suite("Insights: incremental scoring runs, on SQLite and PostgreSQL")
struct IncrementalScoreTests {
    /// Forty customers with one to five orders each over 2026, three products.
    static func history() -> String {
        var csv = "customer_external_id,placed_at,amount,product\n"
        for c in 0..<40 {
            for k in 0..<(c % 5 + 1) { csv += "客户\(c),2026-0\(k % 9 + 1)-1\(c % 9),\(10 + c * 3 + k).5,\(["茶叶", "茶杯", "茶壶"][(c + k) % 3])\n" }
        }
        return csv
    }

    /// Every score row, by customer, as stored (run id included).
    /// An order-history file imported as the owner, as `guanxi import-orders` would.
    static func importHistory(_ s: Stores, _ owner: Scope, _ csv: String) async throws {
        let path = NSTemporaryDirectory() + "gx-incr-\(UUID().uuidString).csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await s.orderHistory.run(owner, file: path)
    }

    static func rows(_ db: Database) async throws -> [String: [String]] {
        try await db.read { sql in
            var out: [String: [String]] = [:]
            for r in try await sql.raw("""
                SELECT customer_id, run_id, recency_days, purchases, monetary, r, f, m, rfm_segment, expected_purchases_90d, p_alive, churn_risk,
                  clv_12m, value_tier, class, cross_sell_json FROM customer_scores
                """).all() {
                let id = try r.decode(column: "customer_id", as: String.self)
                out[id] = [try r.decode(column: "run_id", as: String.self), "\(try r.decode(column: "recency_days", as: Int.self))",
                           "\(try r.decode(column: "purchases", as: Int.self))", "\(try r.decode(column: "monetary", as: Int64.self))",
                           "\(try r.decode(column: "r", as: Int.self))\(try r.decode(column: "f", as: Int.self))\(try r.decode(column: "m", as: Int.self))",
                           try r.decode(column: "rfm_segment", as: String.self), "\(try r.decode(column: "expected_purchases_90d", as: Double.self))",
                           "\(try r.decode(column: "p_alive", as: Double.self))", try r.decode(column: "churn_risk", as: String.self),
                           "\(try r.decode(column: "clv_12m", as: Int64.self))", try r.decode(column: "value_tier", as: String.self),
                           try r.decode(column: "class", as: String.self), try r.decode(column: "cross_sell_json", as: String.self)]
            }
            return out
        }
    }

    static func customer(_ db: Database, _ externalID: String) async throws -> String {
        try await db.read { sql in
            try await sql.raw("""
                SELECT customer_id FROM customer_identities WHERE kind = 'external' AND value = \(bind: "import:" + externalID)
                """).first()!.decode(column: "customer_id", as: String.self)
        }
    }

    /// What a full run through `context` (the base run's) gives `customer` on the database as it is now.
    static func expected(_ s: Stores, _ owner: Scope, base: ScoreRun, customer: String, asOf: String) async throws -> [String]? {
        let text = try #require(try await s.db.read { sql in
            try await sql.raw("SELECT context_json FROM score_runs WHERE id = \(bind: base.id)").first()?.decode(column: "context_json", as: String?.self) ?? nil
        })
        let context = try JSONDecoder().decode(ScoringContext.self, from: Data(text.utf8))
        let input = try await s.scores.read(owner.workspaceID, zone: try await s.scores.timeZone(owner.workspaceID))
        let day = CivilDate.parse(asOf)!
        let all = CustomerScoring.score(CustomerScoring.activity(input.table, asOf: day), baskets: input.baskets, asOf: day, context: context)
        guard let x = all.first(where: { $0.id == customer }) else { return nil }
        // as the store writes them: money in minor units, what is not finite as 0
        func minor(_ v: Double) -> Int64 { v.isFinite ? Int64((v * 100).rounded()) : 0 }
        func finite(_ v: Double) -> Double { v.isFinite ? v : 0 }
        return ["\(x.recencyDays)", "\(x.purchases)", "\(minor(x.monetary))", "\(x.r)\(x.f)\(x.m)", x.segment, "\(finite(x.expectedPurchases))",
                "\(finite(x.probabilityAlive))", x.churnRisk, "\(minor(x.clv))", x.valueTier, x.customerClass, JSONCoding.encode(x.crossSell)]
    }

    @Test(arguments: Backend.all)
    func onlyTheChangedCustomerIsRescoredAsAFullRunWithTheSameModelWouldScoreThem(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let s = stores(db)
            try await Self.importHistory(s, owner, Self.history())
            // given a full run
            let base = try await s.scores.run(owner, asOf: "2026-10-01", period: "day")
            #expect(base.kind == "full" && base.customers == 40 && base.touched == 40)
            let before = try await Self.rows(db)
            #expect(before.count == 40)
            // when nothing changed, an incremental run touches nobody
            let idle = try await s.scores.run(owner, asOf: "2026-10-01", period: "day")
            #expect(idle.kind == "incremental" && idle.baseRunID == base.id && idle.touched == 0 && idle.customers == 0 && idle.durationMs != nil)
            #expect(idle.parameters == base.parameters && idle.model == base.model)
            #expect(try await Self.rows(db) == before)
            // when one customer's history gains an order (an import, in Chinese, with an emoji product)
            try await Self.importHistory(s, owner, "customer_external_id,placed_at,amount,product\n客户7,2026-09-20,88.00,茶叶🍵\n")
            let seven = try await Self.customer(db, "客户7")
            let run = try await s.scores.run(owner, asOf: "2026-10-01", period: "day")
            // then only that customer's scores change, to what a full run with the same model gives
            #expect(run.kind == "incremental" && run.touched == 1 && run.customers == 1)
            let after = try await Self.rows(db)
            #expect(after.count == 40)
            for (id, row) in before where id != seven { #expect(after[id] == row, "\(id) moved") }
            #expect(after[seven] != before[seven])
            #expect(after[seven]?[0] == run.id)
            #expect(Array(after[seven]!.dropFirst()) == (try await Self.expected(s, owner, base: base, customer: seven, asOf: "2026-10-01")))
            // when another customer's only order is refunded in full, they buy nothing any more and lose their scores
            let zero = try await Self.customer(db, "客户0")
            let order = try #require(try await db.read { sql in
                try await sql.raw("SELECT id, total FROM orders WHERE customer_id = \(bind: zero)").all()
            }.first)
            _ = try await s.orders.refund(owner, id: try order.decode(column: "id", as: String.self),
                                          PaymentDraft(amount: try order.decode(column: "total", as: Int64.self), note: "退货退款"))
            let refunded = try await s.scores.run(owner, asOf: "2026-10-01", period: "day")
            #expect(refunded.kind == "incremental" && refunded.touched == 1 && refunded.customers == 0)
            let last = try await Self.rows(db)
            #expect(last[zero] == nil && last.count == 39)
            for (id, row) in after where id != zero { #expect(last[id] == row, "\(id) moved") }
            // and a full run asked for refits everyone and clears what was noted
            let full = try await s.scores.run(owner, asOf: "2026-10-01", period: "day", full: true)
            #expect(full.kind == "full" && full.customers == 39)
            let pending = try await db.read { try await $0.raw("SELECT COUNT(*) AS n FROM score_changes").first()!.decode(column: "n", as: Int.self) }
            #expect(pending == 0)
        }
    }

    @Test(arguments: Backend.all)
    func anOldModelOrAnEarlierDayOrAnotherPeriodIsRefittedInFull(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let s = stores(db)
            try await Self.importHistory(s, owner, Self.history())
            _ = try await s.scores.run(owner, asOf: "2026-10-01", period: "day")
            // an earlier day or another period cannot reuse the model
            #expect(try await s.scores.run(owner, asOf: "2026-09-01", period: "day").kind == "full")
            #expect(try await s.scores.run(owner, asOf: "2026-10-01", period: "week").kind == "full")
            #expect(try await s.scores.run(owner, asOf: "2026-10-02", period: "week").kind == "incremental")
            // a model older than the refit age is refitted
            let strict = ScoreStore(db: db, clock: s.clock, refitAfter: 0)
            #expect(try await strict.run(owner, asOf: "2026-10-02", period: "week").kind == "full")
            // a role without analytics rights over the workspace may not start any run
            await #expect(throws: DomainError.self) {
                try await s.scores.run(Scope(workspaceID: owner.workspaceID, userID: nil, role: .salesRep), asOf: nil, period: "week", full: true)
            }
        }
    }
}
