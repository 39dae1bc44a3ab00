import Foundation
import Testing
import GuanxiCore
import GuanxiStore
import GuanxiTestSupport
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebIntegration

@Suite("Webhook API and pages: who may, bad input named by field and nothing stored, other workspaces unseen")
struct WebhookAPITests {
    @Test(arguments: Backend.all)
    func onlyWorkspaceAdministratorsManageEndpointsAndOtherWorkspacesSeeNone(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let body = #"{"url":"https://erp.example.cn/hooks/guanxi","events":["order.*"],"description":"ERP 对接 🚚","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}"#
            // a sales rep and a read-only user may not, even to look
            #expect(try await env.send(.post, "/api/v1/webhooks", as: .a, json: body).status == .forbidden)
            #expect(try await env.send(.get, "/api/v1/webhooks", as: .readOnly).status == .forbidden)
            #expect(try await env.send(.post, "/api/v1/webhooks", as: .none, json: body).status == .unauthorized)
            // the administrator may, with their own secret, which comes back as given
            let made = try await env.send(.post, "/api/v1/webhooks", as: .admin, json: body)
            #expect(made.status == .created && made.header("ETag") == "\"1\"")
            let id = try #require(made.json["id"].string)
            #expect(made.json["secret"].string == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" && made.json["description"].string == "ERP 对接 🚚")
            // a read leaves the secret out
            let read = try await env.get("/api/v1/webhooks/\(id)", as: .admin)
            #expect(read.status == .ok && read.json["secret"].isNull && read.json["events"][0].string == "order.*")
            // another workspace's administrator finds nothing, by list or by id
            #expect(try await env.get("/api/v1/webhooks", as: .b).json["items"].array.isEmpty)
            for (m, path) in [("GET", ""), ("GET", "/deliveries"), ("GET", "/secret"), ("POST", "/rotate-secret"), ("POST", "/replay-dead")] {
                let r = try await env.send(m == "GET" ? .get : .post, "/api/v1/webhooks/\(id)\(path)", as: .b)
                #expect(r.status == .notFound, "\(m) \(path): \(r.status)")
            }
            #expect(try await env.send(.patch, "/api/v1/webhooks/\(id)", as: .b, json: #"{"enabled":false}"#).status == .notFound)
            #expect(try await env.send(.delete, "/api/v1/webhooks/\(id)", as: .b).status == .notFound)
            // a stale If-Match is refused
            #expect(try await env.send(.patch, "/api/v1/webhooks/\(id)", as: .admin, json: #"{"enabled":false}"#,
                                       headers: ["If-Match": "\"7\""]).status == .preconditionFailed)
            let types = try await env.get("/api/v1/webhook-event-types", as: .admin)
            #expect(types.json["items"].array.compactMap(\.string).contains("ticket.status_changed"))
        }
    }

    @Test(arguments: Backend.all)
    func badEndpointsAreRefusedFieldByFieldAndNothingIsStored(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            func post(_ json: String) async throws -> Reply { try await env.send(.post, "/api/v1/webhooks", as: .admin, json: json) }
            let cases: [(String, String)] = [
                (#"{"url":"ftp://erp.example.cn/x","events":["order.paid"]}"#, "url"),
                (#"{"url":"https://user:secret@erp.example.cn/x","events":["order.paid"]}"#, "url"),
                (#"{"url":"erp.example.cn/hook","events":["order.paid"]}"#, "url"),
                (#"{"url":"http:///hook","events":["order.paid"]}"#, "url"),
                (#"{"url":"https://erp.example.cn/x","events":[]}"#, "events"),
                (#"{"url":"https://erp.example.cn/x","events":["订单.已付款"]}"#, "events"),
                (#"{"url":"https://erp.example.cn/x","events":["order.paid"],"secret":"hunter2"}"#, "secret"),
                (#"{"url":"https://erp.example.cn/x","events":["order.paid"],"filters":{"Source!":["shop"]}}"#, "filters"),
                (#"{"url":"https://erp.example.cn/x","events":"order.paid"}"#, "events"),
                (#"{"events":["order.paid"]}"#, "url"),
            ]
            for (json, field) in cases {
                let r = try await post(json)
                #expect(r.status == .unprocessableContent, "\(json): \(r.status) \(r.text)")
                #expect(r.json["error"]["fields"][field].string != nil, "\(json): \(r.text)")
            }
            // every problem at once
            let many = try await post(#"{"url":"gopher://x","events":["nope"],"secret":"x"}"#)
            #expect(many.json["error"]["fields"].keys == ["url", "events", "secret"])
            // not JSON, not an object, too large
            #expect(try await post(#"{"url":"https://erp.example.cn/x","#).status == .badRequest)
            #expect(try await post("[1,2]").status == .badRequest)
            let huge = #"{"url":"https://erp.example.cn/x","events":["order.paid"],"description":""# + String(repeating: "长", count: 400_000) + #""}"#
            #expect(try await post(huge).status == .contentTooLarge)
            // an over-long description is named too
            let long = try await post(#"{"url":"https://erp.example.cn/x","events":["order.paid"],"description":""# + String(repeating: "说", count: 501) + #""}"#)
            #expect(long.json["error"]["fields"]["description"].string != nil)
            // and none of it was kept
            #expect(try await env.get("/api/v1/webhooks", as: .admin).json["items"].array.isEmpty)
            // a good one after all that is fine; an unknown delivery state or cursor is named
            let ok = try await post(#"{"url":"http://127.0.0.1:9/hook","events":["*"]}"#)
            let id = try #require(ok.json["id"].string)
            #expect(try await env.get("/api/v1/webhooks/\(id)/deliveries?state=lost", as: .admin).json["error"]["fields"]["state"].string != nil)
            #expect(try await env.get("/api/v1/webhooks/\(id)/deliveries?cursor=abc", as: .admin).status == .unprocessableContent)
            #expect(try await env.get("/api/v1/webhooks/not-an-id", as: .admin).status == .notFound)
        }
    }

    @Test(arguments: Backend.all)
    func anAdministratorAddsAnEndpointOnTheSettingsPageAndSeesItsDeliveryLog(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (jar, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let zh = jar.merging(["Accept-Language": "zh-CN"]) { a, _ in a }
            func post(_ path: String, _ body: String) async throws -> Reply {
                try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: zh)
            }
            // the list page, in Chinese, offers the form
            let empty = try await env.send(.get, "/webhooks", as: .none, headers: zh)
            #expect(empty.status == .ok && empty.text.contains("还没有端点") && empty.text.contains("order.paid"))
            // a bad address comes back beside its field, what was typed kept
            let bad = try await post("/webhooks/new", "_csrf=\(csrf)&url=\(q("ftp://仓库"))&\(q("event:order.paid"))=1")
            #expect(bad.status == .unprocessableContent && bad.text.contains("须以 http:// 或 https:// 开头") && bad.text.contains("value=\"ftp://仓库\""))
            // a good one shows its secret once
            let made = try await post("/webhooks/new", "_csrf=\(csrf)&url=\(q("http://127.0.0.1:9/仓库"))&description=\(q("仓库 📦"))&\(q("event:customer.created"))=1")
            #expect(made.status == .ok && made.text.contains("whsec_") && made.text.contains("仓库 📦"))
            let hook = try #require(try await WebhookStore(db: env.services.db, clock: env.services.clock)
                .list(Scope(workspaceID: env.workspaceA.id, userID: nil, role: .owner)).first)
            #expect(hook.events == ["customer.created"])
            // a customer created afterwards shows in its delivery log, waiting to be sent
            _ = try await env.createCustomer(name: "王小二")
            let page = try await env.send(.get, "/webhooks/\(hook.id)", as: .none, headers: zh)
            #expect(page.status == .ok && page.text.contains("customer.created") && page.text.contains("等待发送"))
            // rotating shows the new secret and says the old one stays valid
            let rotated = try await post("/webhooks/\(hook.id)/rotate", "_csrf=\(csrf)")
            #expect(rotated.text.contains("旧密钥在 24 小时内仍然有效"))
            // an endpoint for a record's every event shows that box ticked, so saving the form keeps it
            let wide = try await env.send(.post, "/api/v1/webhooks", as: .admin, json: #"{"url":"http://127.0.0.1:9/all","events":["order.*"]}"#)
            let widePage = try await env.send(.get, "/webhooks/\(wide.json["id"].string ?? "")", as: .none, headers: zh)
            #expect(widePage.text.contains(#"name="event:order.*" value="1" checked"#))
            // a sales rep cannot open it
            let (rep, _) = try await PageTests().signIn(env)
            #expect(try await env.send(.get, "/webhooks", as: .none, headers: rep).status == .forbidden)
        }
    }
}
