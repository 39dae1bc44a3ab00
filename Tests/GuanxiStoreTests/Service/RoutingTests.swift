import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

/// A workspace's service departments: after-sales (three agents), quality (two, one good with
/// breakage), logistics and finance, a manager over the service desk, and a customer with an email.
struct ServiceFloor {
    let s: Stores
    let owner: Scope
    var service = "", quality = "", logistics = "", finance = ""
    var agents: [String: String] = [:]
    var customer = ""

    static func make(_ s: Stores, _ owner: Scope) async throws -> ServiceFloor {
        var f = ServiceFloor(s: s, owner: owner)
        for (key, name, role) in [("s1", "客服小王", Role.serviceAgent), ("s2", "客服小李", .serviceAgent), ("s3", "客服小张", .serviceAgent),
                                  ("q1", "质检老陈", .serviceAgent), ("q2", "质检小赵", .serviceAgent), ("l1", "物流小周", .serviceAgent),
                                  ("f1", "财务小吴", .serviceAgent), ("m1", "主管老刘", .salesManager)] {
            f.agents[key] = try await s.access.createUser(email: "\(key)-\(UUID().uuidString.prefix(6))@example.cn", password: "password-\(key)",
                                                          name: name, role: role, workspaceID: owner.workspaceID).id
        }
        func team(_ name: String, _ members: [String], manager: String? = nil) async throws -> String {
            try await s.access.saveTeam(owner, name: name, kind: "service", parentID: nil, managerID: manager.map { f.agents[$0]! },
                                        memberIDs: members.map { f.agents[$0]! }).id
        }
        f.service = try await team("售后部", ["s1", "s2", "s3"], manager: "m1")
        f.quality = try await team("品质部", ["q1", "q2"])
        f.logistics = try await team("物流部", ["l1"])
        f.finance = try await team("财务部", ["f1"])
        var c = CustomerDraft(); c.kind = .person; c.name = "王芳"; c.emails = ["wang.fang@example.cn"]
        c.addresses = [Address(province: "广东省", city: "深圳市")]
        f.customer = try await s.customers.create(owner, c).id
        return f
    }

    /// The scope a member acts with (their teams), as a request would have it.
    func scope(_ key: String) async throws -> Scope { try await s.access.scope(userID: agents[key]!, workspaceID: owner.workspaceID)! }

    func ticket(_ subject: String, body: String = "请处理", type: String = "inquiry", channel: String = "web", assignee: String? = nil,
                team: String? = nil) async throws -> Ticket {
        var d = TicketDraft(); d.customerID = customer; d.subject = subject; d.body = body; d.type = type; d.channel = channel
        d.assigneeID = assignee.map { agents[$0]! }; d.teamID = team
        return try await s.tickets.create(owner, d)
    }

    func rule(_ name: String, _ position: Int, team: String, _ strategy: RoutingStrategy, active: Bool = true,
              _ conditions: RoutingConditions = RoutingConditions()) async throws -> RoutingRule {
        try await s.routing.save(owner, RoutingRule(id: "", name: name, position: position, active: active, conditions: conditions,
                                                    teamID: team, strategy: strategy))
    }

    func inbox(_ key: String) async throws -> [String] {
        try await s.notifications.list(Scope(workspaceID: owner.workspaceID, userID: agents[key]!, role: .serviceAgent)).items.map(\.kind)
    }

    func step(_ kind: String, _ title: String, team: String? = nil, minutes: Int? = nil, approver: String? = nil, role: String? = nil) -> TicketStepDraft {
        var d = TicketStepDraft(); d.kind = kind; d.title = title; d.teamID = team; d.minutes = minutes
        d.approverID = approver.map { agents[$0]! }; d.approverRole = role
        return d
    }
}

@Suite("Routing rules and hand-offs across departments")
struct RoutingTests {
    @Test(arguments: Backend.all) func rulesAreTriedInOrderAndEachStrategyPicksItsAgent(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let f = try await ServiceFloor.make(s, owner)
            _ = try await s.routing.saveSkills(owner, userID: f.agents["q2"]!, skills: ["破损", "广东"])
            _ = try await s.routing.saveSkills(owner, userID: f.agents["q1"]!, skills: ["English"])
            // given an inactive catch-all first, breakage complaints to quality by skill, mail to after-sales in turn, the rest to the least loaded
            _ = try await f.rule("停用", 1, team: f.quality, .roundRobin, active: false)
            let broken = try await f.rule("破损投诉 😢", 10, team: f.quality, .skill, RoutingConditions(types: [.complaint], keywords: ["破损"]))
            _ = try await f.rule("邮件", 20, team: f.service, .roundRobin, RoutingConditions(channels: [.email]))
            _ = try await f.rule("其他", 90, team: f.service, .leastLoaded)
            // when a complaint about breakage comes in by mail
            let t1 = try await f.ticket("茶叶罐破损", body: "收到时罐子压扁了 😢", type: "complaint", channel: "email")
            // then quality has it, and the agent whose skills match it (breakage, the customer's province)
            #expect(t1.teamID == f.quality && t1.assigneeID == f.agents["q2"])
            let audit = try await s.audit.list(owner, object: "tickets", objectID: t1.id).items
            #expect(audit.contains { $0.action == "route" && $0.detail?.objectValue?["rule_id"] == .string(broken.id) })
            // when four more mails come: after-sales takes them in turn, the fourth back to the first
            var mailed: [String?] = []
            for n in 1...4 { mailed.append(try await f.ticket("发票问题\(n)", channel: "email").assigneeID) }
            let team = [f.agents["s1"]!, f.agents["s2"]!, f.agents["s3"]!].sorted()
            #expect(mailed == team + [team[0]])
            // when a phone inquiry comes: the least loaded after-sales agent (the first holds two, the others one: the earlier id of those)
            let t6 = try await f.ticket("怎么冲泡", channel: "phone")
            #expect(t6.teamID == f.service && t6.assigneeID == team[1])
            // (and mail read from the mailbox is routed the same way: the fifth mail, its sender's words in GB2312, to the second agent)
            let raw = customerMail(from: "\(gbWord("李雷")) <li.lei@example.cn>", subject: gbWord("发票抬头"), messageID: "m1@mail.example.cn", body: "请重开发票")
            guard case .opened(let mailed5, _) = try await s.mailIntake.take(raw, workspaceID: owner.workspaceID) else { Issue.record("not opened"); return }
            let fromMail = try await s.tickets.get(owner, id: mailed5)
            #expect(fromMail.teamID == f.service && fromMail.assigneeID == team[1])
            #expect(try await f.ticket("保质期", channel: "phone").assigneeID == team[2])
            // (loads now 2, 3, 2: the tie goes to the earlier id)
            #expect(try await f.ticket("冲泡水温", channel: "phone").assigneeID == team[0])
            // and an explicit assignee or department is never overridden
            let mine = try await f.ticket("茶叶罐破损", type: "complaint", assignee: "l1")
            #expect(mine.assigneeID == f.agents["l1"] && mine.teamID == nil)
            let given = try await f.ticket("茶叶罐破损", type: "complaint", team: f.finance)
            #expect(given.teamID == f.finance && given.assigneeID == nil)
            // and the agents' list shows their open tickets and skills
            let agents = try await s.routing.agents(owner)
            #expect(agents.first { $0.id == team[0] }?.openTickets == 3 && agents.first { $0.id == team[1] }?.openTickets == 3 && agents.first { $0.id == f.agents["q2"] }?.skills == ["破损", "广东"])
        }
    }

    @Test(arguments: Backend.all) func rulesAreForAdministratorsAndCheckedFieldByField(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let f = try await ServiceFloor.make(s, owner)
            let agent = try await f.scope("s1")
            // an agent may neither read nor change them
            await #expect(throws: DomainError.self) { _ = try await s.routing.rules(agent) }
            await #expect(throws: DomainError.forbidden("only administrators change service settings")) {
                _ = try await f.rule("x", 1, team: f.quality, .skill).id
                _ = try await s.routing.save(agent, RoutingRule(id: "", name: "x", position: 1, teamID: f.quality, strategy: .skill))
            }
            // a department of no one's workspace is refused by name, and a stale version by If-Match
            await #expect(throws: DomainError.field("team_id", "no such team")) {
                _ = try await s.routing.save(owner, RoutingRule(id: "", name: "x", position: 1, teamID: ID.make(), strategy: .skill))
            }
            let r = try await f.rule("物流问题", 5, team: f.logistics, .leastLoaded, RoutingConditions(keywords: ["快递", "物流"]))
            var changed = r; changed.position = 3
            await #expect(throws: DomainError.staleVersion(current: 1)) { _ = try await s.routing.save(owner, changed, id: r.id, ifVersion: 7) }
            #expect(try await s.routing.save(owner, changed, id: r.id, ifVersion: 1).version == 2)
            // and skills of someone outside the workspace are not found
            await #expect(throws: DomainError.notFound("user")) { _ = try await s.routing.saveSkills(owner, userID: ID.make(), skills: ["退款"]) }
        }
    }

    @Test(arguments: Backend.all) func aHandOffChainPromptsEachDepartmentTellsTheCustomerAndIsRecorded(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            // Friday 2026-11-06 16:00 in Shanghai; outgoing mail configured (nothing is sent in this test: it is queued)
            let friday = Date(timeIntervalSince1970: 1_793_952_000)
            let clock = ManualClock(friday)
            let s = stores(db, clock, mailer: SMTPMailer(url: "smtp://127.0.0.1:9", from: "关系客服 <kf@guanxi.test>"))
            let f = try await ServiceFloor.make(s, owner)
            // given quality's working hours (Mon–Fri 09:00–18:00), a complaint with after-sales' agent
            let week = ["mon", "tue", "wed", "thu", "fri"].map { "\"\($0)\":[[\"09:00\",\"18:00\"]]" }.joined(separator: ",")
            _ = try await s.serviceSettings.saveCalendar(owner, name: "品质部", json: #"{"time_zone":"Asia/Shanghai","week":{"# + week + "}}")
            let ticket = try await f.ticket("茶叶罐破损，要求退款", body: "罐子压扁了 😢", type: "complaint", assignee: "s1", team: f.service)
            let s1 = try await f.scope("s1"), q1 = try await f.scope("q1"), l1 = try await f.scope("l1")
            // when after-sales lays out the chain: itself, quality (240 business minutes), logistics, finance
            var chain = try await s.ticketSteps.add(s1, ticketID: ticket.id, f.step("handoff", "核实情况并收集照片", team: f.service, minutes: 60),
                                                    ifVersion: ticket.version)
            for (title, team, minutes) in [("质检判定 🔍", f.quality, 240), ("安排退货取件", f.logistics, 480), ("退款", f.finance, 120)] {
                chain = try await s.ticketSteps.add(s1, ticketID: ticket.id, f.step("handoff", title, team: team, minutes: minutes), ifVersion: nil)
            }
            // then only the first runs, the ticket stays with after-sales; the rest wait their turn
            #expect(chain.steps.map(\.state) == [.active, .pending, .pending, .pending])
            #expect(chain.ticket.teamID == f.service && chain.ticket.assigneeID == f.agents["s1"])
            #expect(try await f.inbox("q1").isEmpty)
            // when after-sales completes its step, with a note
            clock.set(friday)
            let passed = try await s.ticketSteps.complete(s1, ticketID: ticket.id, stepID: chain.steps[0].id, note: "照片已收到 📷",
                                                          customerMessage: nil, ifVersion: chain.ticket.version)
            // then its completion is recorded, quality's step runs with its deadline on quality's calendar (Monday 11:00)
            #expect(passed.steps[0].state == .done && passed.steps[0].completedBy == f.agents["s1"] && passed.steps[0].note == "照片已收到 📷")
            #expect(passed.steps[1].state == .active && passed.steps[1].dueAt.map(Timestamp.iso8601) == "2026-11-09T03:00:00.000Z")
            // and the ticket is quality's now, for anyone there to take
            #expect(passed.ticket.teamID == f.quality && passed.ticket.assigneeID == nil)
            // and quality's people are prompted in the app, the notifications waiting to be mailed
            let q1Inbox = try await f.inbox("q1"), q2Inbox = try await f.inbox("q2")
            #expect(q1Inbox == ["step_handoff"] && q2Inbox == ["step_handoff"])
            let unmailed = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'step_handoff' AND mailed_at IS NULL").first()!.decode(column: "n", as: Int.self)
            }
            #expect(unmailed >= 2)
            // and the customer is told what happens next, by a reply queued for mail to her address
            let reply = try #require(try await s.tickets.messages(owner, id: ticket.id).last { $0.kind == .reply })
            #expect(reply.kind == .reply && reply.body.contains("品质部") && reply.body.contains("2026-11-09 11:00"), "\(reply.body)")
            let row = try await s.messageRow(reply.id)
            #expect(row.state == "pending" && row.address == "wang.fang@example.cn")
            // and the hand-off is on the customer's timeline and in the audit log
            let timeline = try await s.timeline.list(owner, customerID: f.customer, kinds: [.ticket], cursor: nil, limit: 50).items
            #expect(timeline.contains { $0.data?["step"] == "handoff" && $0.data?["to_team"] == .string(f.quality) })
            #expect(timeline.contains { $0.data?["step"] == "step_done" && $0.data?["note"] == "照片已收到 📷" })
            let audit = try await s.audit.list(owner, object: "tickets", objectID: ticket.id).items.map(\.action)
            #expect(audit.contains("handoff") && audit.contains("handoff_start"))
            // when after-sales tries to act on quality's step: the ticket is no longer its
            await #expect(throws: DomainError.notFound("ticket")) {
                _ = try await s.ticketSteps.complete(s1, ticketID: ticket.id, stepID: passed.steps[1].id, note: nil, customerMessage: nil, ifVersion: nil)
            }
            // when quality completes with its own words to the customer: logistics runs and is prompted, the customer gets those words
            clock.advance(seconds: 3600)
            let judged = try await s.ticketSteps.complete(q1, ticketID: ticket.id, stepID: passed.steps[1].id, note: "运输破损",
                                                          customerMessage: "质检确认为运输破损，已安排上门取件。", ifVersion: passed.ticket.version)
            #expect(judged.ticket.teamID == f.logistics && judged.steps[2].state == .active)
            #expect(try await f.inbox("l1") == ["step_handoff"])
            #expect(try await s.tickets.messages(owner, id: ticket.id).last?.body == "质检确认为运输破损，已安排上门取件。")
            // and a stale version is refused, losing nothing
            await #expect(throws: DomainError.staleVersion(current: judged.ticket.version)) {
                _ = try await s.ticketSteps.complete(l1, ticketID: ticket.id, stepID: judged.steps[2].id, note: nil, customerMessage: nil,
                                                     ifVersion: passed.ticket.version)
            }
            #expect(try await s.ticketSteps.list(owner, ticketID: ticket.id)[2].state == .active)
        }
    }

    @Test(arguments: Backend.all) func childTasksAndApprovalsHoldTheTicketUntilDone(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let f = try await ServiceFloor.make(s, owner)
            let s1 = try await f.scope("s1"), l1 = try await f.scope("l1")
            let admin = Scope(workspaceID: owner.workspaceID, userID: f.agents["m1"], role: .admin)
            var t = try await f.ticket("退款申请", type: "return_refund", assignee: "s1", team: f.service)
            // given a child task for logistics and an approval for any administrator
            let task = try await s.ticketSteps.add(s1, ticketID: t.id, f.step("task", "确认退货已入库 📦", team: f.logistics, minutes: 120), ifVersion: nil)
            let approval = try await s.ticketSteps.add(s1, ticketID: t.id, f.step("approval", "退款 ¥1,280 审批", role: "admin"), ifVersion: nil)
            #expect(approval.steps.map(\.state) == [.active, .active])
            t = approval.ticket
            // then the ticket cannot be resolved or closed, by a status move or a reply, the field named
            await #expect(throws: DomainError.field("status", RoutingWords.blocked)) {
                _ = try await s.tickets.setStatus(s1, id: t.id, to: .resolved, ifVersion: nil)
            }
            await #expect(throws: DomainError.field("status", RoutingWords.blocked)) {
                _ = try await s.tickets.addMessage(s1, id: t.id, kind: .reply, body: "已退款", status: .closed)
            }
            #expect(try await s.tickets.messages(owner, id: t.id).count == 1)
            // and logistics, prompted, reaches the ticket through its task and completes it
            #expect(try await f.inbox("l1") == ["step_task"])
            #expect(try await s.tickets.get(l1, id: t.id).id == t.id)
            _ = try await s.ticketSteps.complete(l1, ticketID: t.id, stepID: task.steps[0].id, note: "已入库", customerMessage: nil, ifVersion: nil)
            #expect(try await f.inbox("s1").contains("step_done"))
            // but the approval still holds it; an agent may not decide it
            await #expect(throws: DomainError.field("status", RoutingWords.blocked)) {
                _ = try await s.tickets.setStatus(s1, id: t.id, to: .resolved, ifVersion: nil)
            }
            await #expect(throws: DomainError.forbidden("only the named approver may decide this step")) {
                _ = try await s.ticketSteps.decide(s1, ticketID: t.id, stepID: approval.steps[1].id, approve: true, note: nil, ifVersion: nil)
            }
            // when an administrator approves, the ticket resolves
            let decided = try await s.ticketSteps.decide(admin, ticketID: t.id, stepID: approval.steps[1].id, approve: true, note: "同意 👍", ifVersion: nil)
            #expect(decided.steps[1].state == .approved && decided.steps[1].completedBy == f.agents["m1"])
            #expect(try await s.tickets.setStatus(s1, id: t.id, to: .resolved, ifVersion: nil).status == .resolved)
            let audit = try await s.audit.list(owner, object: "tickets", objectID: t.id).items.map(\.action)
            #expect(audit.contains("approve") && audit.contains("step_done") && audit.contains("step_add"))
        }
    }

    @Test(arguments: Backend.all) func anOverdueStepRaisesOneAlarmToItsDepartmentsManager(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            let clock = ManualClock(start)
            let s = stores(db, clock)
            let f = try await ServiceFloor.make(s, owner)
            let t = try await f.ticket("漏发配件", assignee: "s1", team: f.service)
            // given a child task for after-sales (manager 老刘) due in an hour, around the clock, and one done in time
            let late = try await s.ticketSteps.add(owner, ticketID: t.id, f.step("task", "补发盖子", team: f.service, minutes: 60), ifVersion: nil)
            let done = try await s.ticketSteps.add(owner, ticketID: t.id, f.step("task", "致电道歉", team: f.service, minutes: 30), ifVersion: nil)
            _ = try await s.ticketSteps.complete(owner, ticketID: t.id, stepID: done.steps[1].id, note: nil, customerMessage: nil, ifVersion: nil)
            let monitor = SLAMonitor(db: db, clock: clock)
            // when the monitor looks before the deadline: nothing
            clock.advance(seconds: 59 * 60)
            #expect(try await monitor.scanSteps(since: start).isEmpty)
            // when it looks after it: the late task is escalated once to the manager, and written to the audit log
            clock.advance(seconds: 2 * 60)
            #expect(try await monitor.scanSteps(since: start).map(\.id) == [late.steps[0].id])
            #expect(try await monitor.scanSteps(since: start).isEmpty)
            #expect(try await f.inbox("m1").filter { $0 == "step_overdue" }.count == 1)
            let audit = try await s.audit.list(owner, object: "tickets", objectID: t.id).items
            #expect(audit.contains { $0.action == "step_overdue" })
            // when it is completed late, nothing more is raised
            _ = try await s.ticketSteps.complete(owner, ticketID: t.id, stepID: late.steps[0].id, note: "已补发", customerMessage: nil, ifVersion: nil)
            clock.advance(days: 1)
            #expect(try await monitor.scanSteps(since: start).isEmpty)
        }
    }
}
