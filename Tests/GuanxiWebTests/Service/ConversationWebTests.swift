import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebService

@Suite("The agent's daily tools over HTTP: canned replies, @mentions in notes, collision notices, bulk changes from the queue")
struct ConversationWebTests {
    /// Monday 2026-10-12 09:00 in Shanghai.
    static let monday9am = Date(timeIntervalSince1970: 1_791_766_800)
    var owner: (WebEnv) -> Scope { { Scope(workspaceID: $0.workspaceA.id, userID: nil, role: .owner) } }

    func member(_ env: WebEnv, _ email: String, _ name: String, _ role: Role = .serviceAgent) async throws -> (id: String, token: String) {
        let u = try await env.services.access.createUser(email: email, password: "password-member", name: name, role: role, workspaceID: env.workspaceA.id)
        return (u.id, try await env.services.access.createToken(userID: u.id, workspaceID: env.workspaceA.id, name: "test").secret)
    }

    func team(_ env: WebEnv, _ name: String, _ members: [String]) async throws -> String {
        try await env.services.access.saveTeam(owner(env), name: name, kind: "service", parentID: nil, managerID: nil, memberIDs: members).id
    }

    func ticket(_ env: WebEnv, _ customer: String, _ subject: String, extra: [String: JSONValue] = [:]) async throws -> J {
        let r = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json([
            "customer_id": str(customer), "subject": str(subject), "body": str("罐子压扁了 😢"), "type": str("complaint"), "channel": str("phone")]
            .merging(extra) { _, b in b }))
        #expect(r.status == .created, "\(r.text)")
        return r.json
    }

    func post(_ env: WebEnv, _ jar: [String: String], _ path: String, _ body: String) async throws -> Reply {
        try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: jar)
    }

    func page(_ env: WebEnv, _ jar: [String: String], _ path: String, lang: String = "zh-Hans") async throws -> Reply {
        try await env.send(.get, path, as: .none, headers: ["Cookie": jar["Cookie"]! + "; gx_lang=" + lang])
    }

    static let bodies: JSONValue = .object([
        "zh-Hans": str("{{customer.name}}您好，工单 {{ticket.number}} 由{{agent.name}}处理，预计 {{sla.resolution_due}} 前解决。"),
        "zh-Hant": str("{{customer.name}}您好，工單 {{ticket.number}} 由{{agent.name}}處理。"),
        "en": str("Dear {{customer.name}}, {{ticket.subject}} ({{ticket.number}}) is with {{agent.name}}."),
    ])

    @Test(arguments: Backend.all) func cannedRepliesAreKeptByAdministratorsAndRenderedForATicket(_ backend: Backend) async throws {
        try await WebEnv.run(backend, clock: ManualClock(Self.monday9am)) { env in
            let body = json(["title": str("破损致歉 😢"), "bodies": Self.bodies, "ticket_type": str("complaint")])
            // when an administrator adds a reply, twice with one Idempotency-Key
            let made = try await env.send(.post, "/api/v1/service/canned-replies", as: .admin, json: body, headers: ["Idempotency-Key": "canned-1"])
            #expect(made.status == .created && made.header("ETag") == "\"1\"", "\(made.text)")
            let again = try await env.send(.post, "/api/v1/service/canned-replies", as: .admin, json: body, headers: ["Idempotency-Key": "canned-1"])
            let id = try #require(made.json["id"].string)
            #expect(again.json["id"].string == id)
            #expect(try await env.get("/api/v1/service/canned-replies", as: .a).json["items"].array.map { $0["id"].string } == [id])
            // then an unknown placeholder is refused naming its language, and nothing is added
            let bad = try await env.send(.post, "/api/v1/service/canned-replies", as: .admin,
                                         json: json(["title": str("x"), "bodies": .object(["zh-Hant": str("{{customer.nmae}}")])]))
            #expect(bad.status == .unprocessableContent && bad.json["error"]["fields"].keys == ["bodies.zh-Hant"], "\(bad.text)")
            #expect(bad.json["error"]["fields"]["bodies.zh-Hant"].string?.contains("customer.nmae") == true)
            // and a sales rep may not add one; workspace B neither sees nor changes it; an old version is refused
            #expect(try await env.send(.post, "/api/v1/service/canned-replies", as: .a, json: body).status == .forbidden)
            #expect(try await env.get("/api/v1/service/canned-replies", as: .b).json["items"].array.isEmpty)
            #expect(try await env.send(.put, "/api/v1/service/canned-replies/\(id)", as: .b, json: body).status == .notFound)
            #expect(try await env.send(.put, "/api/v1/service/canned-replies/\(id)", as: .admin, json: body, headers: ["If-Match": "\"7\""]).status
                    == .preconditionFailed)

            // given a ticket of a customer whose name carries markup
            let customer = try await env.createCustomer(name: "<script>alert(1)</script>茶庄")
            let t = try await ticket(env, customer, "茶叶罐破损")
            let tid = try #require(t["id"].string)
            // when it is rendered in each language: placeholders filled, due time on Shanghai's clock (urgent? normal: 24 h)
            let hans = try await env.get("/api/v1/tickets/\(tid)/canned-replies/\(id)?language=zh-Hans", as: .admin)
            #expect(hans.status == .ok && hans.json["text"].string == "<script>alert(1)</script>茶庄您好，工单 #1 由admin-a处理，预计 2026-10-13 09:00 前解决。",
                    "\(hans.text)")
            #expect(try await env.get("/api/v1/tickets/\(tid)/canned-replies/\(id)?language=zh-Hant", as: .admin).json["text"].string?
                        .hasSuffix("工單 #1 由admin-a處理。") == true)
            #expect(try await env.get("/api/v1/tickets/\(tid)/canned-replies/\(id)?language=en", as: .admin).json["text"].string?
                        .hasSuffix("茶叶罐破损 (#1) is with admin-a.") == true)
            #expect(try await env.get("/api/v1/tickets/\(tid)/canned-replies/\(id)?language=fr", as: .admin).status == .unprocessableContent)
            #expect(try await env.get("/api/v1/tickets/\(tid)/canned-replies/\(id)", as: .b).status == .notFound)

            // when an agent picks it on the ticket page (a GET round trip, no script)
            let (admin, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let shown = try await page(env, admin, "/tickets/\(tid)")
            #expect(shown.text.contains("name=\"canned\"") && shown.text.contains("破损致歉 😢"))
            // then the reply form holds the words in the agent's language, the markup escaped
            let picked = try await page(env, admin, "/tickets/\(tid)?canned=\(id)", lang: "en")
            #expect(picked.text.contains("Dear &lt;script&gt;alert(1)&lt;/script&gt;茶庄, 茶叶罐破损 (#1) is with admin-a.</textarea>"), "\(picked.text.prefix(400))")
            #expect(!picked.text.contains("<script>alert(1)"))
            // and a customer who prefers Traditional Chinese gets those words whatever the agent reads
            #expect(try await env.send(.post, "/api/v1/custom-fields", as: .admin, json: #"{"key":"language","label":"语言","type":"text"}"#).status == .created)
            let patched = try await env.send(.patch, "/api/v1/customers/\(customer)", as: .admin, json: #"{"custom":{"language":"zh-TW"}}"#,
                                             headers: ["If-Match": "\"1\""])
            #expect(patched.status == .ok, "\(patched.text)")
            let theirs = try await page(env, admin, "/tickets/\(tid)?canned=\(id)", lang: "en")
            #expect(try await env.get("/api/v1/customers/\(customer)", as: .admin).json["custom"]["language"].string == "zh-TW")
            #expect(theirs.text.contains("工單 #1 由admin-a處理。</textarea>"), "\(theirs.text.prefix(300))")
        }
    }

    @Test(arguments: Backend.all) func theCannedRepliesPageShowsErrorsBesideTheirLanguage(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            #expect(try await page(env, admin, "/service/canned-replies").text.contains("还没有快捷回复"))
            // when the form is sent with an unknown placeholder in the English words
            let bad = try await post(env, admin, "/service/canned-replies/save",
                                     "_csrf=\(csrf)&title=\(q("发货通知"))&body_zh-Hans=\(q("{{customer.name}}您好"))&body_en=\(q("Hi {{name}} <b>"))&active=1")
            // then it is refused in the user's language beside the field, what was typed kept
            #expect(bad.status == .unprocessableContent && bad.text.contains("含有未知的占位符：name"), "\(bad.text.prefix(3000))")
            #expect(bad.text.contains("Hi {{name}} &lt;b&gt;</textarea>") && bad.text.contains("value=\"发货通知\""))
            // when it is corrected, it is listed
            let ok = try await post(env, admin, "/service/canned-replies/save",
                                    "_csrf=\(csrf)&title=\(q("发货通知"))&body_zh-Hans=\(q("{{customer.name}}您好"))&ticket_type=inquiry&active=1")
            #expect(ok.status == .seeOther)
            let list = try await page(env, admin, "/service/canned-replies", lang: "zh-Hant")
            #expect(list.text.contains("发货通知") && list.text.contains("諮詢"))
            // and a sales rep may not open the page
            let (rep, _) = try await PageTests().signIn(env)
            #expect(try await page(env, rep, "/service/canned-replies").status == .forbidden)
        }
    }

    @Test(arguments: Backend.all) func mentionsInNotesNotifyMembersWhoMayReadTheTicket(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let wang = try await member(env, "wang@example.cn", "王芳"), li = try await member(env, "li@example.com", "Li Lei")
            let zhao = try await member(env, "zhao@example.com", "赵六")
            let quality = try await team(env, "品质部", [wang.id, li.id])
            _ = try await team(env, "物流部", [zhao.id])
            let t = try await ticket(env, try await env.createCustomer(name: "王芳的客户"), "茶叶罐破损", extra: ["team_id": str(quality)])
            let id = try #require(t["id"].string)
            // when the admin writes a note naming 王芳 by name, Li Lei by email, 赵六 (another department) and someone unknown
            let note = "@王芳请看一下 <b>破损</b>，@li@example.com 跟进；@赵六 @不存在 😀"
            let r = try await env.send(.post, "/api/v1/tickets/\(id)/messages", as: .admin, json: json(["kind": str("note"), "body": str(note)]))
            #expect(r.status == .created, "\(r.text)")
            // then 王芳 and Li Lei are notified, 赵六 who may not read the ticket is not
            let wangs = try await env.get("/api/v1/notifications", as: .bearer(wang.token)).json["items"].array
            #expect(wangs.count == 1 && wangs[0]["kind"].string == "mention" && wangs[0]["link"].string == "/tickets/\(id)", "\(wangs)")
            #expect(try await env.get("/api/v1/notifications", as: .bearer(li.token)).json["items"].array.count == 1)
            #expect(try await env.get("/api/v1/notifications", as: .bearer(zhao.token)).json["items"].array.isEmpty)
            // when a public reply mentions 王芳, nothing more happens
            _ = try await env.send(.post, "/api/v1/tickets/\(id)/messages", as: .admin, json: json(["kind": str("reply"), "body": str("@王芳 会联系您")]))
            #expect(try await env.get("/api/v1/notifications", as: .bearer(wang.token)).json["items"].array.count == 1)
            // and the page marks the mentions, the rest escaped text
            let (admin, _) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let shown = try await page(env, admin, "/tickets/\(id)")
            #expect(shown.text.contains("<mark class=\"mention\">@王芳</mark>请看一下 &lt;b&gt;破损&lt;/b&gt;，<mark class=\"mention\">@li@example.com</mark>"),
                    "\(shown.text)")
            // (a member's name is marked even when they were not told: the note names them all the same)
            #expect(shown.text.contains("<mark class=\"mention\">@赵六</mark> @不存在 😀"))
            #expect(!shown.text.contains("<mark class=\"mention\">@王芳</mark> 会联系您"))
        }
    }

    @Test(arguments: Backend.all) func twoAgentsOnOneTicketSeeEachOtherAndAStaleReplySaysWhatChanged(_ backend: Backend) async throws {
        let clock = ManualClock(Self.monday9am)
        try await WebEnv.run(backend, clock: clock) { env in
            let wang = try await member(env, "wang@example.cn", "王芳"), li = try await member(env, "li@example.com", "李雷")
            let quality = try await team(env, "品质部", [wang.id, li.id])
            let id = try #require(try await ticket(env, try await env.createCustomer(name: "杭州茶庄"), "茶叶罐破损", extra: ["team_id": str(quality)])["id"].string)
            let (w, wcsrf) = try await PageTests().signIn(env, email: "wang@example.cn", password: "password-member")
            let (l, lcsrf) = try await PageTests().signIn(env, email: "li@example.com", password: "password-member")
            // when 王芳 opens the ticket at 09:00 and 李雷 a minute later
            let first = try await page(env, w, "/tickets/\(id)")
            #expect(!first.text.contains("也在查看"))
            let opened = try #require(first.text.firstMatch(of: /name="opened" value="(\d+)"/).map { String($0.output.1) })
            clock.set(Self.monday9am.addingTimeInterval(60))
            // then 李雷 is told 王芳 is there, since 09:00, in his language
            #expect(try await page(env, l, "/tickets/\(id)").text.contains("王芳 也在查看这张工单（09:00 起）"))
            #expect(try await page(env, l, "/tickets/\(id)", lang: "en").text.contains("王芳 is also viewing this ticket (since 09:00)"))
            // and the API says the same to 李雷, not to workspace B
            let viewers = try await env.get("/api/v1/tickets/\(id)/viewers", as: .bearer(li.token)).json["items"].array
            #expect(viewers.map { $0["name"].string } == ["王芳"] && viewers[0]["replying"].bool == false)
            #expect(try await env.get("/api/v1/tickets/\(id)/viewers", as: .b).status == .notFound)
            // when 李雷 replies and 王芳 then sends her reply on the version she opened
            #expect(try await post(env, l, "/tickets/\(id)/reply", "_csrf=\(lcsrf)&version=1&kind=reply&status=waiting_customer&body=\(q("已安排补发"))").status == .seeOther)
            clock.set(Self.monday9am.addingTimeInterval(90))
            let typed = "您好，我们马上处理 <i>破损</i>"
            let stale = try await post(env, w, "/tickets/\(id)/reply", "_csrf=\(wcsrf)&version=1&opened=\(opened)&kind=reply&body=\(q(typed))")
            // then the page says what changed since she opened it, and keeps her words
            #expect(stale.status == .conflict && stale.text.contains("你打开这张工单之后，有人做了这些更改"), "\(stale.text.prefix(3000))")
            #expect(stale.text.contains("李雷 · 09:01 · 回复了客户") && stale.text.contains(">您好，我们马上处理 &lt;i&gt;破损&lt;/i&gt;</textarea>"))
            // and 李雷 now sees her replying
            #expect(try await page(env, l, "/tickets/\(id)").text.contains("王芳 正在回复这张工单（09:00 起）"))
            // when three minutes pass without her page being seen, the notice goes
            clock.set(Self.monday9am.addingTimeInterval(90 + 180))
            #expect(!(try await page(env, l, "/tickets/\(id)").text.contains("王芳 ")))
            #expect(try await env.get("/api/v1/tickets/\(id)/viewers", as: .bearer(li.token)).json["items"].array.isEmpty)
        }
    }

    @Test(arguments: Backend.all) func bulkChangesApplyEachTicketsRulesAndReportEachOutcome(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let wang = try await member(env, "wang@example.cn", "王芳")
            let quality = try await team(env, "品质部", [wang.id])
            let logistics = try await team(env, "物流部", [])
            let customer = try await env.createCustomer(name: "杭州茶庄")
            var ids: [String] = []
            for n in 1...3 { ids.append(try #require(try await ticket(env, customer, "破损 \(n)", extra: ["team_id": str(quality)])["id"].string)) }
            // the third has an open child task: it cannot be resolved
            _ = try await env.send(.post, "/api/v1/tickets/\(ids[2])/steps", as: .admin,
                                   json: json(["kind": str("task"), "team_id": str(logistics), "title": str("核实物流")]))
            let other = try #require(try await env.send(.post, "/api/v1/tickets", as: .b, json: json([
                "customer_id": str(try await env.createCustomer(name: "别家客户", as: .b)), "subject": str("B"), "body": str("x")])).json["id"].string)
            // when the admin resolves all three plus workspace B's ticket in one call
            let r = try await env.send(.post, "/api/v1/tickets/bulk", as: .admin,
                                       json: json(["ids": strs(ids + [other]), "action": .object(["type": str("status"), "status": str("resolved")])]))
            #expect(r.status == .ok && r.json["updated"].int == 2 && r.json["skipped"].int == 2, "\(r.text)")
            let results = r.json["results"].array
            #expect(results[2]["outcome"].string == "skipped" && results[2]["number"].int == 3
                    && results[2]["error"]["fields"]["status"].string == RoutingWords.blocked.text, "\(r.text)")
            #expect(results[3]["outcome"].string == "skipped" && results[3]["error"]["code"].string == "not_found")
            // then each resolved ticket went through the flow: audited like a single change
            #expect(try await env.get("/api/v1/tickets/\(ids[0])", as: .admin).json["status"].string == "resolved")
            #expect(try await env.get("/api/v1/tickets/\(other)", as: .b).json["status"].string == "new")
            // and a ticket changed since it was selected is skipped, the others applied
            let versions: JSONValue = .object([ids[0]: .number(1), ids[2]: .number(Double(try await env.get("/api/v1/tickets/\(ids[2])", as: .admin).json["version"].int ?? 0))])
            let tagged = try await env.send(.post, "/api/v1/tickets/bulk", as: .admin,
                                            json: json(["ids": strs([ids[0], ids[2]]), "action": .object(["type": str("tag"), "tag": str("破损 😢")]), "versions": versions]))
            #expect(tagged.json["updated"].int == 1 && tagged.json["results"][0]["error"]["code"].string == "conflict", "\(tagged.text)")
            #expect(try await env.get("/api/v1/tickets/\(ids[2])", as: .admin).json["tags"].array.map { $0.string } == ["破损 😢"])
            // and malformed calls are refused whole: over 500, a bad id, an unknown action; a read-only user may not
            let many = json(["ids": strs(Array(repeating: ids[0], count: 501)), "action": .object(["type": str("priority"), "priority": str("high")])])
            let over = try await env.send(.post, "/api/v1/tickets/bulk", as: .admin, json: many)
            #expect(over.status == .unprocessableContent && over.json["error"]["fields"].keys == ["ids"])
            #expect(try await env.send(.post, "/api/v1/tickets/bulk", as: .admin,
                                       json: #"{"ids":["1' OR '1'='1"],"action":{"type":"priority","priority":"high"}}"#).status == .unprocessableContent)
            #expect(try await env.send(.post, "/api/v1/tickets/bulk", as: .admin,
                                       json: json(["ids": strs([ids[0]]), "action": .object(["type": str("delete")])])).json["error"]["fields"].keys == ["action.type"])
            #expect(try await env.send(.post, "/api/v1/tickets/bulk", as: .readOnly, json: many).status == .forbidden)
            // an agent may not assign in bulk outside their departments: the ticket is skipped, not changed
            let moved = try await env.send(.post, "/api/v1/tickets/bulk", as: .bearer(wang.token),
                                           json: json(["ids": strs([ids[1]]), "action": .object(["type": str("priority"), "priority": str("urgent")])]))
            #expect(moved.json["updated"].int == 1, "\(moved.text)")
        }
    }

    @Test(arguments: Backend.all) func theQueueFormChangesTheTickedTicketsAndSaysWhatHappened(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let logistics = try await team(env, "物流部", [])
            let customer = try await env.createCustomer(name: "杭州茶庄")
            var ids: [String] = []
            for n in 1...3 { ids.append(try #require(try await ticket(env, customer, "破损 \(n)")["id"].string)) }
            _ = try await env.send(.post, "/api/v1/tickets/\(ids[2])/steps", as: .admin,
                                   json: json(["kind": str("task"), "team_id": str(logistics), "title": str("核实物流")]))
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let queue = try await page(env, admin, "/tickets")
            #expect(queue.text.contains("name=\"ids\" value=\"\(ids[0])\"") && queue.text.contains("aria-label=\"选择 #1\""))
            // when two are ticked, one of them with an open task, and "resolve" is pressed
            let v = (try await env.get("/api/v1/tickets/\(ids[2])", as: .admin).json["version"].int ?? 0)
            let form = "_csrf=\(csrf)&queue=all&status=&ids=\(ids[0])&ids=\(ids[2])&v_\(ids[0])=1&v_\(ids[2])=\(v)&v_\(ids[1])=1&status_to=resolved&type=status"
            let done = try await post(env, admin, "/tickets/bulk", form)
            // then one summary in the user's language names the skipped ticket and why
            #expect(done.status == .ok && done.text.contains("1 张已更新，1 张跳过"), "\(done.text.prefix(3000))")
            #expect(done.text.contains("#3 还有未完成的子任务或审批，工单不能解决或关闭"))
            // when the same is sent again on the versions first seen: the resolved one changed since, and says so
            let again = try await post(env, admin, "/tickets/bulk", form)
            #expect(again.text.contains("0 张已更新，2 张跳过") && again.text.contains("#1 ") && again.text.contains("勾选之后它已被别人更改"), "\(again.text.prefix(3000))")
            // and without versions, in English: one unchanged
            let plain = "_csrf=\(csrf)&queue=all&ids=\(ids[0])&ids=\(ids[2])&status_to=resolved&type=status"
            let en = try await env.send(.post, "/tickets/bulk", as: .none, body: Data(plain.utf8), contentType: "application/x-www-form-urlencoded",
                                        headers: ["Cookie": admin["Cookie"]! + "; gx_lang=en"])
            #expect(en.text.contains("0 updated, 1 skipped, 1 unchanged"), "\(en.text.prefix(3000))")
            // when nothing is ticked, or the form lacks its token
            #expect(try await post(env, admin, "/tickets/bulk", "_csrf=\(csrf)&type=priority&priority=high").text.contains("请至少勾选一张工单"))
            #expect(try await post(env, admin, "/tickets/bulk", "ids=\(ids[1])&type=priority&priority=high").status == .forbidden)
            #expect(try await env.get("/api/v1/tickets/\(ids[1])", as: .admin).json["priority"].string == "normal")
        }
    }
}
