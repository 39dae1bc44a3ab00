import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("The dashboard at /: each role's blocks, each saying its period; on SQLite and PostgreSQL")
struct DashboardTests {
    static func signIn(_ env: WebEnv, _ email: String, _ password: String) async throws -> String {
        let signed = try await env.send(.post, "/sign-in", as: .none, body: Data("email=\(q(email))&password=\(password)&next=%2F".utf8),
                                        contentType: "application/x-www-form-urlencoded")
        #expect(signed.header("Location") == "/")
        return try #require(signed.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
    }

    /// The block `id` of a dashboard page, or nil.
    static func block(_ page: String, _ id: String) -> String? {
        guard let start = page.range(of: "id=\"dash-\(id)\""), let end = page.range(of: "</section>", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.lowerBound..<end.upperBound])
    }

    @Test(arguments: Backend.all) func eachRoleSeesTheBlocksItMayRead(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let admin = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .admin)
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            let f = DateFormatter()
            f.calendar = cal; f.timeZone = cal.timeZone; f.dateFormat = "yyyy-MM-dd"; f.locale = Locale(identifier: "en_US_POSIX")
            let ago = { (days: Int) in f.string(from: cal.date(byAdding: .day, value: -days, to: Date())!) }
            // three customers this year (one bought twice), one who bought once long ago (high churn risk)
            let csv = """
                customer_external_id,placed_at,amount
                张三,\(ago(40)),100
                张三,\(ago(100)),200
                李四,\(ago(50)),300
                王五 🍵,\(ago(60)),50
                老客户,\(ago(500)),9000
                """
            _ = try await env.services.orderHistory.run(admin, data: Data(csv.utf8))
            _ = try await env.services.scores.run(admin, asOf: nil, period: "week")

            // not signed in: sent to sign in, and back to the dashboard after
            let anonymous = try await env.send(.get, "/", as: .none)
            #expect(anonymous.status == .seeOther && anonymous.header("Location")?.contains("sign-in") == true)

            let cookie = try await Self.signIn(env, "admin-a@example.com", "password-admin")
            let page = try await env.send(.get, "/", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(page.status == .ok && page.text.contains("工作台"))
            // the key figures: 4 orders of 3 customers in the last 12 months, one of the three bought again
            let kpis = try #require(Self.block(page.text, "kpis"))
            #expect(kpis.contains("客户平均订单数") && kpis.contains("1.33") && kpis.contains("33.3%") && kpis.contains("最近 12 个月"))
            #expect(kpis.contains("客服首次响应") && kpis.contains("客户满意度") && kpis.contains("最近 30 天"))
            for id in ["revenue", "pipeline", "collections"] {
                let b = try #require(Self.block(page.text, id), "no \(id)")
                #expect(b.contains("class=\"meta\""), "\(id) says no period")
            }
            // a tile says its own period only: in the revenue block, the block's and last month's
            let revenue = try #require(Self.block(page.text, "revenue"))
            #expect(revenue.components(separatedBy: "class=\"meta\"").count - 1 == 2, "\(revenue)")
            let risk = try #require(Self.block(page.text, "at_risk"))
            #expect(risk.contains("老客户") && !risk.contains("李四") && risk.contains("截至"))
            // English
            let english = try await env.send(.get, "/", as: .none, headers: ["Cookie": cookie, "Accept-Language": "en"])
            #expect(english.text.contains("Orders per customer") && english.text.contains("Valuable customers likely to leave"))

            // a read-only user reads orders and deals but not analytics: no customers at risk
            let viewer = try await Self.signIn(env, "viewer-a@example.com", "password-read_only")
            let seen = try await env.send(.get, "/", as: .none, headers: ["Cookie": viewer])
            #expect(seen.status == .ok && Self.block(seen.text, "revenue") != nil && Self.block(seen.text, "at_risk") == nil)
            #expect(!seen.text.contains("老客户"))
            // a sales rep reads only their own orders (and the pool's): once the orders are the administrator's, their figures are empty
            try await env.services.db.write { sql in
                try await sql.raw("UPDATE orders SET owner_id = (SELECT id FROM users WHERE email = 'admin-a@example.com')").run()
            }
            let rep = try await Self.signIn(env, "rep-a@example.com", "password-sales_rep")
            let own = try await env.send(.get, "/", as: .none, headers: ["Cookie": rep, "Accept-Language": "zh-CN"])
            #expect(own.status == .ok && Self.block(own.text, "at_risk") == nil)
            let repKPIs = try #require(Self.block(own.text, "kpis"))
            #expect(!repKPIs.contains("1.33") && repKPIs.contains("—"))
            // another workspace's admin sees none of A's figures
            let other = try await env.services.orders.dashboard(Scope(workspaceID: env.workspaceB.id, userID: nil, role: .admin))
            #expect(other.yearOrders == 0 && other.revenue == 0 && other.owed == [0, 0, 0, 0])
        }
    }
}
