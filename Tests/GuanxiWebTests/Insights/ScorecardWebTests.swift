import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("Scorecards over HTTP: a person's measures against target, who sees which rows, the page and its CSV")
struct ScorecardWebTests {
    @Test(arguments: Backend.all) func aSalespersonSeesTheirOwnRowAndAnAdministratorEveryonesWithTheirTarget(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given the sales rep's order of 300.00, 120.00 of it paid, and a revenue target of 600.00 this month
            let month = String(Dates.day(Date(), timeZone: "Asia/Shanghai").prefix(7))
            let customer = try await env.send(.post, "/api/v1/customers", json: #"{"kind":"person","name":"张三 🍵"}"#)
            #expect(customer.status == .created, "\(customer.text)")
            let cid = try #require(customer.json["id"].string)
            let order = try await env.send(.post, "/api/v1/orders", json: #"{"customer_id":"\#(cid)","lines":[{"name":"龙井","quantity":3,"unit_price":10000}]}"#)
            #expect(order.status == .created, "\(order.text)")
            let oid = try #require(order.json["id"].string)
            #expect(try await env.send(.post, "/api/v1/orders/\(oid)/payments", json: #"{"amount":12000,"method":"支付宝"}"#).status == .ok)
            let rep = try #require(try await env.services.db.read { sql in
                try await sql.raw("SELECT id FROM users WHERE email = 'rep-a@example.com'").first()?.decode(column: "id", as: String.self)
            })
            let target = try await env.send(.put, "/api/v1/targets", as: .admin,
                                            json: #"{"targets":[{"month":"\#(month)","user_id":"\#(rep)","metric":"revenue","amount":{"minor":60000,"currency":"CNY"}}]}"#)
            #expect(target.status == .ok, "\(target.text)")
            // when the administrator reads this month's scorecard
            let all = try await env.get("/api/v1/scorecards?period=\(month)", as: .admin)
            #expect(all.status == .ok, "\(all.text)")
            let row = try #require(all.json["items"].array.first { $0["id"].string == rep })
            // then the rep's financial measures are the order and the payment against the target
            #expect(row["kind"].string == "user" && row["financial"]["revenue"].int == 30000 && row["financial"]["revenue_target"].int == 60000)
            #expect(row["financial"]["revenue_attainment"].value == .number(0.5) && row["financial"]["collections"].int == 12000)
            #expect(row["financial"]["collections_target"].isNull && row["financial"]["collections_attainment"].isNull)
            #expect(row["customer"]["retention"].isNull && row["growth"]["new_customers"].int == 1 && row["growth"]["cross_sell_orders"].int == 0)
            #expect(all.json["items"].array.count > 1 && all.json["period"].string == month && all.json["currency"].string == "CNY")
            // the rep sees their own row only; the other workspace sees none of A's people
            let mine = try await env.get("/api/v1/scorecards?period=\(month)")
            #expect(mine.status == .ok && mine.json["items"].array.map { $0["id"].string } == [rep])
            let other = try await env.get("/api/v1/scorecards?period=\(month)", as: .b)
            #expect(other.status == .ok && !other.json["items"].array.contains { $0["id"].string == rep })
            // a quarter and a year hold the month; a malformed period or team is refused, never a 500
            let year = String(month.prefix(4))
            #expect(try await env.get("/api/v1/scorecards?period=\(year)", as: .admin).json["items"].array.first { $0["id"].string == rep }?["financial"]["revenue"].int == 30000)
            for bad in ["2026-13", "2026-Q5", "x%27%3B%20DROP%20TABLE%20orders", "%E4%BA%8C%E3%80%87"] {
                let r = try await env.get("/api/v1/scorecards?period=\(bad)", as: .admin)
                #expect((400..<500).contains(Int(r.status.code)), "\(bad): \(r.status)")
            }
            #expect((400..<500).contains(Int(try await env.get("/api/v1/scorecards?period=\(month)&team=nobody", as: .admin).status.code)))
            #expect(try await env.get("/api/v1/scorecards?period=\(month)", as: .none).status == .unauthorized)
            // the page in Chinese and its CSV
            let signed = try await env.send(.post, "/sign-in", as: .none, body: Data("email=admin-a%40example.com&password=password-admin&next=%2F".utf8),
                                            contentType: "application/x-www-form-urlencoded")
            let cookie = try #require(signed.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let page = try await env.send(.get, "/insights/scorecards?period=\(month)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(page.status == .ok && page.text.contains("平衡计分卡") && page.text.contains("50%") && !page.text.contains("<script>"), "\(page.status)")
            let csv = try await env.send(.get, "/insights/scorecards.csv?period=\(month)", as: .none, headers: ["Cookie": cookie])
            #expect(csv.status == .ok && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("revenue_attainment") && csv.text.contains("\(rep),") && csv.text.contains(",30000,60000,0.5,12000,"))
            let wrong = try await env.send(.get, "/insights/scorecards?period=2026-13", as: .none, headers: ["Cookie": cookie, "Accept-Language": "en"])
            #expect((400..<500).contains(Int(wrong.status.code)) && wrong.text.contains("is not a period"))
            // the administrator's dashboard links to it
            let dash = try await env.send(.get, "/", as: .none, headers: ["Cookie": cookie, "Accept-Language": "en"])
            #expect(dash.text.contains("/insights/scorecards?period=\(month)") && dash.text.contains("Balanced scorecard"))
        }
    }
}
