import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("Insights over HTTP: scoring runs and a customer's scores, by role and workspace")
struct ScoreWebTests {
    @Test(arguments: Backend.all) func scoresAreInTheCustomerAnswerForAnalyticsReadersOnly(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given order history of Chinese-named customers in workspace A
            let admin = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .admin)
            var csv = "customer_external_id,placed_at,amount,product\n"
            for c in 0..<12 { for k in 0...(c % 4) { csv += "王小明-\(c),2026-0\(k + 1)-1\(c % 9),\(100 + c * 7 + k).50,\(["绿茶", "红茶 🍵"][(c + k) % 2])\n" } }
            let imported = try await env.services.orderHistory.run(admin, data: Data(csv.utf8))
            #expect(imported.rejected == 0 && imported.created > 12)
            let id = try #require(try await env.services.db.read { sql in
                try await sql.raw("SELECT customer_id FROM customer_identities WHERE value = 'import:王小明-3'").first()?.decode(column: "customer_id", as: String.self)
            })
            // before a run there are no scores
            #expect(try await env.get("/api/v1/customers/\(id)", as: .admin).json.keys.contains("scores") == false)
            // a role without analytics may not start a run; an administrator may (202, the run at once)
            #expect(try await env.send(.post, "/api/v1/insights/score-runs", as: .readOnly, json: #"{"period":"week"}"#).status == .forbidden)
            #expect(try await env.send(.post, "/api/v1/insights/score-runs", as: .admin, json: #"{"period":"month"}"#).status == .unprocessableContent)
            let started = try await env.send(.post, "/api/v1/insights/score-runs", as: .admin, json: #"{"as_of":"2026-06-30","period":"week"}"#)
            #expect(started.status == .accepted)
            let runID = try #require(started.json["id"].string)
            var status = started.json["status"].string
            for _ in 0..<100 where status == "running" {
                try await Task.sleep(for: .milliseconds(100))
                status = try await env.get("/api/v1/insights/score-runs/\(runID)", as: .admin).json["status"].string
            }
            #expect(status == "done")
            let run = try await env.get("/api/v1/insights/score-runs/\(runID)", as: .admin).json
            #expect(run["customers"].int == 12 && run["as_of"].string == "2026-06-30" && run["model"].string == "bgnbd")
            // then the customer's answer carries the scores for the administrator
            let c = try await env.get("/api/v1/customers/\(id)", as: .admin)
            #expect(c.status == .ok)
            let s = c.json["scores"]
            #expect(s.keys.isSuperset(of: ["rfm_segment", "expected_purchases_90d", "p_alive", "churn_risk", "clv_12m", "value_tier", "class"]))
            #expect(["low", "medium", "high"].contains(s["churn_risk"].string ?? "") && ["A", "B", "C"].contains(s["value_tier"].string ?? ""))
            // and not for a role that may read customers but not analytics
            let viewer = try await env.get("/api/v1/customers/\(id)", as: .readOnly)
            #expect(viewer.status == .ok && !viewer.json.keys.contains("scores"))
            // another workspace sees neither the customer nor the run
            #expect(try await env.get("/api/v1/customers/\(id)", as: .b).status == .notFound)
            #expect(try await env.get("/api/v1/insights/score-runs/\(runID)", as: .readOnly).status == .forbidden)
            // the 360 page explains the scores in the reader's language; the Insights page shows the run and starts one
            let signed = try await env.send(.post, "/sign-in", as: .none, body: Data("email=admin-a%40example.com&password=password-admin&next=%2Fcustomers".utf8),
                                            contentType: "application/x-www-form-urlencoded")
            let cookie = try #require(signed.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let page = try await env.send(.get, "/customers/\(id)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(page.status == .ok && page.text.contains("共购买 4 次") && page.text.contains("仍活跃的可能性"), "\(page.text.prefix(300))")
            let english = try await env.send(.get, "/customers/\(id)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "en"])
            #expect(english.text.contains("Bought 4 times, last "))
            let insights = try await env.send(.get, "/insights", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(insights.status == .ok && insights.text.contains("现在评分") && insights.text.contains("bgnbd"))
            let csrf = try #require(insights.text.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.output.1) })
            let button = try await env.send(.post, "/insights/score-runs", as: .none, body: Data("_csrf=\(q(csrf))".utf8),
                                            contentType: "application/x-www-form-urlencoded", headers: ["Cookie": cookie])
            #expect(button.status == .seeOther && button.header("Location") == "/insights?started=1")
        }
    }
}
