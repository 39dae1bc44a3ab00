import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("Scores where people work: list filters and sorts, export, saved views, ETag; on SQLite and PostgreSQL")
struct ScoreListTests {
    /// Order history of 30 customers with Chinese and emoji names, scored as of 2026-06-30.
    static func scored(_ env: WebEnv) async throws -> [String: (clv: Int64, alive: Double, churn: String, segment: String, tier: String, cls: String)] {
        let admin = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .admin)
        var csv = "customer_external_id,placed_at,amount,product\n"
        for c in 0..<30 {
            for k in 0...(c % 5) { csv += "客户🍵-\(c),2026-0\(1 + (c + k) % 6)-\(10 + k),\(100 + c * 13 + k * 7).50,\(["绿茶", "红茶"][(c + k) % 2])\n" }
        }
        let imported = try await env.services.orderHistory.run(admin, data: Data(csv.utf8))
        #expect(imported.rejected == 0)
        let run = try await env.services.scores.run(admin, asOf: "2026-06-30", period: "week")
        #expect(run.status == "done" && run.customers == 30)
        return try await env.services.db.read { sql in
            var out: [String: (Int64, Double, String, String, String, String)] = [:]
            for r in try await sql.raw("SELECT customer_id, clv_12m, p_alive, churn_risk, rfm_segment, value_tier, class FROM customer_scores").all() {
                out[try r.decode(column: "customer_id", as: String.self)] = (
                    try r.decode(column: "clv_12m", as: Int64.self), try r.decode(column: "p_alive", as: Double.self),
                    try r.decode(column: "churn_risk", as: String.self), try r.decode(column: "rfm_segment", as: String.self),
                    try r.decode(column: "value_tier", as: String.self), try r.decode(column: "class", as: String.self))
            }
            return out
        }
    }

    /// Every id of a list, following its cursors `limit` at a time.
    static func all(_ env: WebEnv, _ query: String, as who: Auth = .admin) async throws -> [String] {
        var ids: [String] = [], cursor: String?
        repeat {
            let r = try await env.get("/api/v1/customers?limit=7&\(query)" + (cursor.map { "&cursor=" + $0 } ?? ""), as: who)
            #expect(r.status == .ok, "\(r.text)")
            ids += r.json["items"].array.compactMap { $0["id"].string }
            cursor = r.json["next_cursor"].string
        } while cursor != nil && ids.count < 1000
        return ids
    }

    @Test(arguments: Backend.all) func listsFilterAndSortByScoresForAnalyticsReadersOnly(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let scores = try await Self.scored(env)
            // a customer without orders is in the list but never in a score's
            let unscored = try await env.createCustomer(name: "没有订单 😀", as: .admin)
            // sorted by CLV, highest first, page after page: exactly the scored customers in the score's order
            let byCLV = try await Self.all(env, "sort=-clv")
            #expect(byCLV.count == 30 && Set(byCLV) == Set(scores.keys) && !byCLV.contains(unscored))
            #expect(byCLV == scores.keys.sorted { (scores[$0]!.clv, $0) > (scores[$1]!.clv, $1) })
            // ascending too, and by P(alive) (its cursor keeps the exact value)
            #expect(try await Self.all(env, "sort=clv") == byCLV.reversed())
            let byAlive = try await Self.all(env, "sort=-p_alive")
            #expect(byAlive == scores.keys.sorted { (scores[$0]!.alive, $0) > (scores[$1]!.alive, $1) })
            // each filter keeps exactly the customers with that score, alone, combined, and with a sort
            for risk in ScoreVocabulary.churnRisks {
                let ids = try await Self.all(env, "churn_risk=\(risk)")
                #expect(Set(ids) == Set(scores.filter { $0.value.churn == risk }.keys), "\(risk)")
            }
            let tier = scores.values.first!.tier, segment = scores.values.first!.segment
            let both = try await Self.all(env, "value_tier=\(tier)&rfm_segment=\(segment)&sort=-clv")
            #expect(both == byCLV.filter { scores[$0]!.tier == tier && scores[$0]!.segment == segment } && !both.isEmpty)
            let cls = scores.values.first!.cls
            #expect(Set(try await Self.all(env, "class=\(cls)")) == Set(scores.filter { $0.value.cls == cls }.keys))
            // a value no score takes, an injection string, a bad sort or cursor: refused with the field named
            for bad in ["churn_risk=severe", "rfm_segment=%27%20OR%201%3D1%20--", "class=%E9%A1%B6%E7%BA%A7", "sort=-clv_12m", "value_tier=a"] {
                let r = try await env.get("/api/v1/customers?\(bad)", as: .admin)
                #expect(r.status == .unprocessableContent, "\(bad): \(r.text)")
            }
            #expect(try await env.get("/api/v1/customers?sort=-p_alive&cursor=WyJ4IiwiYSJd", as: .admin).status == .unprocessableContent)
            // roles that may read customers but not analytics may neither filter nor sort by scores
            for who: Auth in [.readOnly, .a] {
                #expect(try await env.get("/api/v1/customers?churn_risk=high", as: who).status == .forbidden)
                #expect(try await env.get("/api/v1/customers?sort=-clv", as: who).status == .forbidden)
                #expect(try await env.get("/api/v1/customers", as: who).status == .ok)
            }
            // another workspace has no scores: its lists by score are empty
            #expect(try await env.get("/api/v1/customers?sort=-clv", as: .b).json["items"].array.isEmpty)
            #expect(try await env.get("/api/v1/customers?churn_risk=\(scores.values.first!.churn)", as: .b).json["items"].array.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func theCustomerETagFollowsTheScoresAndIfMatchStillNamesTheVersion(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let admin = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .admin)
            let csv = "customer_external_id,placed_at,amount\n李雷,2026-01-05,100\n李雷,2026-02-05,120\n韩梅梅,2026-03-01,80\n"
            _ = try await env.services.orderHistory.run(admin, data: Data(csv.utf8))
            let id = try #require(try await env.services.db.read { sql in
                try await sql.raw("SELECT customer_id FROM customer_identities WHERE value = 'import:李雷'").first()?.decode(column: "customer_id", as: String.self)
            })
            let before = try #require(try await env.get("/api/v1/customers/\(id)", as: .admin).header("ETag"))
            _ = try await env.services.scores.run(admin, asOf: "2026-03-31", period: "week")
            let first = try #require(try await env.get("/api/v1/customers/\(id)", as: .admin).header("ETag"))
            _ = try await env.services.scores.run(admin, asOf: "2026-09-30", period: "week", full: true)
            let second = try #require(try await env.get("/api/v1/customers/\(id)", as: .admin).header("ETag"))
            #expect(before != first && first != second, "\(before) \(first) \(second)")
            // the same answer, the same tag; a reader without analytics gets the version alone
            #expect(try await env.get("/api/v1/customers/\(id)", as: .admin).header("ETag") == second)
            #expect(try await env.get("/api/v1/customers/\(id)", as: .readOnly).header("ETag") == before)
            // an update naming the tag with the scores' digest is an update of that version; a stale one is refused
            let ok = try await env.send(.patch, "/api/v1/customers/\(id)", as: .admin, json: #"{"title":"采购经理"}"#, headers: ["If-Match": second])
            #expect(ok.status == .ok, "\(ok.text)")
            let stale = try await env.send(.patch, "/api/v1/customers/\(id)", as: .admin, json: #"{"title":"经理"}"#, headers: ["If-Match": second])
            #expect(stale.status == .preconditionFailed)
        }
    }

    @Test(arguments: Backend.all) func exportAndSavedViewsCarryTheScores(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let scores = try await Self.scored(env)
            let risk = scores.values.first!.churn
            // the export takes the same filters and adds the scores for analytics readers
            let export = try await env.get("/api/v1/exports/customers.csv?churn_risk=\(risk)", as: .admin)
            #expect(export.status == .ok)
            let lines = export.text.split(whereSeparator: \.isNewline)
            #expect(lines.first?.hasSuffix("score_rfm_segment,score_churn_risk,score_value_tier,score_class,score_clv_12m,score_p_alive,score_expected_purchases_90d") == true)
            #expect(lines.count - 1 == scores.values.filter { $0.churn == risk }.count)
            #expect(lines.dropFirst().allSatisfy { $0.contains(",\(risk),") })
            // the customer list page: score filters and the order for an administrator, kept in a saved view
            let signed = try await env.send(.post, "/sign-in", as: .none, body: Data("email=admin-a%40example.com&password=password-admin&next=%2Fcustomers".utf8),
                                            contentType: "application/x-www-form-urlencoded")
            let cookie = try #require(signed.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let page = try await env.send(.get, "/customers?churn_risk=\(risk)&sort=-clv", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(page.status == .ok && page.text.contains("name=\"churn_risk\"") && page.text.contains("12 个月价值从高到低"))
            let shown = page.text.matches(of: /name="ids" value="([0-9a-f-]+)"/).map { String($0.output.1) }
            #expect(shown == scores.keys.filter { scores[$0]!.churn == risk }.sorted { (scores[$0]!.clv, $0) > (scores[$1]!.clv, $1) })
            #expect(page.text.contains("/api/v1/exports/customers.csv?churn_risk=\(risk)"))
            let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.output.1) })
            let saved = try await env.send(.post, "/customers/views", as: .none,
                                           body: Data("_csrf=\(q(csrf))&name=\(q("高风险 🚨"))&query=\(q("churn_risk=\(risk)&sort=-clv&cursor=x"))".utf8),
                                           contentType: "application/x-www-form-urlencoded", headers: ["Cookie": cookie])
            #expect(saved.status == .seeOther)
            let stored = try await env.services.db.read { sql in
                try await sql.raw("SELECT query FROM saved_views WHERE name = '高风险 🚨'").first()?.decode(column: "query", as: String.self)
            }
            #expect(stored == "churn_risk=\(risk)&sort=-clv")
            // a reader without analytics sees no score filters, and a typed one is not applied
            let viewerSigned = try await env.send(.post, "/sign-in", as: .none, body: Data("email=viewer-a%40example.com&password=password-read_only&next=%2Fcustomers".utf8),
                                                  contentType: "application/x-www-form-urlencoded")
            let viewer = try #require(viewerSigned.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let plain = try await env.send(.get, "/customers?churn_risk=\(risk)&sort=-clv", as: .none, headers: ["Cookie": viewer])
            #expect(plain.status == .ok && !plain.text.contains("name=\"churn_risk\"") && !plain.text.contains("name=\"sort\""))
            #expect(plain.text.matches(of: /name="ids" value="/).count == 30)
        }
    }
}
