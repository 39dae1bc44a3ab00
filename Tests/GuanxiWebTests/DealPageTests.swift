import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

@Suite("Deal pages: opening from the customer, the board, moving, money typed by people")
struct DealPageTests {
    @Test func moneyTypedByPeopleBecomesExactMinorUnits() throws {
        #expect(try Formats.money("1,234.5", currency: "cny") == Money(minor: 123_450, currency: "CNY"))
        #expect(try Formats.money("１２３．５", currency: "USD") == Money(minor: 12_350, currency: "USD"))
        #expect(try Formats.money("100", currency: "JPY") == Money(minor: 100, currency: "JPY"))
        #expect(try Formats.money("", currency: "TWD") == Money(minor: 0, currency: "TWD"))
        for bad in ["1.234", "-5", "abc", "1e5", "99999999999999999999"] {
            #expect(throws: DomainError.field("amount", "must be a number")) { try Formats.money(bad, currency: "CNY") }
        }
        #expect(throws: DomainError.field("amount", "must be a number")) { try Formats.money("100.5", currency: "JPY") }
        #expect(throws: DomainError.field("currency", "must be an ISO 4217 code such as CNY, TWD or USD")) { try Formats.money("1", currency: "元") }
        #expect(Formats.plain(Money(minor: 123_405, currency: "CNY")) == "1234.05" && Formats.plain(Money(minor: 7, currency: "JPY")) == "7")
    }

    @Test(arguments: Backend.all) func aDealIsOpenedFromTheCustomerAndMovedOnTheBoard(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env)
            let customer = try await env.createCustomer(name: "阿里巴巴")
            let page360 = try await env.send(.get, "/customers/\(customer)", as: .none, headers: jar)
            #expect(page360.text.contains("/deals/new?customer_id=\(customer)"))
            func post(_ path: String, _ body: String) async throws -> Reply {
                try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: jar)
            }
            let bad = try await post("/deals/new", "_csrf=\(csrf)&customer_id=\(customer)&name=\(q("云服务"))&amount=12.345&currency=CNY")
            #expect(bad.status == .unprocessableContent && bad.text.contains("须为数字"))
            let ok = try await post("/deals/new", "_csrf=\(csrf)&customer_id=\(customer)&name=\(q("云服务 2027"))&amount=\(q("12,345.67"))&currency=CNY&expected_close=2027-03-01")
            #expect(ok.status == .seeOther)
            let dealPath = try #require(ok.header("Location"))
            let deal = try await env.get("/api/v1" + dealPath).json
            #expect(deal["amount"]["minor"].int == 1_234_567 && deal["amount"]["currency"].string == "CNY")
            // the board shows it in the first stage with the totals, formatted for the language
            let board = try await env.send(.get, "/deals", as: .none, headers: jar)
            #expect(board.text.contains("云服务 2027") && board.text.contains("¥12,345.67") && board.text.contains("¥1,234.57"))   // 10 % weighted
            let en = try await env.send(.get, "/deals", as: .none, headers: jar.merging(["Cookie": jar["Cookie"]! + "; gx_lang=en"]) { _, b in b })
            #expect(en.text.contains("CN¥12,345.67"))
            // moving by the card's own form (what dragging submits) returns to the board
            let stages = try await env.get("/api/v1/pipelines").json["items"].array[0]["stages"].array
            let quote = try #require(stages[2]["id"].string), lost = try #require(stages[5]["id"].string)
            let moved = try await post(dealPath + "/move", "_csrf=\(csrf)&stage_id=\(quote)&version=1&back=%2Fdeals")
            #expect(moved.status == .seeOther && moved.header("Location") == "/deals")
            // losing without a reason stays on the deal and says why
            let noReason = try await post(dealPath + "/move", "_csrf=\(csrf)&stage_id=\(lost)&reason=")
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("<h1>云服务 2027</h1>"))
            // the customer's page lists the deal and its history
            let after = try await env.send(.get, "/customers/\(customer)", as: .none, headers: jar)
            #expect(after.text.contains("云服务 2027") && after.text.contains("商机阶段变更"))
            // another rep cannot open it
            _ = try await env.services.access.createUser(email: "rep-x@example.com", password: "password-repx", name: nil, role: .salesRep,
                                                                 workspaceID: env.workspaceA.id)
            let (otherJar, _) = try await PageTests().signIn(env, email: "rep-x@example.com", password: "password-repx")
            #expect(try await env.send(.get, dealPath, as: .none, headers: otherJar).status == .notFound)
        }
    }
}
