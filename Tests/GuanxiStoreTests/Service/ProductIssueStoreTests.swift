import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Product issues: figures over readable tickets, links within the workspace, versions, fix notices once per customer")
struct ProductIssueStoreTests {
    struct Bench {
        let s: Stores
        let owner: Scope
        func customer(_ name: String, email: String?) async throws -> Customer {
            var c = CustomerDraft(); c.kind = .person; c.name = name; c.emails = email.map { [$0] } ?? []
            return try await s.customers.create(owner, c)
        }
        func ticket(_ customer: Customer, _ subject: String, type: String = "defect", as scope: Scope? = nil) async throws -> Ticket {
            var d = TicketDraft(); d.customerID = customer.id; d.subject = subject; d.body = "坏了 😢"; d.type = type
            return try await s.tickets.create(scope ?? owner, d)
        }
        func order(_ customer: Customer, _ minor: Int64) async throws -> Order {
            var d = OrderDraft(); d.customerID = customer.id; d.source = "shop"; d.externalID = UUID().uuidString
            d.lines = [LineDraft(name: "龙井茶 🍵", quantity: 1, unitPrice: minor, discount: Percent(basisPoints: 0), taxRate: Percent(basisPoints: 0))]
            return try await s.orders.create(owner, d).0
        }
    }

    static func with(_ backend: Backend, mail: Bool = false, _ body: @Sendable @escaping (Bench, ManualClock) async throws -> Void) async throws {
        try await backend.with { db, owner in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
            let mailer = mail ? SMTPMailer(url: "smtp://127.0.0.1:9", from: "关系客服 <kf@guanxi.test>") : nil
            try await body(Bench(s: Stores(db: db, clock: clock, mailer: mailer, publicURL: "https://crm.example.cn/"), owner: owner), clock)
        }
    }

    @Test(arguments: Backend.all)
    func figuresCountDistinctCustomersTheirRevenueAndFirstAndLastReport(_ backend: Backend) async throws {
        try await Self.with(backend) { b, clock in
            let s = b.s
            // given two customers: 王芳 with two defect tickets and orders (one cancelled), 李雷 with one ticket and no order
            let wang = try await b.customer("王芳", email: "wang@example.cn"), li = try await b.customer("李雷", email: nil)
            _ = try await b.order(wang, 12_800)
            _ = try await b.order(wang, 7_200)
            let cancelled = try await b.order(wang, 99_900)
            _ = try await s.orders.cancel(b.owner, id: cancelled.id, reason: "不要了")
            let first = try await b.ticket(wang, "密封圈漏气")
            clock.advance(seconds: 3_600)
            let second = try await b.ticket(wang, "罐子又漏气了")
            clock.advance(seconds: 3_600)
            let third = try await b.ticket(li, "漏气")
            // when an issue is made of the first ticket and the others are linked
            var c = ProductIssueChange(); c.title = "茶叶罐密封圈漏气 😢"
            let issue = try await s.productIssues.create(b.owner, c, ticketID: first.id)
            _ = try await s.productIssues.link(b.owner, id: issue.id, ticketID: second.id)
            _ = try await s.productIssues.link(b.owner, id: issue.id, ticketID: third.id)
            _ = try await s.productIssues.link(b.owner, id: issue.id, ticketID: third.id)   // again: nothing changes
            // then: 2 customers, 3 tickets, 王芳's revenue once without the cancelled order, first and last report
            let got = try await s.productIssues.get(b.owner, id: issue.id)
            #expect(got.figures.customers == 2 && got.figures.tickets == 3)
            #expect(got.figures.revenue == [Money(minor: 20_000, currency: "CNY")])
            #expect(got.figures.firstSeen == first.createdAt && got.figures.lastSeen == third.createdAt)
            // and the list has the same figures, by revenue too
            let listed = try await s.productIssues.list(b.owner, sort: "revenue")
            #expect(listed.map(\.id) == [issue.id] && listed[0].figures == got.figures)
            // a sales rep sees only what they may read: no revenue (they read only their own orders), the tickets they opened
            let rep = try await s.access.createUser(email: "rep@example.cn", password: "password-rep", name: "小张", role: .salesRep, workspaceID: b.owner.workspaceID)
            let repScope = Scope(workspaceID: b.owner.workspaceID, userID: rep.id, role: .salesRep)
            let seen = try await s.productIssues.get(repScope, id: issue.id)
            #expect(seen.figures.customers == 0 && seen.figures.revenue == nil)
            // and unlinking takes a ticket out again; an unknown link is a 404
            try await s.productIssues.unlink(b.owner, id: issue.id, ticketID: third.id)
            #expect(try await s.productIssues.get(b.owner, id: issue.id).figures.customers == 1)
            await #expect(throws: DomainError.notFound("product_issue_link")) { try await s.productIssues.unlink(b.owner, id: issue.id, ticketID: third.id) }
        }
    }

    @Test(arguments: Backend.all)
    func anotherWorkspacesTicketIssueOrProductIsRefusedAndAStaleVersionIsA412(_ backend: Backend) async throws {
        try await Self.with(backend) { b, _ in
            let s = b.s
            let other = try await s.access.createWorkspace(name: "别家", slug: "elsewhere")
            let otherOwner = Scope(workspaceID: other.id, userID: nil, role: .owner)
            var cd = CustomerDraft(); cd.kind = .person; cd.name = "外人"
            let stranger = try await s.customers.create(otherOwner, cd)
            var td = TicketDraft(); td.customerID = stranger.id; td.subject = "漏气"; td.body = "x"; td.type = "defect"
            let foreignTicket = try await s.tickets.create(otherOwner, td)
            var pd = ProductDraft(); pd.sku = "CAN-1"; pd.name = "茶叶罐"
            let foreignProduct = try await s.products.save(otherOwner, id: nil, pd)
            var c = ProductIssueChange(); c.title = "漏气"
            let issue = try await s.productIssues.create(b.owner, c)
            // another workspace's ticket is not found, nor is this issue from there
            await #expect(throws: DomainError.notFound("ticket")) { try await s.productIssues.link(b.owner, id: issue.id, ticketID: foreignTicket.id) }
            await #expect(throws: DomainError.notFound("product_issue")) { try await s.productIssues.get(otherOwner, id: issue.id) }
            await #expect(throws: DomainError.notFound("ticket")) { try await s.productIssues.create(b.owner, c, ticketID: foreignTicket.id) }
            // another workspace's product is no product here
            var p = ProductIssueChange(); p.productID = .some(foreignProduct.id)
            await #expect(throws: DomainError.field("product_id", "no such product")) { try await s.productIssues.update(b.owner, id: issue.id, p, ifVersion: 1) }
            // a change made on an old version is refused with the current one
            var t = ProductIssueChange(); t.title = "密封圈漏气"
            let changed = try await s.productIssues.update(b.owner, id: issue.id, t, ifVersion: 1)
            #expect(changed.version == 2 && changed.title == "密封圈漏气")
            await #expect(throws: DomainError.staleVersion(current: 2)) { try await s.productIssues.update(b.owner, id: issue.id, t, ifVersion: 1) }
            // and nothing that changes nothing moves the version
            #expect(try await s.productIssues.update(b.owner, id: issue.id, t, ifVersion: 2).version == 2)
        }
    }

    @Test(arguments: Backend.all)
    func aFixedIssueTellsEachCustomerOnceByMailAndOnTheirTimelineSkippingThoseWithoutEmail(_ backend: Backend) async throws {
        try await Self.with(backend, mail: true) { b, clock in
            let s = b.s
            let wang = try await b.customer("王芳", email: "wang@example.cn"), li = try await b.customer("李雷", email: nil)
            let older = try await b.ticket(wang, "漏气")
            clock.advance(seconds: 60)
            let newer = try await b.ticket(wang, "又漏气", type: "product_feedback")
            let liTicket = try await b.ticket(li, "漏气")
            var c = ProductIssueChange(); c.title = "密封圈漏气"
            let issue = try await s.productIssues.create(b.owner, c, ticketID: older.id)
            for t in [newer, liTicket] { _ = try await s.productIssues.link(b.owner, id: issue.id, ticketID: t.id) }
            // an issue not yet fixed tells nobody
            await #expect(throws: DomainError.field("status", "only a fixed issue's customers can be notified")) {
                try await s.productIssues.notify(b.owner, id: issue.id, message: nil)
            }
            _ = try await s.productIssues.trackerStatus(b.owner, id: issue.id, status: "fixed", externalRef: "PROD-7", externalURL: nil)
            // when the customers are told
            let told = try await s.productIssues.notify(b.owner, id: issue.id, message: nil)
            // then 王芳 once, on her newest ticket, mailed; 李雷 has no address and is counted
            #expect(told == FixNotices(notified: 1, skippedNoEmail: 1, alreadyNotified: 0, outOfReach: 0))
            let rows = try await s.db.read { sql in
                try await sql.raw("""
                    SELECT ticket_id, body, mail_state, mail_address FROM ticket_messages WHERE kind = 'reply' AND body LIKE '%密封圈漏气%'
                    """).all().map { (try $0.decode(column: "ticket_id", as: String.self), try $0.decode(column: "body", as: String.self),
                                      try $0.decode(column: "mail_state", as: String?.self), try $0.decode(column: "mail_address", as: String?.self)) }
            }
            #expect(rows.count == 1 && rows[0].0 == newer.id && rows[0].2 == "pending" && rows[0].3 == "wang@example.cn")
            #expect(rows[0].1.contains("已经修复") && rows[0].1.contains("has been fixed") && rows[0].1.contains("#\(newer.number)"))
            let timeline = try await s.timeline.list(b.owner, customerID: wang.id, cursor: nil, limit: 50).items
            #expect(timeline.contains { $0.data?["step"] == .string("product_issue_fixed") })
            // and told again: nobody twice
            let again = try await s.productIssues.notify(b.owner, id: issue.id, message: "已修复 ✅")
            #expect(again == FixNotices(notified: 0, skippedNoEmail: 1, alreadyNotified: 1, outOfReach: 0))
            // once 李雷 has an address, he can still be told, in the agent's own words
            _ = try await s.customers.update(b.owner, id: li.id, { var p = CustomerDraft(); p.emails = ["li@example.cn"]; return p }(), ifVersion: nil)
            let later = try await s.productIssues.notify(b.owner, id: issue.id, message: "您好，问题已修复 ✅")
            #expect(later.notified == 1 && later.alreadyNotified == 1)
            // an over-long message is refused before anything happens
            await #expect(throws: DomainError.self) { try await s.productIssues.notify(b.owner, id: issue.id, message: String(repeating: "长", count: 5_001)) }
        }
    }
}
