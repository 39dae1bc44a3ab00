import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("SLA monitor: warnings before, escalations after, once each")
struct SLAMonitorTests {
    @Test(arguments: Backend.all) func theAssigneeIsWarnedThenTheManagerToldOfTheBreachOnce(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            // given a department with a manager and an agent, and an urgent ticket assigned to the agent (30 minutes to answer, around the clock)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            let clock = ManualClock(start)
            let s = stores(db, clock)
            let agent = try await s.access.createUser(email: "agent@example.cn", password: "password-agent", name: "客服小王", role: .serviceAgent,
                                                      workspaceID: owner.workspaceID)
            let boss = try await s.access.createUser(email: "boss@example.cn", password: "password-boss", name: "主管", role: .salesManager,
                                                     workspaceID: owner.workspaceID)
            let team = try await s.access.saveTeam(owner, name: "客服部", kind: "service", parentID: nil, managerID: boss.id, memberIDs: [agent.id])
            var c = CustomerDraft(); c.kind = .person; c.name = "顾客"
            let customer = try await s.customers.create(owner, c)
            var d = TicketDraft(); d.customerID = customer.id; d.subject = "漏发配件"; d.body = "少了一个盖子"; d.priority = "urgent"
            d.teamID = team.id; d.assigneeID = agent.id
            let ticket = try await s.tickets.create(owner, d)
            let monitor = SLAMonitor(db: db, clock: clock, warningLead: 10 * 60)
            func inbox(_ user: String) async throws -> [String] {
                try await s.notifications.list(Scope(workspaceID: owner.workspaceID, userID: user, role: .serviceAgent)).items.map(\.kind)
            }
            // when the monitor looks 5 minutes in: nothing is near
            clock.advance(seconds: 5 * 60)
            #expect(try await monitor.scan(since: start).isEmpty)
            // when it looks 21 minutes in: the agent is warned about the first response (due at 30)
            clock.advance(seconds: 16 * 60)
            let warned = try await monitor.scan(since: start.addingTimeInterval(5 * 60))
            #expect(warned.map(\.alarm.kind) == [.warning] && warned.map(\.alarm.target) == [.firstResponse])
            #expect(try await inbox(agent.id) == ["sla_warning_first_response"])
            #expect(try await inbox(boss.id).isEmpty)
            // when the due time passes unanswered: the agent and the manager are told, once, even if passes repeat
            clock.advance(seconds: 10 * 60)
            let breached = try await monitor.scan(since: start.addingTimeInterval(21 * 60))
            #expect(breached.map(\.alarm.kind) == [.breach])
            #expect(try await monitor.scan(since: start.addingTimeInterval(21 * 60)).isEmpty)
            #expect(try await inbox(agent.id) == ["sla_breach_first_response", "sla_warning_first_response"])
            #expect(try await inbox(boss.id) == ["sla_breach_first_response"])
            // and the breach is in the audit log
            let audit = try await s.audit.list(owner, object: "tickets")
            #expect(audit.items.contains { $0.action == "sla_breach" && $0.objectID == ticket.id })
            // when the agent answers and the ticket waits on the customer, its clock raises nothing more
            _ = try await s.tickets.addMessage(owner, id: ticket.id, kind: .reply, body: "马上补发", status: .waitingCustomer)
            clock.advance(days: 3)
            #expect(try await monitor.scan(since: start.addingTimeInterval(31 * 60)).isEmpty)
        }
    }
}
