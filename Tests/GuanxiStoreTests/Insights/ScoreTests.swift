import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiAnalytics
@testable import GuanxiStore

@Suite("Insights: order history import and scoring runs, on SQLite and PostgreSQL")
struct ScoreTests {
    /// The CDNOW 1/10th sample the analytics tests use (master id, sample id, yyyymmdd, CDs, dollars), as order history.
    static func cdnowCSV() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GuanxiAnalyticsTests/Fixtures/CDNOW_sample.txt")
        var out = "customer_external_id,placed_at,amount,quantity\n"
        for line in try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline) {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count == 5 else { continue }
            out += "\(f[1]),\(f[2]),\(f[4]),\(max(1, Int(f[3]) ?? 1))\n"
        }
        return out
    }

    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "gx-orders-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: Backend.all)
    func cdnowImportedAsOrdersReproducesThePublishedModel(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let s = stores(db)
            let csv = try Self.cdnowCSV()
            let path = try Self.file(csv)
            defer { try? FileManager.default.removeItem(atPath: path) }
            // when the history is imported, and imported again
            let first = try await s.orderHistory.run(owner, file: path)
            #expect(first.rejected == 0 && first.created == first.total && first.customersCreated == 2357, "\(first.errors.prefix(3))")
            let again = try await s.orderHistory.run(owner, file: path)
            #expect(again.created == 0 && again.existing == first.total && again.customersCreated == 0)
            // and scored as of the end of the calibration period, in weeks
            let run = try await s.scores.run(owner, asOf: "1997-09-30", period: "week")
            // then the engine's parameters on the same transactions, and the published ones
            var rows: [(customer: String, day: Int, amount: Double)] = []
            for line in csv.split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",")
                rows.append((String(f[0]), CivilDate.parse(String(f[1]))!, Double(f[2])!))
            }
            let summary = CustomerSummary.from(TransactionTable(rows: rows), calibrationEnd: CivilDate.parse("1997-09-30"), unit: .weeks)
            let engine = BGNBD.fit(summary), gg = try #require(GammaGamma.fit(summary))
            #expect(run.status == "done" && run.customers == 2357 && run.asOf == "1997-09-30" && run.period == "week")
            guard case .object(let p)? = run.parameters, case .object(let bg)? = p["bgnbd"], case .object(let g)? = p["gamma_gamma"] else {
                Issue.record("no parameters"); return
            }
            func n(_ o: [String: JSONValue], _ k: String) -> Double { if case .number(let v)? = o[k] { return v }; return .nan }
            func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(b)) }
            #expect(close(n(bg, "r"), engine.parameters.r) && close(n(bg, "alpha"), engine.parameters.alpha))
            #expect(close(n(bg, "a"), engine.parameters.a) && close(n(bg, "b"), engine.parameters.b))
            #expect(close(n(bg, "log_likelihood"), engine.logLikelihood))
            #expect(close(n(g, "p"), gg.parameters.p) && close(n(g, "q"), gg.parameters.q) && close(n(g, "gamma"), gg.parameters.gamma))
            func r(_ v: Double, _ places: Double) -> Double { (v * pow(10, places)).rounded() / pow(10, places) }
            #expect(r(n(bg, "r"), 3) == 0.243 && r(n(bg, "alpha"), 3) == 4.414 && r(n(bg, "a"), 3) == 0.793 && r(n(bg, "b"), 3) == 2.426)
            #expect(r(n(bg, "log_likelihood"), 1) == -9582.4)
            #expect(r(n(g, "p"), 2) == 6.25 && r(n(g, "q"), 2) == 3.74 && r(n(g, "gamma"), 2) == 15.44)
            #expect(run.firstDay == "1997-01-01" && run.lastDay == "1998-06-30" && run.currency == "CNY")
            // every customer has scores, equal to the engine's for that customer
            let customer = try #require(try await db.read { sql in
                try await sql.raw("SELECT customer_id FROM customer_identities WHERE kind = 'external' AND value = 'import:0001'").first()?
                    .decode(column: "customer_id", as: String.self)
            })
            let score = try #require(try await s.scores.scores(owner, customerID: customer))
            let i = try #require(summary.ids.firstIndex(of: "0001"))
            #expect(close(score.pAlive, BGNBD.probabilityAlive(engine.parameters, x: summary.frequency[i], tx: summary.recency[i], T: summary.T[i])))
            #expect(close(score.expectedPurchases90d, BGNBD.conditionalExpectedPurchases(
                engine.parameters, t: 90.0 / 7, x: summary.frequency[i], tx: summary.recency[i], T: summary.T[i])))
            #expect(score.purchases == 3 && score.monetary == 2933 + 2973 + 1496 && ["low", "medium", "high"].contains(score.churnRisk))
            #expect(["A", "B", "C"].contains(score.valueTier) && !score.customerClass.isEmpty && score.clv12m > 0)
            let count = try await db.read { try await $0.raw("SELECT COUNT(*) AS n FROM customer_scores").first()!.decode(column: "n", as: Int.self) }
            #expect(count == 2357)
        }
    }

    @Test(arguments: Backend.all)
    func badRowsAreReportedByLineAndTheGoodOnesLand(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let s = stores(db)
            let csv = """
                customer_external_id,placed_at,amount,product,quantity,currency,external_id
                张三-001,2026-01-05,199.00,龙井茶 🍵,2,CNY,SO-1
                张三-001,2026-02-05,88.5,紫砂壶,1,,
                ,2026-02-06,10,,,,
                李四,2026-13-01,10,,,,
                李四,2026-03-01,-5,,,,
                李四,2026-03-01,1.234,,,,
                王五,2026-03-02T10:00:00Z,12,茶杯,0,,
                "'; DROP TABLE orders; --",2026-03-03,1,,,,
                张三-001,2026-03-04,50,龙井茶 🍵,1,CNY,
                """
            let path = try Self.file(csv)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let r = try await s.orderHistory.run(owner, file: path)
            #expect(r.total == 9 && r.created == 4 && r.rejected == 5 && r.customersCreated == 2)
            #expect(r.errors.map(\.line) == [4, 5, 6, 7, 8])
            #expect(r.errors.map(\.column) == ["customer_external_id", "placed_at", "amount", "amount", "quantity"])
            // importing again adds nothing; with or without an external id
            let again = try await s.orderHistory.run(owner, file: path)
            #expect(again.created == 0 && again.existing == 4)
            let orders = try await db.read { try await $0.raw("SELECT status, paid, total, paid_at, confirmed_at, placed_at FROM orders ORDER BY placed_at").all() }
            #expect(orders.count == 4)
            for o in orders {
                #expect(try o.decode(column: "status", as: String.self) == "confirmed")
                #expect(try o.decode(column: "paid", as: Int64.self) == o.decode(column: "total", as: Int64.self))
                #expect(try o.decode(column: "confirmed_at", as: Int64.self) == o.decode(column: "placed_at", as: Int64.self))
            }
            #expect(try orders[0].decode(column: "total", as: Int64.self) == 19_900)
            // a header without the needed columns is refused as a whole
            let bad = try Self.file("customer,date\n1,2026-01-01\n")
            defer { try? FileManager.default.removeItem(atPath: bad) }
            let refused = try await s.orderHistory.run(owner, file: bad)
            #expect(refused.created == 0 && refused.errors.first?.line == 1)
            #expect(refused.errors.first?.reason.text.contains("customer_external_id") == true)
        }
    }

    @Test(arguments: Backend.all)
    func onlyAnalyticsReadersSeeScoresAndOnlyAdminsRunThem(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let s = stores(db)
            var csv = "customer_external_id,placed_at,amount,product\n"
            for c in 0..<40 {
                for k in 0..<(c % 5 + 1) { csv += "客户\(c),2026-0\(k % 9 + 1)-1\(c % 9),\(10 + c * 3 + k).5,\(["茶叶", "茶杯", "茶壶"][(c + k) % 3])\n" }
            }
            let path = try Self.file(csv)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let imported = try await s.orderHistory.run(owner, file: path)
            #expect(imported.rejected == 0, "\(imported.errors)")
            // a role that may not run analytics is refused, and nothing is recorded
            for role: Role in [.salesRep, .marketer, .analyst, .salesManager] {
                await #expect(throws: DomainError.self) { try await s.scores.run(Scope(workspaceID: owner.workspaceID, userID: nil, role: role), asOf: nil, period: "week") }
                await #expect(throws: DomainError.self) { try await s.orderHistory.run(Scope(workspaceID: owner.workspaceID, userID: nil, role: role), file: path) }
            }
            await #expect(throws: DomainError.validation(["period": "must be day or week"])) { try await s.scores.run(owner, asOf: nil, period: "month") }
            await #expect(throws: DomainError.self) { try await s.scores.run(owner, asOf: "not a day", period: "day") }
            let run = try await s.scores.run(owner, asOf: "2026-10-01", period: "day")
            #expect(run.status == "done" && run.customers == 40 && run.currency == "CNY")
            let read = try await s.scores.run(owner, id: run.id)
            #expect(read.id == run.id && read.status == "done" && read.customers == 40 && read.parameters == run.parameters)
            let id = try #require(try await db.read { sql in
                try await sql.raw("SELECT customer_id FROM customer_scores ORDER BY clv_12m DESC LIMIT 1").first()?.decode(column: "customer_id", as: String.self)
            })
            #expect(try await s.scores.scores(owner, customerID: id) != nil)
            #expect(try await s.scores.scores(Scope(workspaceID: owner.workspaceID, userID: nil, role: .marketer), customerID: id) != nil)
            #expect(try await s.scores.scores(Scope(workspaceID: owner.workspaceID, userID: nil, role: .salesRep), customerID: id) == nil)
            // another workspace sees neither the run nor the scores
            let other = try await s.access.createWorkspace(name: "别家", slug: "other-\(UUID().uuidString.prefix(6).lowercased())")
            let outsider = Scope(workspaceID: other.id, userID: nil, role: .owner)
            #expect(try await s.scores.scores(outsider, customerID: id) == nil)
            await #expect(throws: DomainError.notFound("score run")) { try await s.scores.run(outsider, id: run.id) }
            // cross-sell: what others bought with what this customer bought
            let all = try await db.read { try await $0.raw("SELECT cross_sell_json FROM customer_scores").all().map { try $0.decode(column: "cross_sell_json", as: String.self) } }
            #expect(all.contains { $0.contains("茶") })
        }
    }
}
