import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebService

@Suite("Ticket search, ticket fields and products through the API and the pages")
struct TicketSearchWebTests {
    func post(_ env: WebEnv, _ jar: [String: String], _ path: String, _ body: String) async throws -> Reply {
        try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: jar)
    }

    func page(_ env: WebEnv, _ jar: [String: String], _ path: String, lang: String = "zh-Hans") async throws -> Reply {
        try await env.send(.get, path, as: .none, headers: ["Cookie": jar["Cookie"]! + "; gx_lang=" + lang])
    }

    func ticket(_ env: WebEnv, _ fields: [String: JSONValue], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Reply {
        let r = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json(fields))
        return r
    }

    func subjects(_ r: Reply) -> [String] { r.json["items"].array.compactMap { $0["subject"].string } }

    @Test(arguments: Backend.all) func theAPISearchesWithTheOtherFiltersAndKeepsToTheWorkspace(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let customer = try await env.createCustomer(name: "杭州茶庄")
            let a = try await ticket(env, ["customer_id": str(customer), "subject": str("茶叶罐破损"), "body": str("收到时罐子压扁了")])
            let id = try #require(a.json["id"].string)
            _ = try await ticket(env, ["customer_id": str(customer), "subject": str("Invoice title"), "body": str("Please reissue")])
            let reply = try await env.send(.post, "/api/v1/tickets/\(id)/messages", as: .admin, json: #"{"kind":"reply","body":"已补发一罐龙井 Longjing"}"#)
            #expect(reply.status == .created || reply.status == .ok, "\(reply.text)")
            try await env.services.tickets.indexSearch()   // as the server's search service does after the writes
            #expect(subjects(try await env.get("/api/v1/tickets?q=\(q("龙井"))", as: .admin)) == ["茶叶罐破损"])
            #expect(subjects(try await env.get("/api/v1/tickets?q=\(q("罐"))", as: .admin)) == ["茶叶罐破损"])
            #expect(subjects(try await env.get("/api/v1/tickets?q=longj", as: .admin)) == ["茶叶罐破损"])
            #expect(subjects(try await env.get("/api/v1/tickets?q=REISSUE", as: .admin)) == ["Invoice title"])
            #expect(subjects(try await env.get("/api/v1/tickets?q=\(q("压扁"))&status=new", as: .admin)).isEmpty)   // answered: open now
            #expect(subjects(try await env.get("/api/v1/tickets?q=\(q("压扁"))&status=open&queue=all", as: .admin)) == ["茶叶罐破损"])
            // typed syntax is text; workspace B finds nothing of A's
            for raw in ["\" OR 1=1 --", "a* NEAR(", "'; DROP TABLE tickets; --", "%_%"] {
                let r = try await env.get("/api/v1/tickets?q=\(q(raw))", as: .admin)
                #expect(r.status == .ok && subjects(r).isEmpty, "\(raw): \(r.text)")
            }
            #expect(subjects(try await env.get("/api/v1/tickets?q=\(q("龙井"))", as: .b)).isEmpty)
            #expect(try await env.get("/api/v1/tickets?q=\(q(String(repeating: "茶", count: 3_000)))", as: .admin).status == .ok)
        }
    }

    @Test(arguments: Backend.all) func ticketFieldsAndProductAreCheckedFieldByFieldAndShownInTheJSON(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let customer = try await env.createCustomer(name: "Ellen 陈")
            let field = try await env.send(.post, "/api/v1/custom-fields", as: .admin,
                                           json: #"{"key":"serial","label":"序列号","type":"text","required":true,"applies_to":"tickets"}"#)
            #expect(field.status == .created && field.json["applies_to"].string == "tickets", "\(field.text)")
            _ = try await env.send(.post, "/api/v1/custom-fields", as: .admin, json: #"{"key":"cause","label":"原因","type":"select","options":["质量","物流"],"applies_to":"tickets"}"#)
            #expect(try await env.get("/api/v1/custom-fields", as: .admin).json["items"].array.map { $0["applies_to"].string } == ["tickets", "tickets"])
            let product = try await env.send(.post, "/api/v1/products", as: .admin, json: #"{"sku":"TEA-9","name":"龙井 250g","currency":"CNY"}"#)
            let productID = try #require(product.json["id"].string, "\(product.text)")
            let foreign = try await env.send(.post, "/api/v1/products", as: .b, json: #"{"sku":"TEA-9","name":"别家的茶","currency":"CNY"}"#)
            let foreignID = try #require(foreign.json["id"].string, "\(foreign.text)")
            // every bad field at once, each named
            let bad = try await ticket(env, ["customer_id": str(customer), "subject": str("罐子漏气"), "body": str("盖子合不上"),
                                             "product_id": str(foreignID), "custom": .object(["cause": str("天气"), "nope": str("x")])])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json["error"]["fields"].keys == ["custom.serial", "custom.cause", "custom.nope", "product_id"], "\(bad.text)")
            let made = try await ticket(env, ["customer_id": str(customer), "subject": str("罐子漏气"), "body": str("盖子合不上"),
                                              "product_id": str(productID), "custom": .object(["serial": str("SN-1 🔧"), "cause": str("质量")])])
            #expect(made.status == .created, "\(made.text)")
            #expect(made.json["product_id"].string == productID && made.json["custom"]["serial"].string == "SN-1 🔧", "\(made.text)")
            let id = try #require(made.json["id"].string)
            // a change takes If-Match and is checked the same way
            let wrong = try await env.send(.patch, "/api/v1/tickets/\(id)", as: .admin, json: #"{"custom":{"cause":"天气"}}"#, headers: ["If-Match": "\"1\""])
            #expect(wrong.status == .unprocessableContent && wrong.json["error"]["fields"].keys == ["custom.cause"], "\(wrong.text)")
            let cleared = try await env.send(.patch, "/api/v1/tickets/\(id)", as: .admin, json: #"{"product_id":null,"custom":{"cause":"物流"}}"#,
                                             headers: ["If-Match": "\"1\""])
            #expect(cleared.status == .ok && cleared.json["product_id"].isNull && cleared.json["custom"]["cause"].string == "物流", "\(cleared.text)")
            let stale = try await env.send(.patch, "/api/v1/tickets/\(id)", as: .admin, json: #"{"custom":{"cause":"质量"}}"#, headers: ["If-Match": "\"1\""])
            #expect(stale.status == .preconditionFailed)
            let foreignPatch = try await env.send(.patch, "/api/v1/tickets/\(id)", as: .admin, json: #"{"product_id":"\#(foreignID)"}"#,
                                                  headers: ["If-Match": "\"2\""])
            #expect(foreignPatch.status == .unprocessableContent && foreignPatch.json["error"]["fields"].keys == ["product_id"], "\(foreignPatch.text)")
        }
    }

    @Test(arguments: Backend.all) func thePagesSearchAndEditTheFieldsInTheUsersLanguage(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let customer = try await env.createCustomer(name: "杭州茶庄")
            // a ticket field is defined in the settings, as customers' are
            let defined = try await post(env, admin, "/settings/fields/create", "_csrf=\(csrf)&key=units&label=\(q("数量"))&type=number&applies_to=tickets")
            #expect(defined.status == .seeOther, "\(defined.text)")
            let settings = try await page(env, admin, "/settings/fields")
            #expect(settings.text.contains("name=\"applies_to\"") && settings.text.contains("<td>工单</td>"), "\(settings.text)")
            let product = try await env.send(.post, "/api/v1/products", as: .admin, json: #"{"sku":"TEA-9","name":"龙井 250g","currency":"CNY"}"#)
            let productID = try #require(product.json["id"].string)
            let made = try await ticket(env, ["customer_id": str(customer), "subject": str("茶叶罐破损"), "body": str("罐子压扁了")])
            let id = try #require(made.json["id"].string)
            _ = try await ticket(env, ["customer_id": str(customer), "subject": str("开发票"), "body": str("抬头写错")])
            try await env.services.tickets.indexSearch()
            // the search box keeps what was typed and the other filters
            let found = try await page(env, admin, "/tickets?queue=all&status=new&q=\(q("压扁"))")
            #expect(found.status == .ok && found.text.contains("茶叶罐破损") && !found.text.contains("开发票"))
            #expect(found.text.contains("name=\"q\" value=\"压扁\"") && found.text.contains("value=\"new\" selected"))
            #expect(found.text.contains("href=\"/tickets?queue=mine&amp;q=%E5%8E%8B%E6%89%81\"") || found.text.contains("queue=mine&q=%E5%8E%8B%E6%89%81"))
            #expect(try await page(env, admin, "/tickets?q=\(q("\" OR 1=1 --"))").text.contains("没有符合条件的工单"))
            #expect(try await page(env, admin, "/tickets?q=x", lang: "en").text.contains("placeholder=\"Words of the subject or conversation\""))
            // a bad value comes back beside its field with what was typed; a good one is shown with the product
            let bad = try await post(env, admin, "/tickets/\(id)/fields", "_csrf=\(csrf)&version=1&product_id=\(productID)&custom.units=\(q("很多"))")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("须为整数") && bad.text.contains("value=\"很多\""), "\(bad.text)")
            let good = try await post(env, admin, "/tickets/\(id)/fields", "_csrf=\(csrf)&version=1&product_id=\(productID)&custom.units=3")
            #expect(good.status == .seeOther)
            let shown = try await page(env, admin, "/tickets/\(id)")
            #expect(shown.text.contains("TEA-9 龙井 250g") && shown.text.contains("<dt>数量</dt><dd>3</dd>"))
            // the new-ticket form offers the product and the field, and names a bad field in the user's language
            let form = try await page(env, admin, "/tickets/new?customer_id=\(customer)", lang: "zh-Hant")
            #expect(form.text.contains("name=\"product_id\"") && form.text.contains("name=\"custom.units\"") && form.text.contains("產品"))
            let refused = try await post(env, admin, "/tickets/new",
                                         "_csrf=\(csrf)&customer_id=\(customer)&subject=\(q("新的"))&body=\(q("内容"))&custom.units=x")
            #expect(refused.status == .unprocessableContent && refused.text.contains("name=\"custom.units\" type=\"text\" value=\"x\""))
        }
    }
}
