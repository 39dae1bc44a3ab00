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

@Suite("Service desk pages: the queue and its due times, opening a ticket, replies and notes, errors in the user's language")
struct TicketPageTests {
    /// Monday 2026-10-12 09:00 in Shanghai. No calendar is saved, so the standard policy counts
    /// around the clock: a normal ticket's first answer is due 240 minutes after it is opened.
    static let monday9am = Date(timeIntervalSince1970: 1_791_766_800)

    func post(_ env: WebEnv, _ jar: [String: String], _ path: String, _ body: String) async throws -> Reply {
        try await env.send(.post, path, as: .none, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: jar)
    }

    func page(_ env: WebEnv, _ jar: [String: String], _ path: String, lang: String = "zh-Hans") async throws -> Reply {
        try await env.send(.get, path, as: .none, headers: ["Cookie": jar["Cookie"]! + "; gx_lang=" + lang])
    }

    /// A ticket opened through the API by workspace A's admin; answers its id.
    func ticket(_ env: WebEnv, customer: String, subject: String, body: String = "收到的茶叶罐破损了。",
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let r = try await env.send(.post, "/api/v1/tickets", as: .admin, json: json([
            "customer_id": str(customer), "subject": str(subject), "body": str(body), "type": str("complaint"), "channel": str("phone")]))
        #expect(r.status == .created, "\(r.text)", sourceLocation: sourceLocation)
        return r.json["id"].string ?? "missing"
    }

    @Test func everyServicePageKeepsItsAddress() {
        #expect(TicketURL.tickets.path == "/tickets" && TicketURL.newTicket.path == "/tickets/new")
        #expect(TicketURL.ticket("t1").path == "/tickets/t1" && TicketURL.ticketAction("t1", "reply").path == "/tickets/t1/reply")
    }

    @Test func durationsReadAsEachLanguageWritesThem() {
        #expect(Formats(locale: .zhHans).duration(seconds: 80 * 60 + 59) == "1小时20分")
        #expect(Formats(locale: .zhHant).duration(seconds: 15 * 60) == "15分鐘")
        #expect(Formats(locale: .en).duration(seconds: (2 * 24 + 3) * 3_600 + 120) == "2 d 3 h")
        #expect(Formats(locale: .en).duration(seconds: 3_600) == "1 h" && Formats(locale: .zhHans).duration(seconds: 59) == "不到1分钟")
    }

    @Test(arguments: Backend.all) func theQueueShowsEachTicketsNextDueInTheUsersLanguage(_ backend: Backend) async throws {
        let clock = ManualClock(Self.monday9am)
        try await WebEnv.run(backend, clock: clock) { env in
            // given a ticket of 杭州茶庄 opened at 09:00, its first answer due at 13:00
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let customer = try await env.createCustomer(name: "杭州茶庄")
            let id = try await ticket(env, customer: customer, subject: "茶叶罐破损")
            // when the queue is looked at 2 hours 40 minutes later
            clock.set(Self.monday9am.addingTimeInterval(160 * 60))
            // then each language says how long is left, beside the number, subject, customer, type, priority and status
            let hans = try await page(env, admin, "/tickets")
            #expect(hans.status == .ok)
            #expect(hans.text.contains("#1") && hans.text.contains("茶叶罐破损") && hans.text.contains("href=\"/customers/\(customer)\""))
            #expect(hans.text.contains("剩余 1小时20分") && hans.text.contains("投诉") && hans.text.contains("普通") && hans.text.contains("新建"))
            #expect(hans.text.contains("13:00") && hans.text.contains("未分配") && !hans.text.contains("class=\"overdue\""))
            #expect(try await page(env, admin, "/tickets", lang: "zh-Hant").text.contains("剩餘 1小時20分"))
            #expect(try await page(env, admin, "/tickets", lang: "en").text.contains("1 h 20 min left"))
            // and the main navigation has the service desk between deals and orders
            #expect(hans.text.contains("<a href=\"/tickets\" aria-current=\"page\">客服</a>"))

            // when 15 minutes have passed the due time
            clock.set(Self.monday9am.addingTimeInterval(255 * 60))
            // then the row is marked overdue, in words too, and the breached queue lists it
            let late = try await page(env, admin, "/tickets?queue=breached")
            #expect(late.text.contains("class=\"overdue\"") && late.text.contains("逾期 15分钟") && late.text.contains("茶叶罐破损"))
            #expect(try await page(env, admin, "/tickets?queue=breached", lang: "en").text.contains("15 min overdue"))
            #expect(try await page(env, admin, "/tickets?queue=unassigned").text.contains("茶叶罐破损"))
            #expect(try await page(env, admin, "/tickets?queue=mine").text.contains("没有符合条件的工单"))
            // the API answers the same queues, and keeps its contract for status
            #expect(try await env.get("/api/v1/tickets?queue=breached", as: .admin).json["items"].array.map { $0["id"].string } == [id])
            #expect(try await env.get("/api/v1/tickets?status=new", as: .admin).json["items"].array.count == 1)
            #expect(try await env.get("/api/v1/tickets?queue=overdue", as: .admin).status == .unprocessableContent)

            // when it waits on the customer
            #expect(try await post(env, admin, "/tickets/\(id)/status", "_csrf=\(csrf)&status=waiting_customer&version=1").status == .seeOther)
            // then the clock stands still: paused, not breached, in the waiting queue
            let waiting = try await page(env, admin, "/tickets?queue=waiting")
            #expect(waiting.text.contains("已暂停") && waiting.text.contains("茶叶罐破损") && !waiting.text.contains("class=\"overdue\""))
            #expect(try await page(env, admin, "/tickets?queue=breached").text.contains("没有符合条件的工单"))
            #expect(try await page(env, admin, "/tickets?status=open").text.contains("没有符合条件的工单"))
        }
    }

    @Test(arguments: Backend.all) func aTicketOpenedFromTheCustomerPageIsAnsweredThroughTheReplyForm(_ backend: Backend) async throws {
        let clock = ManualClock(Self.monday9am)
        try await WebEnv.run(backend, clock: clock) { env in
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let customer = try await env.createCustomer(name: "王芳")
            // given the customer's page, which offers a new ticket
            let c360 = try await page(env, admin, "/customers/\(customer)")
            #expect(c360.text.contains("/tickets/new?customer_id=\(customer)") && c360.text.contains("新建工单"))
            #expect(try await page(env, admin, "/tickets/new?customer_id=\(customer)").text.contains("name=\"subject\""))
            // when the form is sent without a subject, the error is beside the field and the description stays
            let bad = try await post(env, admin, "/tickets/new", "_csrf=\(csrf)&customer_id=\(customer)&subject=&type=repair&priority=high&channel=wechat&body=\(q("空调不制冷 <b>急</b>"))")
            #expect(bad.status == .unprocessableContent && bad.text.contains("必填") && bad.text.contains("空调不制冷 &lt;b&gt;急&lt;/b&gt;"))
            #expect(bad.text.contains("<option value=\"wechat\" selected>"))
            // when it is sent whole
            let made = try await post(env, admin, "/tickets/new", "_csrf=\(csrf)&customer_id=\(customer)&subject=\(q("空调不制冷"))&type=repair&priority=high&channel=wechat&body=\(q("空调不制冷 <b>急</b>"))")
            #expect(made.status == .seeOther)
            let path = try #require(made.header("Location"))
            let id = String(path.dropFirst("/tickets/".count))
            var shown = try await page(env, admin, path)
            #expect(shown.status == .ok && shown.text.contains("#1 空调不制冷") && shown.text.contains("维修") && shown.text.contains("微信"))
            // high: first answer due in 60 minutes
            #expect(shown.text.contains("剩余 1小时") && shown.text.contains("空调不制冷 &lt;b&gt;急&lt;/b&gt;"))

            // when an agent replies 20 minutes later through the form
            clock.set(Self.monday9am.addingTimeInterval(20 * 60))
            let reply = try await post(env, admin, "/tickets/\(id)/reply", "_csrf=\(csrf)&version=1&kind=reply&status=&body=\(q("您好，师傅明天上午上门。"))")
            #expect(reply.status == .seeOther && reply.header("Location") == path)
            // then the first response is recorded and the ticket is open
            let api = try await env.get("/api/v1/tickets/\(id)", as: .admin).json
            #expect(api["first_responded_at"].string == Timestamp.iso8601(Self.monday9am.addingTimeInterval(20 * 60)) && api["status"].string == "open")
            // and the page shows the reply in the conversation, the target met
            shown = try await page(env, admin, path)
            #expect(shown.text.contains("您好，师傅明天上午上门。") && shown.text.contains("msg msg-reply") && shown.text.contains("回复客户"))
            #expect(shown.text.contains("已完成") && shown.text.contains("处理中"))
            // and the customer's page lists the ticket
            #expect(try await page(env, admin, "/customers/\(customer)").text.contains("#1 空调不制冷"))
        }
    }

    @Test(arguments: Backend.all) func internalNotesAreForThoseWhoWorkTheTicketNotTheRepWhoFollowsIt(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a ticket of the rep's own customer, and an admin's internal note on it
            let (rep, repCsrf) = try await PageTests().signIn(env)
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let customer = try await env.createCustomer(name: "李雷", as: .a)
            let id = try await ticket(env, customer: customer, subject: "发票抬头错误", body: "发票抬头写错了。")
            #expect(try await post(env, admin, "/tickets/\(id)/reply", "_csrf=\(csrf)&version=1&kind=note&body=\(q("财务说下周才能重开"))").status == .seeOther)
            // when the rep opens it
            let seen = try await page(env, rep, "/tickets/\(id)")
            // then they read the customer's words but not the note, and get no forms to work it
            #expect(seen.status == .ok && seen.text.contains("发票抬头写错了。"))
            #expect(!seen.text.contains("财务说下周才能重开") && !seen.text.contains("/tickets/\(id)/reply"))
            // and the queue shows them their customer's ticket
            #expect(try await page(env, rep, "/tickets").text.contains("发票抬头错误"))
            // while the admin sees the note, marked as internal
            let full = try await page(env, admin, "/tickets/\(id)")
            #expect(full.text.contains("财务说下周才能重开") && full.text.contains("msg msg-note") && full.text.contains("内部备注"))
            // and a note is no answer: the first response still waits
            #expect(try await env.get("/api/v1/tickets/\(id)", as: .admin).json["first_responded_at"].isNull)
            // and the rep may not post to it
            #expect(try await post(env, rep, "/tickets/\(id)/reply", "_csrf=\(repCsrf)&body=x").status == .forbidden)
        }
    }

    @Test(arguments: Backend.all) func aStatusMoveTheTicketCannotMakeIsExplainedAndTheReplyIsKept(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let customer = try await env.createCustomer(name: "Ellen 陈")
            let id = try await ticket(env, customer: customer, subject: "退货")
            // when a reply asks to reopen a ticket that was never resolved
            let typed = "已寄出新的茶叶罐，单号 SF1001"
            let bad = try await post(env, admin, "/tickets/\(id)/reply", "_csrf=\(csrf)&version=1&kind=reply&status=reopened&body=\(q(typed))")
            // then the page says why in Chinese, keeps what was typed, and nothing is saved
            #expect(bad.status == .conflict && bad.text.contains("只有已解决或已关闭的工单才能重新打开"), "\(bad.text.prefix(2000))")
            #expect(bad.text.contains(">\(typed)</textarea>"))
            #expect(try await env.get("/api/v1/tickets/\(id)/messages", as: .admin).json["items"].array.count == 1)
            // in English the domain's sentence
            let en = try await env.send(.post, "/tickets/\(id)/reply", as: .none, body: Data("_csrf=\(csrf)&version=1&status=new&body=x".utf8),
                                        contentType: "application/x-www-form-urlencoded", headers: ["Cookie": admin["Cookie"]! + "; gx_lang=en"])
            #expect(en.status == .conflict && en.text.contains("cannot become new"))
            // a closed ticket only reopens
            #expect(try await post(env, admin, "/tickets/\(id)/status", "_csrf=\(csrf)&status=closed&version=1").status == .seeOther)
            let closed = try await post(env, admin, "/tickets/\(id)/status", "_csrf=\(csrf)&status=open&version=2")
            #expect(closed.status == .conflict && closed.text.contains("已关闭的工单只能重新打开"))
            // a reply against an old version is refused as someone else's change, and the words stay
            let stale = try await post(env, admin, "/tickets/\(id)/reply", "_csrf=\(csrf)&version=1&kind=reply&body=\(q(typed))")
            #expect(stale.status == .conflict && stale.text.contains("别人已经修改了这条记录") && stale.text.contains(">\(typed)</textarea>"))
            // an empty reply is named at its field
            let empty = try await post(env, admin, "/tickets/\(id)/reply", "_csrf=\(csrf)&version=2&kind=note&body=")
            #expect(empty.status == .unprocessableContent && empty.text.contains("须为 1 到 50000 个字") && empty.text.contains("value=\"note\" checked"))
        }
    }

    @Test(arguments: Backend.all) func agentsAssignWithinTheirDepartmentsAndFindTheirQueues(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a service agent in the 售后 department
            let owner = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .owner)
            let agent = try await env.services.access.createUser(email: "agent@example.com", password: "password-agent", name: "赵客服",
                                                                 role: .serviceAgent, workspaceID: env.workspaceA.id)
            let team = try await env.services.access.saveTeam(owner, name: "售后", kind: "service", parentID: nil, managerID: nil, memberIDs: [agent.id])
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let customer = try await env.createCustomer(name: "张伟", as: .admin)
            let id = try await ticket(env, customer: customer, subject: "保修咨询")
            // when the admin gives it to the department
            #expect(try await post(env, admin, "/tickets/\(id)/assign", "_csrf=\(csrf)&version=1&team_id=\(team.id)&assignee_id=").status == .seeOther)
            // then the agent finds it under their departments, not yet under their own
            let (agentJar, agentCsrf) = try await PageTests().signIn(env, email: "agent@example.com", password: "password-agent")
            #expect(try await page(env, agentJar, "/tickets?queue=departments").text.contains("保修咨询"))
            #expect(try await page(env, agentJar, "/tickets?queue=mine").text.contains("没有符合条件的工单"))
            // when the agent takes it, choosing themself from their department's people
            let shown = try await page(env, agentJar, "/tickets/\(id)")
            #expect(shown.text.contains("<option value=\"\(agent.id)\">赵客服</option>") && shown.text.contains("售后"))
            #expect(try await post(env, agentJar, "/tickets/\(id)/assign", "_csrf=\(agentCsrf)&version=2&team_id=\(team.id)&assignee_id=\(agent.id)").status == .seeOther)
            // then it is theirs
            #expect(try await page(env, agentJar, "/tickets?queue=mine").text.contains("保修咨询"))
            #expect(try await env.get("/api/v1/tickets/\(id)", as: .admin).json["assignee_id"].string == agent.id)
        }
    }

    @Test(arguments: Backend.all) func anotherWorkspaceGetsNotFoundAndAFormWithoutItsTokenIsRefused(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let (admin, csrf) = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let customer = try await env.createCustomer(name: "公司甲")
            let id = try await ticket(env, customer: customer, subject: "机密工单")
            // when workspace B's admin asks for it, or posts to it
            let (other, otherCsrf) = try await PageTests().signIn(env, email: "admin-b@example.com", password: "password-admin")
            let seen = try await page(env, other, "/tickets/\(id)")
            // then there is no such ticket, in words about tickets
            #expect(seen.status == .notFound && seen.text.contains("找不到这张工单") && !seen.text.contains("机密工单"))
            #expect(try await post(env, other, "/tickets/\(id)/reply", "_csrf=\(otherCsrf)&body=x").status == .notFound)
            #expect(!(try await page(env, other, "/tickets").text.contains("机密工单")))
            // and a post without the session's token is refused, changing nothing
            let forged = try await post(env, admin, "/tickets/\(id)/reply", "version=1&kind=reply&body=\(q("伪造的回复"))")
            #expect(forged.status == .forbidden && forged.text.contains("表单已过期"))
            #expect(try await env.get("/api/v1/tickets/\(id)/messages", as: .admin).json["items"].array.count == 1)
            _ = csrf
        }
    }
}
