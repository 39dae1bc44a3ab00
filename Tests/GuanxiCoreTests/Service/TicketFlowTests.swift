import Foundation
import Testing
@testable import GuanxiCore

@Suite("Ticket flow: status and SLA clock, and who reaches a ticket")
struct TicketFlowTests {
    /// Mon–Fri 09:00–12:00 and 13:30–18:00 in Shanghai.
    static let calendar = try! BusinessCalendar.parse("""
        {"time_zone":"Asia/Shanghai","week":{"mon":[["09:00","12:00"],["13:30","18:00"]],"tue":[["09:00","12:00"],["13:30","18:00"]],
         "wed":[["09:00","12:00"],["13:30","18:00"]],"thu":[["09:00","12:00"],["13:30","18:00"]],"fri":[["09:00","12:00"],["13:30","18:00"]]}}
        """)
    static let targets = SLATargets(firstResponse: 240, nextResponse: 60, resolution: 480)

    /// Shanghai wall time on Monday 2026-09-28 plus `days`.
    static func at(_ hm: String, days: Int = 0) -> Date {
        let p = hm.split(separator: ":").compactMap { Int($0) }
        let seconds: Int = days * 86_400 + p[0] * 3_600 + p[1] * 60 - 8 * 3_600
        return Date(timeIntervalSince1970: 1_790_553_600 + Double(seconds))
    }

    func opened(at created: Date) -> Ticket {
        let sla = TicketSLA(awaitingReplySince: created).planned(createdAt: created, targets: Self.targets, calendar: Self.calendar)
        return Ticket(id: ID.make(), number: 1, customerID: ID.make(), subject: "破损", type: .complaint, priority: .normal, status: .new,
                      channel: .phone, teamID: nil, assigneeID: nil, orderID: nil, tags: [], sla: sla, createdBy: nil,
                      createdAt: created, updatedAt: created, version: 1)
    }

    @Test func dueTimesCountWorkingHoursAroundTheLunchBreak() {
        // given a ticket opened Monday 09:00
        let t = opened(at: Self.at("09:00"))
        // then 240 business minutes end at 14:30 (09:00–12:00, then 13:30–14:30); 480 run into Tuesday (450 on Monday)
        #expect(t.sla.firstResponseDueAt == Self.at("14:30"))
        #expect(t.sla.resolutionDueAt == Self.at("09:30", days: 1))
        #expect(t.sla.nextResponseDueAt == nil)
    }

    @Test func aReplyAnswersTheCustomerAndWaitingStopsTheClock() throws {
        var t = opened(at: Self.at("09:00"))
        // when an agent replies at 10:00
        t = try TicketFlow.apply(t, .agentReply, at: Self.at("10:00"), targets: Self.targets, calendar: Self.calendar)
        // then it is answered and open
        #expect(t.status == .open && t.sla.firstRespondedAt == Self.at("10:00") && t.sla.awaitingReplySince == nil)
        // when it waits on the customer from 10:30 and the customer writes at 15:30 (4 working hours later)
        t = try TicketFlow.apply(t, .status(.waitingCustomer), at: Self.at("10:30"), targets: Self.targets, calendar: Self.calendar)
        #expect(t.sla.pausedSince == Self.at("10:30"))
        #expect(t.sla.breached(at: Self.at("17:59")) == (false, false, false))
        t = try TicketFlow.apply(t, .customerMessage, at: Self.at("15:30"), targets: Self.targets, calendar: Self.calendar)
        // then it is open again, the clock runs, and resolution moved by the pause's business time (10:30–12:00, 13:30–15:30 = 210 min)
        #expect(t.status == .open && t.sla.pausedSince == nil && t.sla.pauses == [Self.at("10:30")..<Self.at("15:30")])
        #expect(t.sla.resolutionDueAt == Self.at("14:30", days: 1))   // Tuesday 09:30 + 210 business minutes
        // and the customer waits for the next answer: 60 business minutes
        #expect(t.sla.nextResponseDueAt == Self.at("16:30"))
        #expect(t.sla.breached(at: Self.at("16:31")).nextResponse)
    }

    @Test func resolvedTicketsReopenWhenTheCustomerWritesAndClosedOnesOnlyReopen() throws {
        var t = opened(at: Self.at("09:00"))
        t = try TicketFlow.apply(t, .status(.resolved), at: Self.at("11:00"), targets: Self.targets, calendar: Self.calendar)
        #expect(t.sla.resolvedAt == Self.at("11:00") && t.sla.pausedSince == Self.at("11:00"))
        #expect(!t.sla.breached(at: Self.at("09:00", days: 3)).resolution)
        t = try TicketFlow.apply(t, .customerMessage, at: Self.at("14:00"), targets: Self.targets, calendar: Self.calendar)
        #expect(t.status == .reopened && t.sla.resolvedAt == nil && t.sla.pausedSince == nil)
        t = try TicketFlow.apply(t, .status(.closed), at: Self.at("15:00"), targets: Self.targets, calendar: Self.calendar)
        #expect(throws: DomainError.conflict("a closed ticket cannot become open")) {
            try TicketFlow.apply(t, .status(.open), at: Self.at("16:00"), targets: Self.targets, calendar: Self.calendar)
        }
    }

    @Test func aPolicyChangePlansTheDueTimesAgainFromCreation() {
        let t = opened(at: Self.at("09:00"))
        let faster = t.sla.planned(createdAt: t.createdAt, targets: SLATargets(firstResponse: 30, nextResponse: nil, resolution: nil),
                                   calendar: Self.calendar)
        #expect(faster.firstResponseDueAt == Self.at("09:30") && faster.resolutionDueAt == nil)
        let allDay = t.sla.planned(createdAt: t.createdAt, targets: Self.targets, calendar: .aroundTheClock)
        #expect(allDay.firstResponseDueAt == Self.at("13:00"))
    }

    @Test func policiesAreTriedInOrderAndTheFirstThatMatchesWins() {
        let vip = SLAPolicy(id: "vip", name: "VIP", position: 1, tiers: ["A"], targets: [:])
        let complaints = SLAPolicy(id: "complaints", name: "投诉", position: 2, types: [.complaint], targets: [:])
        let off = SLAPolicy(id: "off", name: "停用", position: 0, targets: [:], active: false)
        let all = [SLAPolicy.standard(id: "standard", calendarID: nil), complaints, vip, off]
        #expect(SLAPolicy.select(all, type: .complaint, channel: .web, tier: "A")?.id == "vip")
        #expect(SLAPolicy.select(all, type: .complaint, channel: .web, tier: nil)?.id == "complaints")
        #expect(SLAPolicy.select(all, type: .inquiry, channel: .email, tier: "B")?.id == "standard")
    }

    @Test func ticketsReachTheirAssigneeOpenerDepartmentAndCustomerOwner() throws {
        let agent = Scope(workspaceID: "w", userID: "agent", roleKey: "service_agent", permissions: Role.serviceAgent.permissions,
                          teamIDs: ["service"], teamUserIDs: ["agent", "mate"])
        let rep = Scope(workspaceID: "w", userID: "rep", role: .salesRep)
        let departments = TicketAccess(assigneeID: nil, teamID: "service", createdBy: nil, customerOwnerID: "rep")
        let mates = TicketAccess(assigneeID: "mate", teamID: "quality", createdBy: nil, customerOwnerID: nil)
        let elsewhere = TicketAccess(assigneeID: "other", teamID: "finance", createdBy: nil, customerOwnerID: "someone")
        // an agent works their department's tickets and their teammates'
        #expect(throws: Never.self) { try departments.authorize(agent, .update) }
        #expect(throws: Never.self) { try mates.authorize(agent, .assign) }
        #expect(throws: DomainError.notFound("ticket")) { try elsewhere.authorize(agent, .read) }
        // a sales rep reads their customers' tickets but does not work them
        #expect(throws: Never.self) { try departments.authorize(rep, .read) }
        #expect(throws: DomainError.forbidden("your role may not update tickets")) { try departments.authorize(rep, .update) }
        #expect(throws: DomainError.notFound("ticket")) { try mates.authorize(rep, .read) }
    }

    @Test func draftsAreCleanedAndBadFieldsNamedAtOnce() throws {
        var d = TicketDraft()
        d.customerID = ID.make(); d.subject = "  多行\n主题 😀 "; d.body = "第一行\n第二行"; d.type = "COMPLAINT"; d.tags = ["VIP", " VIP ", ""]
        let v = try d.validated()
        #expect(v.subject == "多行 主题 😀" && v.body == "第一行\n第二行" && v.type == .complaint && v.priority == .normal && v.tags == ["VIP"])
        var bad = TicketDraft()
        bad.customerID = "x'; DROP TABLE tickets; --"; bad.type = "gripe"; bad.priority = "p0"; bad.channel = "fax"
        #expect(throws: DomainError.self) { try bad.validated() }
        do { _ = try bad.validated() } catch {
            guard case .validation(let m) = error else { Issue.record("\(error)"); return }
            #expect(Set(m.keys) == ["subject", "body", "customer_id", "type", "priority", "channel"])
        }
    }
}
