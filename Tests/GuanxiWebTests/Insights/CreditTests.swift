import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("Credit control: limits and terms, held orders and their release, the credit report; on SQLite and PostgreSQL")
struct CreditTests {
    @Test func theRulesArePure() throws {
        let terms = CreditTerms(limit: 100_000, currency: "CNY", termsDays: 30)
        #expect(CreditRules.hold(terms, exposure: 60_000, amount: 40_000, currency: "CNY") == nil)
        let held = try #require(CreditRules.hold(terms, exposure: 60_000, amount: 40_001, currency: "CNY"))
        #expect(held.key == "exceeds the credit limit: {0} owed with this order, limit {1} {2}" && held.arguments == ["1000.01", "1000.00", "CNY"])
        // no limit, another currency: nothing to hold
        #expect(CreditRules.hold(CreditTerms(limit: nil, currency: "CNY", termsDays: 30), exposure: .max, amount: 1, currency: "CNY") == nil)
        #expect(CreditRules.hold(terms, exposure: 0, amount: 10_000_000, currency: "USD") == nil)
        // the largest amounts do not overflow
        #expect(CreditRules.hold(terms, exposure: .max, amount: .max, currency: "CNY") != nil)
        #expect(CreditRules.dso(receivable: 50_000, sales: 150_000) == 30 && CreditRules.dso(receivable: 1, sales: 0) == nil)
        #expect(CreditRules.paymentScore(daysLate: [], overdue: []) == nil && CreditRules.paymentScore(daysLate: [-3, 0], overdue: []) == 100)
        #expect(CreditRules.paymentScore(daysLate: [10], overdue: [60]) == 40)
        #expect(throws: DomainError.self) { try CreditRules.validate(CreditTerms(limit: -1, currency: "CNY", termsDays: 30)) }
        #expect(throws: DomainError.self) { try CreditRules.validate(CreditTerms(limit: 1, currency: "人民币", termsDays: 30)) }
        #expect(throws: DomainError.self) { try CreditRules.validate(CreditTerms(limit: 1, currency: "CNY", termsDays: 366)) }
        // a held order does not ship; it may still be paid
        let s = OrderState(status: .paid, total: 100, netPaid: 100, hasPlan: false, anythingShipped: false, held: true)
        #expect(throws: DomainError.self) { try OrderRules.check(.ship, s) }
        #expect(throws: Never.self) { try OrderRules.check(.refund, s) }
    }

    @Test(arguments: Backend.all) func anOrderPastTheLimitIsHeldUntilReleased(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let customer = try await env.createCustomer(name: "赊账客户 🍵", as: .admin)
            let uri = "/api/v1/customers/\(customer)/credit"
            // roles without the right, another workspace, bad terms: refused
            let body = #"{"limit":100000,"currency":"CNY","terms_days":30}"#
            #expect(try await env.send(.put, uri, as: .readOnly, json: body).status == .forbidden)
            #expect(try await env.send(.put, uri, as: .a, json: body).status == .forbidden)
            #expect(try await env.send(.put, uri, as: .b, json: body).status == .notFound)
            for bad in [#"{"limit":-1,"terms_days":30}"#, #"{"limit":1,"currency":"人民币","terms_days":30}"#, #"{"limit":1,"terms_days":400}"#,
                        #"{"limit":"' OR 1=1 --","terms_days":30}"#, #"{"terms_days":"三十"}"#] {
                let r = try await env.send(.put, uri, as: .admin, json: bad)
                #expect([400, 422].contains(Int(r.status.code)), "\(bad): \(r.status)")
            }
            // the limit is set, then changed only by naming its version
            let set = try await env.send(.put, uri, as: .admin, json: body)
            #expect(set.status == .ok && set.json["limit"].int == 100_000 && set.json["available"].int == 100_000, "\(set.text)")
            let tag = try #require(set.header("ETag"))
            #expect(try await env.send(.put, uri, as: .admin, json: body, headers: ["If-Match": "\"7\""]).status == .preconditionFailed)
            #expect(try await env.send(.put, uri, as: .admin, json: body, headers: ["If-Match": tag]).status == .ok)
            #expect(try await env.get(uri, as: .readOnly).status == .forbidden)
            #expect(try await env.get(uri, as: .admin).json["terms_days"].int == 30)

            // within the limit: placed as usual; past it: held, with the reason
            func order(_ amount: Int) async throws -> Reply {
                try await env.send(.post, "/api/v1/orders", as: .admin,
                                   json: #"{"customer_id":"\#(customer)","lines":[{"name":"茶具","quantity":1,"unit_price":\#(amount),"tax_rate":0}]}"#)
            }
            let fits = try await order(60_000)
            #expect(fits.status == .created && fits.json["credit_hold"].isNull, "\(fits.text)")
            let over = try await order(50_000)
            #expect(over.status == .created && over.json["credit_hold"].string?.contains("exceeds the credit limit") == true, "\(over.text)")
            let held = try #require(over.json["id"].string)
            let account = try await env.get(uri, as: .admin).json
            #expect(account["exposure"].int == 110_000 && account["available"].int == 0 && account["held_orders"].array.map(\.string) == [held])
            // paid, it still does not ship until released
            #expect(try await env.send(.post, "/api/v1/orders/\(held)/payments", as: .admin, json: #"{"amount":50000}"#).status == .ok)
            let blocked = try await env.send(.post, "/api/v1/orders/\(held)/shipments", as: .admin, json: #"{"carrier":"顺丰速运"}"#)
            #expect(blocked.status == .conflict && blocked.text.contains("held for credit approval"))
            // a role without the credit right may not release it; an administrator may, once
            #expect(try await env.send(.post, "/api/v1/orders/\(held)/credit-release", as: .a, json: "{}").status == .forbidden)
            #expect(try await env.send(.post, "/api/v1/orders/\(held)/credit-release", as: .b, json: "{}").status == .notFound)
            let released = try await env.send(.post, "/api/v1/orders/\(held)/credit-release", as: .admin, json: #"{"note":"老客户，同意 <b>赊销</b>"}"#)
            #expect(released.status == .ok && released.json["credit_hold"].isNull)
            #expect(try await env.send(.post, "/api/v1/orders/\(held)/credit-release", as: .admin, json: "{}").status == .conflict)
            #expect(try await env.send(.post, "/api/v1/orders/\(held)/shipments", as: .admin, json: #"{"carrier":"顺丰速运"}"#).status == .ok)
            // the hold and the release are in the audit log with their reasons
            let admin = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .admin)
            let audit = try await env.services.audit.list(admin, objectID: held, limit: 50).items
            #expect(audit.contains { $0.action == "credit_hold" } && audit.contains { $0.action == "credit_release" && ($0.detail.map { JSONCoding.encode($0) } ?? "").contains("老客户") })
            // the report lists the customer with what they owe
            let report = try await env.get("/api/v1/credit/report", as: .admin)
            let row = try #require(report.json["items"].array.first { $0["customer_id"].string == customer })
            #expect(row["name"].string == "赊账客户 🍵" && row["exposure"].int == 60_000)
            #expect(try await env.get("/api/v1/credit/report", as: .a).status == .forbidden)
            #expect(try await env.get("/api/v1/credit/report", as: .b).json["items"].array.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func thePagesShowTheHoldAndKeepWhatWasTyped(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let admin = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .admin)
            let customer = try await env.createCustomer(name: "信用客户", as: .admin)
            _ = try await env.services.credit.setTerms(admin, customerID: customer, CreditTerms(limit: 10_000, currency: "CNY", termsDays: 30), ifVersion: nil)
            var d = OrderDraft(); d.customerID = customer
            d.lines = [LineDraft(name: "茶叶", quantity: 1, unitPrice: 20_000, discount: Percent(basisPoints: 0), taxRate: Percent(basisPoints: 0))]
            let (o, _) = try await env.services.orders.create(admin, d)
            #expect(o.creditHold != nil)
            let signed = try await env.send(.post, "/sign-in", as: .none, body: Data("email=admin-a%40example.com&password=password-admin&next=%2F".utf8),
                                            contentType: "application/x-www-form-urlencoded")
            let cookie = try #require(signed.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let page = try await env.send(.get, "/orders/\(o.id)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(page.status == .ok && page.text.contains("待信用审批") && page.text.contains("超出信用额度") && page.text.contains("批准并放行"))
            let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.output.1) })
            let release = try await env.send(.post, "/orders/\(o.id)/credit-release", as: .none, body: Data("_csrf=\(q(csrf))&note=\(q("同意"))".utf8),
                                             contentType: "application/x-www-form-urlencoded", headers: ["Cookie": cookie])
            #expect(release.status == .seeOther)
            #expect(try await env.services.orders.get(admin, id: o.id).creditHold == nil)
            // the customer's credit page: a limit that is not an amount is shown again with its error, as typed
            let form = try await env.send(.post, "/customers/\(customer)/credit", as: .none,
                                          body: Data("_csrf=\(q(csrf))&version=1&limit=\(q("一万"))&currency=CNY&terms_days=45".utf8),
                                          contentType: "application/x-www-form-urlencoded", headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(form.status == .unprocessableContent && form.text.contains("value=\"一万\"") && form.text.contains("value=\"45\""), "\(form.status)")
            let saved = try await env.send(.post, "/customers/\(customer)/credit", as: .none,
                                           body: Data("_csrf=\(q(csrf))&version=1&limit=20000&currency=CNY&terms_days=45".utf8),
                                           contentType: "application/x-www-form-urlencoded", headers: ["Cookie": cookie])
            #expect(saved.status == .seeOther)
            #expect(try await env.services.credit.account(admin, customerID: customer).terms == CreditTerms(limit: 2_000_000, currency: "CNY", termsDays: 45, version: 2))
            // the 360 page and the report show the credit; a read-only user sees neither
            let c360 = try await env.send(.get, "/customers/\(customer)", as: .none, headers: ["Cookie": cookie, "Accept-Language": "en"])
            #expect(c360.text.contains("Credit limit") && c360.text.contains("/customers/\(customer)/credit"))
            let report = try await env.send(.get, "/credit", as: .none, headers: ["Cookie": cookie, "Accept-Language": "zh-CN"])
            #expect(report.status == .ok && report.text.contains("信用客户"))
            let viewerSigned = try await env.send(.post, "/sign-in", as: .none, body: Data("email=viewer-a%40example.com&password=password-read_only&next=%2F".utf8),
                                                  contentType: "application/x-www-form-urlencoded")
            let viewer = try #require(viewerSigned.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            #expect(try await env.send(.get, "/credit", as: .none, headers: ["Cookie": viewer]).status == .forbidden)
            #expect(!(try await env.send(.get, "/customers/\(customer)", as: .none, headers: ["Cookie": viewer]).text.contains("Credit limit")))
        }
    }
}
