import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebService

@Suite("Product issues through the API and pages: figures, links, push as a signed webhook, the tracker's status back, fix notices")
struct ProductIssueWebTests {
    func ticket(_ env: WebEnv, customer: String, subject: String, type: String = "defect", as auth: Auth = .admin) async throws -> String {
        let r = try await env.send(.post, "/api/v1/tickets", as: auth, json: json([
            "customer_id": str(customer), "subject": str(subject), "body": str("收到时就这样 😢"), "type": str(type)]))
        #expect(r.status == .created, "\(r.text)")
        return r.json["id"].string ?? ""
    }

    @Test(arguments: Backend.all)
    func anIssueIsMadeLinkedChangedWithIfMatchAndKeptToItsWorkspace(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let wang = try await env.createCustomer(name: "王芳"), li = try await env.createCustomer(name: "李雷")
            let t1 = try await ticket(env, customer: wang, subject: "密封圈漏气"), t2 = try await ticket(env, customer: li, subject: "罐子漏气")
            let inquiry = try await ticket(env, customer: li, subject: "请问发货时间", type: "inquiry")
            // given an issue made from a ticket, with a title of markup, Chinese and emoji
            let title = "<b>密封圈</b>漏气 😢 '; DROP TABLE product_issues; --"
            let made = try await env.send(.post, "/api/v1/service/product-issues", as: .admin, json: json(["title": str(title), "ticket_id": str(t1)]))
            #expect(made.status == .created && made.header("ETag") == "\"1\"", "\(made.text)")
            let id = try #require(made.json["id"].string)
            #expect(made.json["title"].string == title && made.json["status"].string == "open" && made.json["figures"]["customers"].int == 1)
            // when the other tickets are linked (any type may be)
            for t in [t2, inquiry] {
                let r = try await env.send(.post, "/api/v1/service/product-issues/\(id)/tickets", as: .admin, json: json(["ticket_id": str(t)]))
                #expect(r.status == .ok, "\(r.text)")
            }
            // then the issue counts two customers, three tickets, and lists them
            let got = try await env.get("/api/v1/service/product-issues/\(id)", as: .admin)
            #expect(got.json["figures"]["customers"].int == 2 && got.json["figures"]["tickets"].int == 3)
            #expect(got.json["figures"]["revenue"].array.first?["minor"].int == nil)
            #expect(Set(try await env.get("/api/v1/service/product-issues/\(id)/tickets", as: .admin).json["items"].array.compactMap { $0["id"].string }) == [t1, t2, inquiry])
            #expect(try await env.get("/api/v1/service/product-issues?sort=revenue", as: .admin).json["items"].array.map { $0["id"].string } == [id])
            #expect(try await env.get("/api/v1/service/product-issues?sort=size", as: .admin).status == .unprocessableContent)
            // when it is changed with its ETag, then with the old one
            let patched = try await env.send(.patch, "/api/v1/service/product-issues/\(id)", as: .admin, json: #"{"status":"planned","external_url":"https://tracker.example.cn/P-1"}"#,
                                             headers: ["If-Match": "\"1\""])
            #expect(patched.status == .ok && patched.json["version"].int == 2 && patched.header("ETag") == "\"2\"", "\(patched.text)")
            let stale = try await env.send(.patch, "/api/v1/service/product-issues/\(id)", as: .admin, json: #"{"status":"fixed"}"#, headers: ["If-Match": "\"1\""])
            #expect(stale.status == .preconditionFailed)
            // bad fields are named at once
            let bad = try await env.send(.patch, "/api/v1/service/product-issues/\(id)", as: .admin,
                                         json: json(["title": str(""), "status": str("done"), "external_url": str("javascript:alert(1)")]))
            #expect(bad.status == .unprocessableContent && bad.text.contains("title") && bad.text.contains("status") && bad.text.contains("external_url"))
            let huge = try await env.send(.post, "/api/v1/service/product-issues", as: .admin, json: json(["title": str(String(repeating: "长", count: 201))]))
            #expect(huge.status == .unprocessableContent)
            // malformed bodies and ids are refused before anything changes
            let link = "/api/v1/service/product-issues/\(id)/tickets"
            #expect(try await env.send(.post, link, as: .admin, json: #"{"ticket_id": 5}"#).status == .unprocessableContent)
            #expect(try await env.send(.post, link, as: .admin, json: #"{"ticket_id": "#).status == .badRequest)
            #expect(try await env.send(.post, link, as: .admin, json: json(["ticket_id": str("x' OR 1=1 --")])).status == .notFound)
            #expect(try await env.send(.post, "/api/v1/service/product-issues/\(id)/notify", as: .admin, json: "[]").status == .badRequest)
            #expect(try await env.get("/api/v1/service/product-issues/not-an-id", as: .admin).status == .notFound)
            // another workspace sees nothing of it, and cannot link its tickets to it
            #expect(try await env.get("/api/v1/service/product-issues/\(id)", as: .b).status == .notFound)
            #expect(try await env.get("/api/v1/service/product-issues", as: .b).json["items"].array.isEmpty)
            let bCustomer = try await env.createCustomer(name: "外人", as: .b)
            let bTicket = try await ticket(env, customer: bCustomer, subject: "漏气", as: .b)
            #expect(try await env.send(.post, "/api/v1/service/product-issues/\(id)/tickets", as: .admin, json: json(["ticket_id": str(bTicket)])).status == .notFound)
            #expect(try await env.send(.post, "/api/v1/service/product-issues/\(id)/tickets", as: .b, json: json(["ticket_id": str(bTicket)])).status == .notFound)
            // the read-only user reads but changes nothing; unlinking takes a ticket out
            #expect(try await env.get("/api/v1/service/product-issues/\(id)", as: .readOnly).status == .ok)
            #expect(try await env.send(.post, "/api/v1/service/product-issues/\(id)/push", as: .readOnly).status == .forbidden)
            #expect(try await env.send(.delete, "/api/v1/service/product-issues/\(id)/tickets/\(inquiry)", as: .admin).status == .noContent)
            #expect(try await env.send(.delete, "/api/v1/service/product-issues/\(id)/tickets/\(inquiry)", as: .admin).status == .notFound)
        }
    }

    @Test(arguments: Backend.all)
    func aPushReachesTheTrackerSignedAndItsStatusComesBackOnceWithAnIntegrationToken(_ backend: Backend) async throws {
        try await WebhookBench.run(backend, answer: { _, _ in .status(200) }) { b in
            let env = b.env
            let (_, secret) = try await b.subscribe(["product_issue.*"])
            let wang = try await env.createCustomer(name: "王芳 😀")
            let t = try await ticket(env, customer: wang, subject: "密封圈漏气")
            let id = try #require(try await env.send(.post, "/api/v1/service/product-issues", as: .admin,
                                                     json: json(["title": str("密封圈漏气"), "ticket_id": str(t)])).json["id"].string)
            // when the issue is pushed
            let pushed = try await env.send(.post, "/api/v1/service/product-issues/\(id)/push", as: .admin)
            #expect(pushed.status == .ok && pushed.json["pushed_at"].string != nil, "\(pushed.text)")
            #expect(try await b.sender.runOnce() == [.delivered])
            // then the tracker gets product_issue.pushed, signed, with the issue and its figures over the whole workspace
            let r = try #require(b.receiver.received.first)
            #expect(Verify.isSigned(r, with: secret) && r.type == "product_issue.pushed")
            #expect(r.json["data"]["id"].string == id && r.json["data"]["title"].string == "密封圈漏气" && r.json["data"]["figures"]["customers"].int == 1)

            // given an integration token that may update tickets, and one that may only read them
            let access = env.services.access
            let admin = try #require(try await access.members(Scope(workspaceID: env.workspaceA.id, userID: nil, role: .owner)).first { $0.email == "admin-a@example.com" })
            let integration = try await access.createToken(userID: admin.id, workspaceID: env.workspaceA.id, name: "tracker 跟踪", permissions: ["tickets.read", "tickets.update"]).secret
            let readOnly = try await access.createToken(userID: admin.id, workspaceID: env.workspaceA.id, name: "reader", permissions: ["tickets.read"]).secret
            let body = #"{"status":"in_progress","external_ref":"PROD-42","external_url":"https://tracker.example.cn/PROD-42"}"#
            // a token without the permission is refused, and so is another workspace
            #expect(try await env.send(.post, "/api/v1/service/product-issues/\(id)/status", as: .bearer(readOnly), json: body).status == .forbidden)
            #expect(try await env.send(.post, "/api/v1/service/product-issues/\(id)/status", as: .b, json: body).status == .notFound)
            #expect(try await env.send(.post, "/api/v1/service/product-issues/\(id)/status", as: .none, json: body).status == .unauthorized)
            // when the tracker sends the status twice
            let first = try await env.send(.post, "/api/v1/service/product-issues/\(id)/status", as: .bearer(integration), json: body)
            let second = try await env.send(.post, "/api/v1/service/product-issues/\(id)/status", as: .bearer(integration), json: body)
            // then it is set once: same version, one audit entry, one event
            #expect(first.status == .ok && first.json["status"].string == "in_progress" && first.json["external_ref"].string == "PROD-42", "\(first.text)")
            #expect(second.status == .ok && second.json["version"].int == first.json["version"].int)
            let audits = try await env.services.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'tracker_status' AND object_id = \(bind: id)").first()!.decode(column: "n", as: Int.self)
            }
            #expect(audits == 1)
            _ = try await b.sender.runOnce()
            let updates = b.receiver.received.filter { $0.type == "product_issue.updated" }
            #expect(updates.count == 1 && updates.first.map { Verify.isSigned($0, with: secret) } == true)
            #expect(updates.first?.json["changes"]["to"].string == "in_progress" && updates.first?.json["data"]["external_ref"].string == "PROD-42")
            // a token narrowed to tickets.update alone may answer too (without figures it may not read)
            let narrow = try await access.createToken(userID: admin.id, workspaceID: env.workspaceA.id, name: "narrow", permissions: ["tickets.update"]).secret
            let planned = try await env.send(.post, "/api/v1/service/product-issues/\(id)/status", as: .bearer(narrow), json: #"{"status":"planned"}"#)
            #expect(planned.status == .ok && planned.json["status"].string == "planned" && planned.json["figures"]["customers"].int == 0, "\(planned.text)")
            // an unknown status is refused
            #expect(try await env.send(.post, "/api/v1/service/product-issues/\(id)/status", as: .bearer(integration), json: #"{"status":"closed"}"#).status == .unprocessableContent)
        }
    }

    @Test(arguments: Backend.all)
    func theTicketPageSuggestsAnIssueAndTheIssuePageTellsCustomersOnceWhenFixed(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let pages = TicketPageTests()
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let wang = try await env.createCustomer(["kind": str("person"), "name": str("王芳"), "emails": strs(["wang@example.cn"])])["id"].string ?? ""
            let li = try await env.createCustomer(name: "李雷")
            let t1 = try await ticket(env, customer: wang, subject: "茶叶罐密封圈漏气")
            // given a defect ticket's page: no issue yet, a form to make one from it
            var page = try await pages.page(env, admin, "/tickets/\(t1)")
            #expect(page.text.contains("产品问题") && page.text.contains("/tickets/\(t1)/issue_new") && page.text.contains("value=\"茶叶罐密封圈漏气\""))
            // an empty title comes back with the field's error in Chinese
            let empty = try await pages.post(env, admin, "/tickets/\(t1)/issue_new", "_csrf=\(csrf)&issue_form=1&issue_title=")
            #expect(empty.status == .unprocessableContent && empty.text.contains("必填"))
            #expect(try await pages.post(env, admin, "/tickets/\(t1)/issue_new", "_csrf=\(csrf)&issue_form=1&issue_title=\(q("密封圈漏气 <i>"))").status == .seeOther)
            let issue = try #require(try await env.get("/api/v1/service/product-issues", as: .admin).json["items"].array.first?["id"].string)
            // when another defect worded differently comes in, its page suggests that issue (not linked by itself)
            let t2 = try await ticket(env, customer: li, subject: "罐子的密封圈好像漏气了")
            page = try await pages.page(env, admin, "/tickets/\(t2)")
            #expect(page.text.contains("建议归入") && page.text.contains("密封圈漏气 &lt;i&gt;") && page.text.contains("<option value=\"\(issue)\" selected>"))
            #expect(try await env.get("/api/v1/service/product-issues/\(issue)", as: .admin).json["figures"]["tickets"].int == 1)
            let suggested = try await env.get("/api/v1/tickets/\(t2)/product-issues", as: .admin)
            #expect(suggested.json["suggestion"]["id"].string == issue && suggested.json["linked"].array.isEmpty)
            #expect(try await env.get("/api/v1/tickets/\(t1)/product-issues", as: .admin).json["linked"][0]["id"].string == issue)
            #expect(try await env.get("/api/v1/tickets/\(t2)/product-issues", as: .b).status == .notFound)
            // an inquiry gets no panel
            let inquiry = try await ticket(env, customer: li, subject: "密封圈多少钱", type: "inquiry")
            #expect(!(try await pages.page(env, admin, "/tickets/\(inquiry)").text.contains("建议归入")))
            #expect(try await env.get("/api/v1/tickets/\(inquiry)/product-issues", as: .admin).json["suggestion"].isNull)
            #expect(try await pages.post(env, admin, "/tickets/\(t2)/issue_link", "_csrf=\(csrf)&issue_form=1&issue_id=\(issue)").status == .seeOther)
            // the list ranks it, in three languages
            let list = try await pages.page(env, admin, "/service/product-issues?sort=revenue")
            #expect(list.status == .ok && list.text.contains("密封圈漏气 &lt;i&gt;") && list.text.contains("按客户营收"))
            #expect(try await pages.page(env, admin, "/service/product-issues", lang: "en").text.contains("Product issues"))
            #expect(try await pages.page(env, admin, "/service/product-issues", lang: "zh-Hant").text.contains("產品問題"))
            // the issue page lists the tickets; not fixed yet: no notice form
            page = try await pages.page(env, admin, "/service/product-issues/\(issue)")
            #expect(page.text.contains("王芳") && page.text.contains("李雷") && !page.text.contains("/notify"))
            // a stale save comes back with what was typed
            let stale = try await pages.post(env, admin, "/service/product-issues/\(issue)/save", "_csrf=\(csrf)&version=9&title=\(q("新标题 🫖"))&status=fixed")
            #expect(stale.status == .conflict && stale.text.contains("新标题 🫖"))
            #expect(try await pages.post(env, admin, "/service/product-issues/\(issue)/save", "_csrf=\(csrf)&version=1&title=\(q("密封圈漏气"))&status=fixed").status == .seeOther)
            // when fixed, the page offers to notify the 2 linked customers
            page = try await pages.page(env, admin, "/service/product-issues/\(issue)")
            #expect(page.text.contains("通知 2 位关联客户"))
            let told = try await pages.post(env, admin, "/service/product-issues/\(issue)/notify", "_csrf=\(csrf)&message=")
            #expect(told.status == .ok && told.text.contains("已通知 1 位客户；1 位没有邮箱"))
            // the reply is on 王芳's ticket, in Chinese with an English line
            let messages = try await env.get("/api/v1/tickets/\(t1)/messages", as: .admin).json["items"].array
            #expect(messages.contains { ($0["body"].string ?? "").contains("已经修复") && ($0["body"].string ?? "").contains("has been fixed") })
            // a second notice tells nobody again; the API says so
            let again = try await env.send(.post, "/api/v1/service/product-issues/\(issue)/notify", as: .admin, json: "{}")
            #expect(again.json["notified"].int == 0 && again.json["already_notified"].int == 1 && again.json["skipped_no_email"].int == 1)
            // without CSRF nothing happens
            #expect(try await pages.post(env, admin, "/service/product-issues/\(issue)/push", "").status == .forbidden)
        }
    }
}
