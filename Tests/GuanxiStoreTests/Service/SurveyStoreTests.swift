import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Satisfaction surveys: made and mailed on resolution, answered once, negative feedback followed up")
struct SurveyStoreTests {
    /// The survey link's token in the mail queued on the ticket (nil when none was queued).
    static func mailedToken(_ s: Stores, ticketID: String) async throws -> (token: String, state: String?, address: String?, count: Int)? {
        let rows = try await s.db.read { sql in
            try await sql.raw("""
                SELECT body, mail_state, mail_address FROM ticket_messages WHERE ticket_id = \(bind: ticketID) AND kind = 'reply' AND author_id IS NULL AND body LIKE '%/s/%'
                ORDER BY created_at, id
                """).all().map { (try $0.decode(column: "body", as: String.self), try $0.decode(column: "mail_state", as: String?.self),
                                  try $0.decode(column: "mail_address", as: String?.self)) }
        }
        guard let last = rows.last, let range = last.0.range(of: "https://crm.example.cn/s/") else { return nil }
        let token = String(last.0[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        return (token, last.1, last.2, rows.count)
    }

    @Test(arguments: Backend.all)
    func aResolvedTicketMailsOneSurveyPerResolutionAndANegativeAnswerIsFollowedUp(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            // given a department with a manager and an agent, a customer with an address, a ticket assigned to the agent, and outgoing mail
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            let clock = ManualClock(start)
            let mailer = try #require(SMTPMailer(url: "smtp://127.0.0.1:9", from: "关系客服 <kf@guanxi.test>"))
            let s = Stores(db: db, clock: clock, mailer: mailer, publicURL: "https://crm.example.cn/")
            let ws = owner.workspaceID
            let agent = try await s.access.createUser(email: "agent@example.cn", password: "password-agent", name: "客服小王", role: .serviceAgent, workspaceID: ws)
            let boss = try await s.access.createUser(email: "boss@example.cn", password: "password-boss", name: "主管", role: .salesManager, workspaceID: ws)
            let other = try await s.access.createUser(email: "other@example.cn", password: "password-other", name: "旁人", role: .serviceAgent, workspaceID: ws)
            let team = try await s.access.saveTeam(owner, name: "客服部", kind: "service", parentID: nil, managerID: boss.id, memberIDs: [agent.id])
            var c = CustomerDraft(); c.kind = .person; c.name = "王芳"; c.emails = ["wang.fang@example.cn"]
            let customer = try await s.customers.create(owner, c)
            var d = TicketDraft(); d.customerID = customer.id; d.subject = "茶叶罐破损"; d.body = "罐子压扁了 😢"; d.teamID = team.id; d.assigneeID = agent.id
            let ticket = try await s.tickets.create(owner, d)
            let agentScope = Scope(workspaceID: ws, userID: agent.id, role: .serviceAgent)

            // when it is resolved with a reply
            _ = try await s.tickets.addMessage(owner, id: ticket.id, kind: .reply, body: "已为您补发。", status: .resolved)
            // then one survey mail is queued to the customer with a link on the public address, in Chinese with an English line
            let mailed = try #require(try await Self.mailedToken(s, ticketID: ticket.id))
            #expect(mailed.state == "pending" && mailed.address == "wang.fang@example.cn" && mailed.count == 1 && mailed.token.count >= 40)
            let body = try #require(try await s.tickets.messages(owner, id: ticket.id).first { $0.body.contains("/s/\(mailed.token)") }?.body)
            #expect(body.contains("已经解决") && body.contains("Please rate our service") && body.contains("#\(ticket.number)"))
            // and the API's survey is unanswered, open for 30 days
            var survey = try #require(try await s.surveys.latest(owner, ticketID: ticket.id))
            #expect(survey.answeredAt == nil && survey.expiresAt == start.addingTimeInterval(30 * 86_400) && survey.replyState == nil)

            // when the page is opened (twice, as a link scanner would): nothing is recorded
            let visit = try await s.surveys.visit(token: mailed.token)
            _ = try await s.surveys.visit(token: mailed.token)
            #expect(visit.state == .open && visit.number == ticket.number && visit.subject == "茶叶罐破损")
            #expect(try await s.surveys.latest(owner, ticketID: ticket.id)?.answeredAt == nil)

            // when an answer comes without the form's nonce, or with a rating out of range: refused, nothing recorded
            await #expect(throws: DomainError.self) {
                _ = try await s.surveys.answer(token: mailed.token, nonce: "forged", rating: "1", nps: nil, comment: nil)
            }
            do {
                _ = try await s.surveys.answer(token: mailed.token, nonce: visit.nonce, rating: "6", nps: "11", comment: nil)
                Issue.record("a rating of 6 was taken")
            } catch let DomainError.validation(errors) {
                #expect(Set(errors.keys) == ["rating", "nps"])
            }

            // when the customer answers 2 stars with a Chinese and emoji comment, two hours later
            clock.advance(seconds: 2 * 3600)
            let answeredAt = clock.now()
            let outcome = try await s.surveys.answer(token: mailed.token, nonce: visit.nonce, rating: "2", nps: "3", comment: "  回复太慢了 😡 ")
            guard case .recorded(let answer) = outcome else { Issue.record("\(outcome)"); return }
            // then it is negative feedback with a reply due 24 hours later
            #expect(answer.rating == 2 && answer.nps == 3 && answer.comment == "回复太慢了 😡" && answer.negative)
            #expect(answer.replyDueAt == answeredAt.addingTimeInterval(24 * 3600) && answer.replyState == .due)
            // and the agent and the department's manager are notified; nobody else
            func inbox(_ user: String) async throws -> [String] {
                try await s.notifications.list(Scope(workspaceID: ws, userID: user, role: .serviceAgent)).items.map(\.kind)
            }
            #expect(try await inbox(agent.id) == ["negative_feedback"])
            #expect(try await inbox(boss.id) == ["negative_feedback"])
            #expect(try await inbox(other.id).isEmpty)
            // and a second answer changes nothing
            #expect(try await s.surveys.answer(token: mailed.token, nonce: visit.nonce, rating: "5", nps: "10", comment: "好") == .alreadyAnswered)
            survey = try #require(try await s.surveys.latest(owner, ticketID: ticket.id))
            #expect(survey.rating == 2 && survey.comment == "回复太慢了 😡")

            // when 25 hours pass unanswered: overdue
            clock.advance(seconds: 25 * 3600)
            #expect(try await s.surveys.latest(owner, ticketID: ticket.id)?.replyState == .overdue)
            // when the agent writes an internal note: still overdue; a reply to the customer meets it
            _ = try await s.tickets.addMessage(agentScope, id: ticket.id, kind: .note, body: "先内部核实")
            #expect(try await s.surveys.latest(owner, ticketID: ticket.id)?.repliedAt == nil)
            let replyAt = clock.now()
            _ = try await s.tickets.addMessage(agentScope, id: ticket.id, kind: .reply, body: "非常抱歉，我们已改进流程。")
            survey = try #require(try await s.surveys.latest(owner, ticketID: ticket.id))
            #expect(survey.repliedAt == replyAt && survey.replyState == .met)

            // when the ticket is resolved again after reopening: a second survey for the second resolution
            _ = try await s.tickets.setStatus(owner, id: ticket.id, to: .reopened, ifVersion: nil)
            _ = try await s.tickets.setStatus(owner, id: ticket.id, to: .resolved, ifVersion: nil)
            let second = try #require(try await Self.mailedToken(s, ticketID: ticket.id))
            #expect(second.count == 2 && second.token != mailed.token)
            #expect(try await s.surveys.latest(owner, ticketID: ticket.id)?.answeredAt == nil)

            // when 31 days pass: the link has expired, and an answer records nothing
            clock.advance(days: 31)
            #expect(try await s.surveys.visit(token: second.token).state == .expired)
            let v2 = try await s.surveys.visit(token: second.token)
            #expect(try await s.surveys.answer(token: second.token, nonce: v2.nonce, rating: "5", nps: nil, comment: nil) == .expired)
            #expect(try await s.surveys.latest(owner, ticketID: ticket.id)?.answeredAt == nil)
            // and an unknown token is not found
            await #expect(throws: DomainError.notFound("survey")) { _ = try await s.surveys.visit(token: "no-such-token") }
        }
    }

    @Test func satisfactionFiguresCountStarsAndPromotersMinusDetractors() {
        var f = SatisfactionFigures()
        #expect(f.csatAverage == nil && f.satisfiedRate == nil && f.nps == nil)
        for (r, n) in [(5, 10), (4, 9), (3, 7), (1, 2), (2, nil)] as [(Int, Int?)] { f.add(rating: r, nps: n) }
        #expect(f.csatAverage == 3 && f.satisfiedRate == 40)
        // 2 promoters, 1 passive, 1 detractor of 4 answers: +25
        #expect(f.nps == 25)
        #expect(SurveyRules.isNegative(rating: 2, nps: nil) && SurveyRules.isNegative(rating: 5, nps: 6) && !SurveyRules.isNegative(rating: 3, nps: 7))
    }
}
