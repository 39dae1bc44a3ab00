import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebService

@Suite("Routing and hand-offs over HTTP: rules for administrators, a ticket's chain, tasks and approvals, pages in three languages")
struct RoutingWebTests {
    var owner: (WebEnv) -> Scope { { Scope(workspaceID: $0.workspaceA.id, userID: nil, role: .owner) } }

    func team(_ env: WebEnv, _ name: String, _ members: [String] = []) async throws -> String {
        try await env.services.access.saveTeam(owner(env), name: name, kind: "service", parentID: nil, managerID: nil, memberIDs: members).id
    }

    /// A member of workspace A with a role, and their API token.
    func member(_ env: WebEnv, _ email: String, _ role: Role) async throws -> (id: String, token: String) {
        let u = try await env.services.access.createUser(email: email, password: "password-member", name: email.components(separatedBy: "@")[0],
                                                         role: role, workspaceID: env.workspaceA.id)
        return (u.id, try await env.services.access.createToken(userID: u.id, workspaceID: env.workspaceA.id, name: "test").secret)
    }

    func ticket(_ env: WebEnv, _ customer: String, _ subject: String, type: String = "complaint") async throws -> J {
        let r = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json([
            "customer_id": str(customer), "subject": str(subject), "body": str("罐子压扁了 😢"), "type": str(type), "channel": str("phone")]))
        #expect(r.status == .created, "\(r.text)")
        return r.json
    }

    @Test(arguments: Backend.all) func routingRulesAreAdministeredThroughTheAPIAndRouteNewTickets(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let agent = try await member(env, "q1@example.com", .serviceAgent)
            let quality = try await team(env, "品质部", [agent.id])
            let body = json(["name": str("破损投诉 😢"), "team_id": str(quality), "strategy": str("round_robin"), "position": .number(10),
                             "conditions": .object(["types": strs(["complaint"]), "keywords": strs(["破损", "压扁"])])])
            // when an administrator adds a rule, twice with one Idempotency-Key
            let made = try await env.send(.post, "/api/v1/service/routing-rules", as: .admin, json: body, headers: ["Idempotency-Key": "rule-1"])
            #expect(made.status == .created && made.header("ETag") == "\"1\"", "\(made.text)")
            let again = try await env.send(.post, "/api/v1/service/routing-rules", as: .admin, json: body, headers: ["Idempotency-Key": "rule-1"])
            let id = try #require(made.json["id"].string)
            #expect(again.json["id"].string == id && made.json["name"].string == "破损投诉 😢")
            #expect(try await env.get("/api/v1/service/routing-rules", as: .admin).json["items"].array.map { $0["id"].string } == [id])
            // then a complaint about breakage goes to quality's agent
            let t = try await ticket(env, try await env.createCustomer(name: "王芳"), "茶叶罐压扁了")
            #expect(t["team_id"].string == quality && t["assignee_id"].string == agent.id, "\(t)")
            // and a sales rep may not see the rules, workspace B sees none of them and cannot change them
            #expect(try await env.get("/api/v1/service/routing-rules", as: .a).status == .forbidden)
            #expect(try await env.get("/api/v1/service/routing-rules", as: .b).json["items"].array.isEmpty)
            #expect(try await env.send(.put, "/api/v1/service/routing-rules/\(id)", as: .b, json: body).status == .notFound)
            // and a change against an old version is refused; the current one goes through
            let stale = try await env.send(.put, "/api/v1/service/routing-rules/\(id)", as: .admin, json: body, headers: ["If-Match": "\"9\""])
            #expect(stale.status == .preconditionFailed)
            let changed = try await env.send(.put, "/api/v1/service/routing-rules/\(id)", as: .admin,
                                             json: json(["name": str("破损"), "team_id": str(quality), "strategy": str("skill")]), headers: ["If-Match": "\"1\""])
            #expect(changed.status == .ok && changed.json["version"].int == 2 && changed.json["strategy"].string == "skill")
            // and a malformed rule is refused field by field, changing nothing
            let bad = try await env.send(.post, "/api/v1/service/routing-rules", as: .admin,
                                         json: #"{"name":"","team_id":"x","strategy":"random","conditions":{"types":["rant"]}}"#)
            #expect(bad.status == .unprocessableContent, "\(bad.text)")
            #expect(bad.json["error"]["fields"].keys == ["name", "team_id", "strategy", "conditions.types"], "\(bad.text)")
            #expect(try await env.send(.post, "/api/v1/service/routing-rules", as: .admin, json: "{").status == .badRequest)
            #expect(try await env.get("/api/v1/service/routing-rules", as: .admin).json["items"].array.count == 1)
            // and skills are saved per agent and listed with their open tickets
            let skills = try await env.send(.put, "/api/v1/service/agents/\(agent.id)/skills", as: .admin, json: #"{"skills":["破损","English 😀"]}"#)
            #expect(skills.status == .ok && skills.json["skills"].array.count == 2)
            let agents = try await env.get("/api/v1/service/agents", as: .admin).json["items"].array
            #expect(agents.contains { $0["id"].string == agent.id && $0["open_tickets"].int == 1 && $0["team_ids"].array.count == 1 })
            // and a deleted rule routes no more
            #expect(try await env.send(.delete, "/api/v1/service/routing-rules/\(id)", as: .admin).status == .noContent)
            #expect(try await ticket(env, try await env.createCustomer(name: "李雷"), "罐子破损")["team_id"].isNull)
        }
    }

    @Test(arguments: Backend.all) func aHandOffChainTaskAndApprovalRunThroughTheAPI(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let q1 = try await member(env, "q1@example.com", .serviceAgent), l1 = try await member(env, "l1@example.com", .serviceAgent)
            let quality = try await team(env, "品质部", [q1.id]), logistics = try await team(env, "物流部", [l1.id])
            let customer = try await env.createCustomer(["name": .string("王芳"), "emails": strs(["wang@example.cn"])])["id"].string!
            let t = try await ticket(env, customer, "茶叶罐破损，要求退款")
            let id = try #require(t["id"].string)
            // when the admin passes it to quality, then logistics (Idempotency-Key on each), and asks for an administrator's approval
            let handoff = json(["kind": str("handoff"), "team_id": str(quality), "title": str("质检判定 🔍"), "minutes": .number(240)])
            let first = try await env.send(.post, "/api/v1/tickets/\(id)/steps", as: .admin, json: handoff,
                                           headers: ["Idempotency-Key": "step-1", "If-Match": "\"1\""])
            #expect(first.status == .created && first.json["ticket"]["team_id"].string == quality, "\(first.text)")
            #expect(first.json["steps"][0]["state"].string == "active" && !first.json["steps"][0]["due_at"].isNull)
            let replay = try await env.send(.post, "/api/v1/tickets/\(id)/steps", as: .admin, json: handoff,
                                            headers: ["Idempotency-Key": "step-1", "If-Match": "\"1\""])
            #expect(replay.status == .created && replay.json["steps"].array.count == 1, "\(replay.text)")
            _ = try await env.send(.post, "/api/v1/tickets/\(id)/steps", as: .admin,
                                   json: json(["kind": str("handoff"), "team_id": str(logistics), "title": str("上门取件")]))
            let approval = try await env.send(.post, "/api/v1/tickets/\(id)/steps", as: .admin,
                                              json: json(["kind": str("approval"), "title": str("退款 ¥1,280"), "approver_role": str("admin")]))
            #expect(approval.status == .created && approval.json["steps"].array.map { $0["state"].string } == ["active", "pending", "active"])
            let steps = approval.json["steps"].array.map { $0["id"].string ?? "" }
            // then it cannot be resolved while the approval is open: the field is named
            let blocked = try await env.send(.post, "/api/v1/tickets/\(id)/status", as: .admin, json: #"{"status":"resolved"}"#)
            #expect(blocked.status == .unprocessableContent && blocked.json["error"]["fields"]["status"].string == RoutingWords.blocked.text, "\(blocked.text)")
            // and malformed steps are refused field by field
            let bad = try await env.send(.post, "/api/v1/tickets/\(id)/steps", as: .admin, json: #"{"kind":"escalate","title":"  ","minutes":0}"#)
            #expect(bad.status == .unprocessableContent && bad.json["error"]["fields"].keys == ["kind", "title", "minutes"], "\(bad.text)")
            // when quality completes its step: against an old version refused; by a read-only user or workspace B refused
            let path = "/api/v1/tickets/\(id)/steps/\(steps[0])/complete"
            let version = approval.header("ETag")!
            #expect(try await env.send(.post, path, as: .bearer(q1.token), json: #"{"note":"x"}"#, headers: ["If-Match": "\"1\""]).status == .preconditionFailed)
            #expect(try await env.send(.post, path, as: .readOnly, json: #"{"note":"x"}"#).status == .forbidden)
            #expect(try await env.send(.post, path, as: .b, json: #"{"note":"x"}"#).status == .notFound)
            let done = try await env.send(.post, path, as: .bearer(q1.token), json: #"{"note":"运输破损 📦"}"#, headers: ["If-Match": version])
            // then logistics has the ticket, and the customer is told in a reply
            #expect(done.status == .ok && done.json["ticket"]["team_id"].string == logistics, "\(done.text)")
            #expect(done.json["steps"][0]["completed_by"].string == q1.id && done.json["steps"][0]["note"].string == "运输破损 📦")
            let messages = try await env.get("/api/v1/tickets/\(id)/messages", as: .admin).json["items"].array
            #expect(messages.last?["kind"].string == "reply" && messages.last?["body"].string?.contains("物流部") == true)
            // and the sales rep who owns the customer follows the steps but changes nothing
            #expect(try await env.get("/api/v1/tickets/\(id)/steps", as: .a).json["items"].array.count == 3)
            #expect(try await env.send(.post, "/api/v1/tickets/\(id)/steps", as: .a, json: #"{"kind":"task","title":"x","team_id":"\#(logistics)"}"#).status == .forbidden)
            // and logistics reads the steps, quality no longer works the ticket
            #expect(try await env.get("/api/v1/tickets/\(id)/steps", as: .bearer(l1.token)).json["items"].array.count == 3)
            #expect(try await env.get("/api/v1/tickets/\(id)", as: .bearer(q1.token)).status == .notFound)
            // when an administrator decides: a decision that is neither is refused; approval lets the ticket resolve
            let decide = "/api/v1/tickets/\(id)/steps/\(steps[2])/decision"
            #expect(try await env.send(.post, decide, as: .admin, json: #"{"decision":"maybe"}"#).status == .unprocessableContent)
            #expect(try await env.send(.post, decide, as: .bearer(l1.token), json: #"{"decision":"approve"}"#).status == .forbidden)
            let ok = try await env.send(.post, decide, as: .admin, json: #"{"decision":"approve","note":"同意 👍"}"#)
            #expect(ok.status == .ok && ok.json["steps"][2]["state"].string == "approved")
            #expect(try await env.send(.post, "/api/v1/tickets/\(id)/status", as: .admin, json: #"{"status":"resolved"}"#).status == .ok)
        }
    }

    func post(_ env: WebEnv, _ jar: [String: String], _ path: String, _ body: String, lang: String = "zh-Hans") async throws -> Reply {
        try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded",
                           headers: ["Cookie": jar["Cookie"]! + "; gx_lang=" + lang])
    }

    func page(_ env: WebEnv, _ jar: [String: String], _ path: String, lang: String = "zh-Hans") async throws -> Reply {
        try await env.send(.get, path, as: .none, headers: ["Cookie": jar["Cookie"]! + "; gx_lang=" + lang])
    }

    @Test(arguments: Backend.all) func theTicketPageShowsTheChainAndItsFormsInThreeLanguages(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let quality = try await team(env, "品质部")
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let id = try #require(try await ticket(env, try await env.createCustomer(name: "杭州茶庄"), "茶叶罐破损")["id"].string)
            let version = { try await env.get("/api/v1/tickets/\(id)", as: .admin).json["version"].int ?? 0 }
            // when a step without words is added: the page names the field in the user's language and keeps the choice
            let empty = try await post(env, admin, "/tickets/\(id)/step", "_csrf=\(csrf)&version=\(try await version())&kind=handoff&step_team_id=\(quality)&title=&minutes=abc")
            #expect(empty.status == .unprocessableContent && empty.text.contains("须为 1 到 525600 个工作分钟"), "\(empty.text.prefix(3000))")
            // when a hand-off to quality and an approval are added
            let added = try await post(env, admin, "/tickets/\(id)/step",
                                       "_csrf=\(csrf)&version=\(try await version())&kind=handoff&step_team_id=\(quality)&title=\(q("质检判定 🔍"))&minutes=240")
            #expect(added.status == .seeOther, "\(added.text.prefix(2000))")
            #expect(try await post(env, admin, "/tickets/\(id)/step",
                                   "_csrf=\(csrf)&version=\(try await version())&kind=approval&title=\(q("退款审批"))&approver_role=admin").status == .seeOther)
            // then the page shows the chain with its department, deadline and forms, in each language
            let hans = try await page(env, admin, "/tickets/\(id)")
            #expect(hans.text.contains("处理环节") && hans.text.contains("质检判定 🔍") && hans.text.contains("品质部") && hans.text.contains("内部时限"))
            #expect(hans.text.contains("完成此环节") && hans.text.contains("批准") && hans.text.contains("驳回") && hans.text.contains("进行中"))
            let hant = try await page(env, admin, "/tickets/\(id)", lang: "zh-Hant").text
            #expect(hant.contains("處理環節") && hant.contains("轉交") && hant.contains("完成此環節") && hant.contains("核准"))
            let en = try await page(env, admin, "/tickets/\(id)", lang: "en").text
            #expect(en.contains("Hand-offs, tasks and approvals") && en.contains("Hand-off") && en.contains("Approve") && en.contains("Internal deadline"))
            // when resolving while the approval is open: refused with the reason in each language
            let refused = try await post(env, admin, "/tickets/\(id)/status", "_csrf=\(csrf)&status=resolved&version=\(try await version())")
            #expect(refused.status == .unprocessableContent && refused.text.contains("还有未完成的子任务或审批，工单不能解决或关闭"))
            let refusedHant = try await post(env, admin, "/tickets/\(id)/status", "_csrf=\(csrf)&status=resolved&version=\(try await version())", lang: "zh-Hant")
            #expect(refusedHant.text.contains("還有未完成的子任務或審批，工單不能解決或關閉"))
            let refusedEn = try await post(env, admin, "/tickets/\(id)/status", "_csrf=\(csrf)&status=resolved&version=\(try await version())", lang: "en")
            #expect(refusedEn.text.contains(RoutingWords.blocked.text))
            // when the approval is approved and the hand-off completed from the page: both are closed, with who did it
            let steps = try await env.get("/api/v1/tickets/\(id)/steps", as: .admin).json["items"].array.map { $0["id"].string ?? "" }
            #expect(try await post(env, admin, "/tickets/\(id)/steps/\(steps[1])/decision", "_csrf=\(csrf)&version=\(try await version())&decision=approve&note=\(q("同意"))").status == .seeOther)
            let stale = try await post(env, admin, "/tickets/\(id)/steps/\(steps[0])/complete", "_csrf=\(csrf)&version=1&note=\(q("已判定"))")
            #expect(stale.status == .conflict && stale.text.contains("value=\"已判定\""), "\(stale.text.prefix(2000))")
            #expect(try await post(env, admin, "/tickets/\(id)/steps/\(steps[0])/complete", "_csrf=\(csrf)&version=\(try await version())&note=\(q("已判定"))").status == .seeOther)
            let after = try await page(env, admin, "/tickets/\(id)").text
            #expect(after.contains("办结") && after.contains("已批准") && after.contains("已完成") && !after.contains("完成此环节"))
            #expect(try await post(env, admin, "/tickets/\(id)/status", "_csrf=\(csrf)&status=resolved&version=\(try await version())").status == .seeOther)
        }
    }

    @Test(arguments: Backend.all) func theRoutingPageKeepsRulesMembersAndSkills(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let agent = try await member(env, "s1@example.com", .serviceAgent)
            let service = try await team(env, "售后部")
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let (rep, _) = try await PageTests().signIn(env)
            // a sales rep may not open it; the administrator finds it from the queue
            #expect(try await page(env, rep, "/service/routing").status == .forbidden)
            #expect(try await page(env, admin, "/tickets").text.contains("href=\"/service/routing\""))
            // when a rule without a name is saved: refused, what was typed kept
            let bad = try await post(env, admin, "/service/routing/save", "_csrf=\(csrf)&name=&team_id=\(service)&types=complaint&keywords=\(q("破损，漏发"))&active=1")
            #expect(bad.status == .unprocessableContent && bad.text.contains("必填") && bad.text.contains("value=\"破损，漏发\""), "\(bad.text.prefix(3000))")
            // when saved with its name: listed with its conditions, department and strategy, in each language
            #expect(try await post(env, admin, "/service/routing/save",
                                   "_csrf=\(csrf)&name=\(q("破损投诉"))&position=10&team_id=\(service)&strategy=round_robin&types=complaint&channels=email&keywords=\(q("破损，漏发"))&active=1").status == .seeOther)
            let hans = try await page(env, admin, "/service/routing").text
            #expect(hans.contains("破损投诉") && hans.contains("投诉、邮件、“破损”、“漏发”") && hans.contains("售后部") && hans.contains("轮流分配"))
            #expect(try await page(env, admin, "/service/routing", lang: "zh-Hant").text.contains("輪流分派"))
            // and it opens again in the form to be changed, its version with it
            let rule = try #require(try await env.get("/api/v1/service/routing-rules", as: .admin).json["items"][0]["id"].string)
            let edit = try await page(env, admin, "/service/routing?edit=\(rule)").text
            #expect(edit.contains("value=\"破损投诉\"") && edit.contains("name=\"version\" value=\"1\"") && edit.contains("value=\"complaint\" checked"))
            #expect(try await post(env, admin, "/service/routing/save", "_csrf=\(csrf)&id=\(rule)&version=1&name=\(q("破损投诉"))&position=5&team_id=\(service)&strategy=round_robin&types=complaint&channels=email&keywords=\(q("破损，漏发"))&active=1").status == .seeOther)
            let stale = try await post(env, admin, "/service/routing/save", "_csrf=\(csrf)&id=\(rule)&version=1&name=x&team_id=\(service)&active=1")
            #expect(stale.status == .conflict && stale.text.contains("value=\"x\""))
            #expect(try await page(env, admin, "/service/routing", lang: "en").text.contains("Round robin"))
            // when the agent joins the department and gets skills
            #expect(try await post(env, admin, "/service/routing/members", "_csrf=\(csrf)&team_id=\(service)&members=\(agent.id)").status == .seeOther)
            #expect(try await post(env, admin, "/service/routing/skills", "_csrf=\(csrf)&user_id=\(agent.id)&skills=\(q("退款, English"))").status == .seeOther)
            let agents = try await env.get("/api/v1/service/agents", as: .admin).json["items"].array
            #expect(agents.contains { $0["id"].string == agent.id && $0["skills"].array.map(\.string) == ["退款", "English"] && $0["team_ids"].array.count == 1 })
            // then a mailed complaint goes to that agent
            let c = try await env.createCustomer(name: "顾客")
            let r = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json(["customer_id": str(c), "subject": str("漏发配件"), "body": str("少了盖子"),
                                                                                         "type": str("complaint"), "channel": str("email")]))
            #expect(r.json["assignee_id"].string == agent.id && r.json["team_id"].string == service)
        }
    }
}
