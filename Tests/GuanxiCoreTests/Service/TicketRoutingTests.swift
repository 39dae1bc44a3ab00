import Foundation
import Testing
@testable import GuanxiCore

@Suite("Ticket routing and steps: the rules decide, pure")
struct TicketRoutingTests {
    static let quality = "01900000-0000-7000-8000-000000000001", aftersales = "01900000-0000-7000-8000-000000000002"

    static func facts(_ type: TicketType = .inquiry, _ channel: TicketChannel = .web, tier: String? = nil, province: String? = nil,
                      subject: String = "咨询", body: String = "请问", products: [String] = []) -> RoutingFacts {
        RoutingFacts(type: type, channel: channel, tier: tier, province: province, subject: subject, body: body, products: products)
    }

    static func rule(_ id: String, _ position: Int, active: Bool = true, _ c: RoutingConditions, team: String = aftersales,
                     _ strategy: RoutingStrategy = .leastLoaded) -> RoutingRule {
        RoutingRule(id: id, name: id, position: position, active: active, conditions: c, teamID: team, strategy: strategy)
    }

    @Test func theFirstActiveRuleByPositionThatMatchesWins() {
        // given rules out of order: an inactive catch-all first, complaints about breakage, email, then anything
        let rules = [
            Self.rule("any", 90, RoutingConditions()),
            Self.rule("off", 1, active: false, RoutingConditions()),
            Self.rule("email", 20, RoutingConditions(channels: [.email])),
            Self.rule("broken", 10, RoutingConditions(types: [.complaint], keywords: ["破损", "ＶＩＰ"]), team: Self.quality),
        ]
        // then a complaint naming breakage goes to quality, whatever its channel; the keyword may be in the message
        #expect(TicketRouter.rule(for: Self.facts(.complaint, .email, body: "茶叶罐破损了 😢"), in: rules)?.id == "broken")
        // and full-width and case do not matter ("ＶＩＰ" matches "vip")
        #expect(TicketRouter.rule(for: Self.facts(.complaint, subject: "vip 客户投诉"), in: rules)?.id == "broken")
        // and a complaint without the words falls to the next rule that holds; the inactive rule never matches
        #expect(TicketRouter.rule(for: Self.facts(.complaint, .email), in: rules)?.id == "email")
        #expect(TicketRouter.rule(for: Self.facts(.inquiry, .phone), in: rules)?.id == "any")
        #expect(TicketRouter.rule(for: Self.facts(), in: [Self.rule("off", 1, active: false, RoutingConditions())]) == nil)
    }

    @Test func tiersProvincesAndProductsMustAllHold() {
        let c = RoutingConditions(tiers: ["A"], products: ["TEA-01"], provinces: ["广东"])
        let r = [Self.rule("r", 1, c)]
        // given a tier-A customer in 广东省 whose order holds TEA-01 (SKUs and names compare case-blind, provinces by their start)
        #expect(TicketRouter.rule(for: Self.facts(tier: "a", province: "广东省", products: ["tea-01", "铁观音礼盒"]), in: r) != nil)
        // then any one condition missing fails the rule
        #expect(TicketRouter.rule(for: Self.facts(tier: "B", province: "广东省", products: ["TEA-01"]), in: r) == nil)
        #expect(TicketRouter.rule(for: Self.facts(tier: "A", province: "浙江省", products: ["TEA-01"]), in: r) == nil)
        #expect(TicketRouter.rule(for: Self.facts(tier: "A", province: "广东省"), in: r) == nil)
        #expect(TicketRouter.rule(for: Self.facts(tier: nil, province: "广东省", products: ["TEA-01"]), in: r) == nil)
        // and a product given by name matches a line whose name contains it
        #expect(TicketRouter.rule(for: Self.facts(products: ["安溪铁观音礼盒"]), in: [Self.rule("n", 1, RoutingConditions(products: ["铁观音"]))]) != nil)
    }

    @Test func eachStrategyPicksItsAgent() {
        let a = RoutingCandidate(userID: "a", skills: ["英语"], load: 3)
        let b = RoutingCandidate(userID: "b", skills: ["破损", "complaint"], load: 5)
        let c = RoutingCandidate(userID: "c", skills: [], load: 1)
        let f = Self.facts(.complaint, subject: "罐子破损")
        // round-robin takes the members in id order, turn by turn
        let rr = Self.rule("rr", 1, RoutingConditions(), .roundRobin)
        #expect((0..<4).map { TicketRouter.agent(rr, facts: f, candidates: [c, a, b], turn: Int64($0)) } == ["a", "b", "c", "a"])
        // least-loaded takes the fewest open tickets
        #expect(TicketRouter.agent(Self.rule("ll", 1, RoutingConditions()), facts: f, candidates: [a, b, c], turn: 0) == "c")
        // skill takes the most matching skills (b: the type and a word of the subject), busy as b is
        let sk = Self.rule("sk", 1, RoutingConditions(), .skill)
        #expect(TicketRouter.skillMatches(b.skills, f) == 2 && TicketRouter.skillMatches(a.skills, f) == 0)
        #expect(TicketRouter.agent(sk, facts: f, candidates: [a, b, c], turn: 0) == "b")
        // with no skill matching, the least loaded; with nobody, nobody
        #expect(TicketRouter.agent(sk, facts: Self.facts(subject: "发票"), candidates: [a, b, c], turn: 0) == "c")
        #expect(TicketRouter.agent(sk, facts: f, candidates: [], turn: 0) == nil)
    }

    @Test func aRuleIsCheckedFieldByField() throws {
        // given a rule with every field wrong
        var d = RoutingRuleDraft()
        d.name = "  "; d.teamID = "not-an-id"; d.strategy = "random"; d.position = -3
        d.conditions.types = ["complaint", "rant"]; d.conditions.keywords = Array(repeating: "词", count: 1) + (0..<60).map { "k\($0)" }
        // then each is named
        #expect(throws: DomainError.validation(["name": "is required", "team_id": RoutingWords.department,
                                                "strategy": "must be one of round_robin, least_loaded, skill", "position": RoutingWords.position,
                                                "conditions.types": "must be one of inquiry, complaint, repair, return_refund, product_feedback, defect",
                                                "conditions.keywords": RoutingWords.list])) { try d.rule() }
        // and a good one comes back cleaned: Chinese and emoji kept, blanks and repeats dropped
        var ok = RoutingRuleDraft()
        ok.name = " 破损投诉 😢 "; ok.teamID = Self.quality.uppercased(); ok.conditions.keywords = ["破损", " ", "破损", "壊れ 😢"]
        let r = try ok.rule()
        #expect(r.name == "破损投诉 😢" && r.teamID == Self.quality && r.conditions.keywords == ["破损", "壊れ 😢"] && r.strategy == .leastLoaded)
        #expect(throws: DomainError.field("skills", RoutingWords.skills)) { try TicketRouter.skills((0..<31).map { "技能\($0)" }) }
        #expect(try TicketRouter.skills([" 退款 ", "退款", "ENGLISH", "english", ""]) == ["退款", "ENGLISH"])
    }

    // MARK: Steps

    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func step(_ id: String, _ position: Int, _ kind: TicketStepKind, _ state: TicketStepState, team: String? = quality,
                     approver: String? = nil, role: String? = nil) -> TicketStep {
        TicketStep(id: id, ticketID: "t", position: position, kind: kind, state: state, teamID: team, title: id, approverID: approver,
                   approverRole: role, createdBy: "s1", createdAt: now)
    }

    @Test func theChainPassesFromStepToStepInOrder() throws {
        let steps = [Self.step("h1", 1, .handoff, .active), Self.step("t1", 2, .task, .active), Self.step("h3", 4, .handoff, .pending),
                     Self.step("h2", 3, .handoff, .pending)]
        // a hand-off waits while another is open; tasks and approvals start at once
        #expect(!TicketChain.startsAtOnce(.handoff, existing: steps) && TicketChain.startsAtOnce(.task, existing: steps))
        #expect(TicketChain.startsAtOnce(.handoff, existing: [Self.step("d", 1, .handoff, .done)]))
        // completing the active hand-off records who, when and the note, and starts the next by position
        let (done, next) = try TicketChain.complete("h1", in: steps, by: "q1", note: "已拍照 📷", at: Self.now)
        #expect(done.state == .done && done.completedBy == "q1" && done.completedAt == Self.now && done.note == "已拍照 📷")
        #expect(next?.id == "h2")
        // a task completes without starting anything; a pending step or an approval cannot be completed
        #expect(try TicketChain.complete("t1", in: steps, by: "q1", note: nil, at: Self.now).next == nil)
        #expect(throws: DomainError.conflict("this step is pending, not active")) { try TicketChain.complete("h2", in: steps, by: "q1", note: nil, at: Self.now) }
        #expect(throws: DomainError.notFound("step")) { try TicketChain.complete("nope", in: steps, by: "q1", note: nil, at: Self.now) }
    }

    @Test func onlyTheNamedApproverOrARoleHolderDecides() throws {
        let steps = [Self.step("a1", 1, .approval, .active, team: nil, approver: "boss"), Self.step("a2", 2, .approval, .active, team: nil, role: "admin")]
        let boss = Scope(workspaceID: "w", userID: "boss", role: .salesManager), agent = Scope(workspaceID: "w", userID: "s1", role: .serviceAgent)
        let admin = Scope(workspaceID: "w", userID: "ad", role: .admin)
        #expect(try TicketChain.decide("a1", in: steps, approve: true, scope: boss, note: "同意", at: Self.now).state == .approved)
        #expect(try TicketChain.decide("a2", in: steps, approve: false, scope: admin, note: nil, at: Self.now).state == .rejected)
        #expect(throws: DomainError.forbidden("only the named approver may decide this step")) {
            try TicketChain.decide("a1", in: steps, approve: true, scope: agent, note: nil, at: Self.now)
        }
        #expect(throws: DomainError.forbidden("only the named approver may decide this step")) {
            try TicketChain.decide("a2", in: steps, approve: true, scope: boss, note: nil, at: Self.now)
        }
    }

    @Test func openTasksAndApprovalsHoldTheTicket() throws {
        let task = Self.step("t", 1, .task, .active), approval = Self.step("a", 2, .approval, .active, team: nil, approver: "boss")
        let handoff = Self.step("h", 3, .handoff, .active)
        #expect(throws: DomainError.field("status", RoutingWords.blocked)) { try TicketChain.checkResolvable(.resolved, openSteps: [handoff, task]) }
        #expect(throws: DomainError.field("status", RoutingWords.blocked)) { try TicketChain.checkResolvable(.closed, openSteps: [approval]) }
        // a hand-off under way, a finished task, or a move that does not finish the ticket hold nothing
        try TicketChain.checkResolvable(.resolved, openSteps: [handoff, Self.step("t2", 4, .task, .done)])
        try TicketChain.checkResolvable(.waitingCustomer, openSteps: [task, approval])
    }

    @Test func aStepsDeadlineCountsOnItsDepartmentsCalendar() throws {
        // Mon–Fri 09:00–18:00 in Shanghai; Friday 2026-11-06 16:00 (08:00Z)
        let cal = try BusinessCalendar.parse(#"{"time_zone":"Asia/Shanghai","week":{"mon":[["09:00","18:00"]],"tue":[["09:00","18:00"]],"wed":[["09:00","18:00"]],"thu":[["09:00","18:00"]],"fri":[["09:00","18:00"]]}}"#)
        let friday = Date(timeIntervalSince1970: 1_793_952_000)
        var s = Self.step("h", 1, .handoff, .pending); s.minutes = 240
        let started = s.activated(at: friday, calendar: TicketStep.calendar(department: "品质部", in: ["品质部": cal]))
        // two hours on Friday, two on Monday morning: Monday 11:00 (03:00Z)
        #expect(started.state == .active && started.activatedAt == friday && started.dueAt.map(Timestamp.iso8601) == "2026-11-09T03:00:00.000Z")
        #expect(!started.isOverdue(at: friday) && started.isOverdue(at: Date(timeIntervalSince1970: 1_794_193_201)))
        // a department without its own calendar uses "default", else every minute counts
        #expect(try TicketStep.calendar(department: "物流部", in: ["default": cal]).due(from: friday, minutes: 240) == started.dueAt)
        #expect(try TicketStep.calendar(department: nil, in: [:]).due(from: friday, minutes: 240) == friday.addingTimeInterval(4 * 3600))
    }

    @Test func aStepDraftNamesEachBadField() throws {
        var d = TicketStepDraft(); d.kind = "approval"; d.title = ""; d.approverID = ID.make(); d.approverRole = "admin"; d.minutes = 0
        #expect(throws: DomainError.validation(["title": "is required", "approver_id": RoutingWords.approver,
                                                "minutes": RoutingWords.minutes])) { try d.validated() }
        var h = TicketStepDraft(); h.kind = "handoff"; h.title = "转质检"
        #expect(throws: DomainError.validation(["team_id": RoutingWords.stepDepartment])) { try h.validated() }
        var k = TicketStepDraft(); k.kind = "escalate"; k.title = "x"
        #expect(throws: DomainError.validation(["kind": "must be one of handoff, task, approval"])) { try k.validated() }
        var ok = TicketStepDraft(); ok.title = " 核实物流 📦 "; ok.teamID = ID.make()
        #expect(try ok.validated() == (.handoff, "核实物流 📦"))
    }

    @Test func activeHandOffsAndTasksReachTheirPeopleButApprovalsDoNot() {
        let access = TicketAccess(assigneeID: "s1", teamID: "service", createdBy: nil, customerOwnerID: nil)
        var task = Self.step("t", 1, .task, .active, team: "logistics"); task.assigneeID = "l2"
        let steps = [task, Self.step("a", 2, .approval, .active, team: nil, approver: "boss"), Self.step("p", 3, .handoff, .pending, team: "finance")]
        let reached = access.reaching(steps)
        let logistics = Scope(workspaceID: "w", userID: "l1", roleKey: "service_agent", permissions: Role.serviceAgent.permissions, teamIDs: ["logistics"])
        let finance = Scope(workspaceID: "w", userID: "f1", roleKey: "service_agent", permissions: Role.serviceAgent.permissions, teamIDs: ["finance"])
        #expect(!access.reached(by: logistics, at: .team) && reached.reached(by: logistics, at: .team))
        #expect(reached.reached(by: Scope(workspaceID: "w", userID: "l2", role: .salesRep), at: .own))
        // a pending hand-off's department and an approval's approver get nothing from it
        #expect(!reached.reached(by: finance, at: .team))
        #expect(!reached.reached(by: Scope(workspaceID: "w", userID: "boss", role: .salesRep), at: .own))
    }
}

extension TicketRoutingTests {
    @Test func aHandOffGivesTheTicketToItsDepartment() {
        let t = Ticket(id: "t", number: 7, customerID: "c", subject: "破损", type: .complaint, priority: .normal, status: .open, channel: .phone,
                       teamID: "service", assigneeID: "s1", orderID: nil, tags: [], sla: TicketSLA(), createdBy: nil, createdAt: Self.now,
                       updatedAt: Self.now, version: 3)
        // another department: for anyone there to take, or for the person the step names
        let quality = TicketChain.handedOver(t, to: Self.step("q", 1, .handoff, .pending, team: "quality"))
        #expect(quality.teamID == "quality" && quality.assigneeID == nil)
        var named = Self.step("q", 1, .handoff, .pending, team: "quality"); named.assigneeID = "q1"
        #expect(TicketChain.handedOver(t, to: named).assigneeID == "q1")
        // its own department: whoever has it keeps it
        #expect(TicketChain.handedOver(t, to: Self.step("s", 1, .handoff, .pending, team: "service")).assigneeID == "s1")
        // and the customer is told who has it and by when, or that the steps are done
        #expect(TicketChain.customerNotice(number: 7, department: "品质部", dueAt: "2026-11-09 11:00").contains("已转交「品质部」继续处理，预计 2026-11-09 11:00 前完成"))
        #expect(TicketChain.customerNotice(number: 7, department: nil, dueAt: nil).contains("#7 的各项处理环节已完成"))
    }
}
