import Foundation
import Logging
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

/// A customer's mail as their client sends it: CRLF lines, the given header values as they are.
func customerMail(from: String, subject: String, messageID: String?, inReplyTo: String? = nil, references: [String] = [],
                  extra: [String] = [], body: String) -> [UInt8] {
    var h = ["From: \(from)", "To: kf@guanxi.test", "Subject: \(subject)", "Date: Fri, 09 Oct 2026 12:30:00 +0800", "MIME-Version: 1.0"]
    if let messageID { h.append("Message-ID: <\(messageID)>") }
    if let inReplyTo { h.append("In-Reply-To: <\(inReplyTo)>") }
    if !references.isEmpty { h.append("References: " + references.map { "<\($0)>" }.joined(separator: " ")) }
    h += extra.isEmpty ? ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64"] : extra
    let text = extra.isEmpty ? Data(body.utf8).base64EncodedString() : body
    return Array((h.joined(separator: "\r\n") + "\r\n\r\n" + text + "\r\n").utf8)
}

func gbWord(_ s: String) -> String { "=?GB2312?B?" + (TextDecoding.encodeGB18030(s)?.base64EncodedString() ?? "") + "?=" }
func utf8Word(_ s: String) -> String { "=?UTF-8?B?" + Data(s.utf8).base64EncodedString() + "?=" }

extension Stores {
    func messageRow(_ id: String) async throws -> (messageID: String?, address: String?, state: String?, attempts: Int, error: String?) {
        try await db.read { sql in
            let r = try await sql.raw("""
                SELECT message_id, mail_address, mail_state, mail_attempts, mail_error FROM ticket_messages WHERE id = \(bind: id)
                """).first()!
            return (try r.decode(column: "message_id", as: String?.self), try r.decode(column: "mail_address", as: String?.self),
                    try r.decode(column: "mail_state", as: String?.self), try r.decode(column: "mail_attempts", as: Int.self),
                    try r.decode(column: "mail_error", as: String?.self))
        }
    }
}

@Suite("Service desk mail: customers' mail becomes tickets and messages, replies go out threaded, bad mail is quarantined")
struct ServiceMailTests {
    static let logger = Logger(label: "test.mail")

    @Test(.enabled(if: MailServers.imapEnabled && MailServers.smtpEnabled), arguments: Backend.all)
    func aConversationRoundTripsThroughRealIMAPAndSMTPServers(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            // given the desk's mail on the test servers: outgoing through the SMTP sink, a fresh IMAP folder to read
            var mailer = try #require(SMTPMailer(url: MailServers.smtpURL!, from: "关系客服 <kf@guanxi.test>"))
            mailer.messageDomain = "crm.example.cn"
            let s = stores(db, mailer: mailer)
            let admin = try await s.access.createUser(email: "admin-\(UUID().uuidString.prefix(8))@guanxi.test", password: "password-admin",
                                                      name: "管理员", role: .admin, workspaceID: owner.workspaceID)
            let box = try await MailServers.freshMailbox()
            let ws = owner.workspaceID
            let wang = "wang.\(UUID().uuidString.prefix(8).lowercased())@example.cn"
            let outbox = try #require(s.mailOutbox)

            // when a customer nobody knows writes, her name and subject in GB2312 encoded words
            let first = "c1.\(UUID().uuidString)@mail.example.cn"
            try await MailServers.deliver(customerMail(from: "\(gbWord("王芳")) <\(wang)>", subject: gbWord("茶叶罐破损"), messageID: first,
                                                       body: "收到的茶叶罐压扁了 😢"), to: box)
            let opened = try await s.mailIntake.poll(box, workspaceID: ws, logger: Self.logger)
            // then it opens an email ticket for a new customer named from the sender, with her words
            guard case .opened(let ticketID, let number)? = opened.first, opened.count == 1 else { Issue.record("\(opened)"); return }
            var ticket = try await s.tickets.get(owner, id: ticketID)
            #expect(ticket.subject == "茶叶罐破损" && ticket.channel == .email && ticket.status == .new)
            let customer = try await s.customers.get(owner, id: ticket.customerID)
            #expect(customer.name == "王芳" && customer.emails == [wang])
            #expect(try await s.tickets.messages(owner, id: ticketID).map(\.body) == ["收到的茶叶罐压扁了 😢"])
            // and the mail is seen: the next pass finds nothing
            #expect(try await s.mailIntake.poll(box, workspaceID: ws, logger: Self.logger).isEmpty)

            // when an agent replies and waits on the customer
            let (_, reply) = try await s.tickets.addMessage(owner, id: ticketID, kind: .reply, body: "您好，已为您安排换货。", status: .waitingCustomer)
            let flushed = try await outbox.flush()
            #expect(flushed.sent == 1 && flushed.failed == 0)
            // then the customer gets it, threaded onto her mail, the subject carrying the ticket's number
            let sent = try await MailServers.received(by: wang)
            #expect(sent.count == 1)
            let out = try InboundMail.parse(try #require(sent.first))
            let replyID = "ticket-\(ticketID)-\(reply.id)@crm.example.cn"
            #expect(out.subject == "Re: [#\(number)] 茶叶罐破损")
            #expect(out.messageID == replyID && out.inReplyTo == [first] && out.references == [first])
            #expect(out.from == MailAddress(name: "关系客服", address: "kf@guanxi.test"))
            #expect(out.text == "您好，已为您安排换货。")
            #expect(try await s.messageRow(reply.id).state == "sent")

            // when she answers that mail, quoting it below her words
            try await MailServers.deliver(customerMail(
                from: "\(utf8Word("王芳")) <\(wang)>", subject: utf8Word("Re: [#\(number)] 茶叶罐破损"), messageID: "c2.\(UUID().uuidString)@mail.example.cn",
                inReplyTo: replyID, references: [first, replyID],
                body: "谢谢，收到了！\n\n关系客服 <kf@guanxi.test> 于2026年10月9日周五 14:00写道：\n> 您好，已为您安排换货。"), to: box)
            let answered = try await s.mailIntake.poll(box, workspaceID: ws, logger: Self.logger)
            // then her words land on the same ticket, which waited on her and is open again
            #expect(answered == [.answered(ticketID: ticketID, number: number)])
            ticket = try await s.tickets.get(owner, id: ticketID)
            #expect(ticket.status == .open)
            #expect(try await s.tickets.messages(owner, id: ticketID).last?.body == "谢谢，收到了！")

            // when the ticket is resolved and she writes again keeping only "[#n]" in the subject
            _ = try await s.tickets.setStatus(owner, id: ticketID, to: .resolved, ifVersion: nil)
            try await MailServers.deliver(customerMail(from: wang, subject: "Re: [#\(number)] 还有一个问题", messageID: "c3.\(UUID().uuidString)@x",
                                                       body: "盖子也坏了"), to: box)
            // then it reopens that ticket; the same reference from someone else opens a ticket of their own
            let other = "li.\(UUID().uuidString.prefix(8).lowercased())@example.com"
            try await MailServers.deliver(customerMail(from: "Li Lei <\(other)>", subject: "[#\(number)] hello", messageID: nil, body: "Hi"), to: box)
            let third = try await s.mailIntake.poll(box, workspaceID: ws, logger: Self.logger)
            #expect(third.first == .answered(ticketID: ticketID, number: number))
            #expect(try await s.tickets.get(owner, id: ticketID).status == .reopened)
            guard third.count == 2, case .opened(let otherTicket, _) = third[1] else { Issue.record("\(third)"); return }
            #expect(try await s.tickets.get(owner, id: otherTicket).subject == "hello")

            // when poison arrives (no sender; 8-bit bytes no UTF-8 text has, labelled UTF-8; a broken multipart), then a good mail
            try await MailServers.deliver(Array("Subject: no sender\r\n\r\nwho am I\r\n".utf8), to: box)
            try await MailServers.deliver(Array("From: g@example.cn\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".utf8)
                                          + (0..<200).map { UInt8(0xF8 + $0 % 8) } + [13, 10], to: box)
            try await MailServers.deliver(customerMail(from: "m@example.cn", subject: "m", messageID: "m@x",
                                                       extra: ["Content-Type: multipart/mixed; boundary=\"gone\""], body: "no boundary here"), to: box)
            let zhao = "zhao.\(UUID().uuidString.prefix(8).lowercased())@example.cn"
            try await MailServers.deliver(customerMail(from: zhao, subject: utf8Word("发票"), messageID: "z1.\(UUID().uuidString)@x", body: "请开发票"), to: box)
            let fourth = try await s.mailIntake.poll(box, workspaceID: ws, logger: Self.logger)
            // then each is quarantined with its reason, and the good one still arrives
            #expect(fourth.count == 4)
            #expect(fourth.prefix(3).map { if case .quarantined(let r) = $0 { r } else { "" } } == [
                "the mail has no sender (From)", "a text part is not valid utf-8 (200 undecodable bytes)",
                "a multipart body does not contain its boundary"])
            if case .opened(let z, _) = fourth.last { #expect(try await s.tickets.get(owner, id: z).subject == "发票") } else { Issue.record("\(fourth)") }
            let adminScope = Scope(workspaceID: ws, userID: admin.id, role: .admin)
            let kept = try await s.mailIntake.quarantined(adminScope)
            #expect(kept.map(\.reason).sorted() == ["a multipart body does not contain its boundary", "a text part is not valid utf-8 (200 undecodable bytes)",
                                                    "the mail has no sender (From)"])
            #expect(kept.first { $0.sender == "g@example.cn" }?.preview.hasPrefix("From: g@example.cn") == true)
            // and the administrator was told of each; nothing is left unseen
            #expect(try await s.notifications.list(adminScope).items.filter { $0.kind == "mail_quarantined" }.count == 3)
            #expect(try await s.mailIntake.poll(box, workspaceID: ws, logger: Self.logger).isEmpty)
            // and every filed mail is in the audit log
            #expect(try await s.audit.list(owner, object: "tickets").items.filter { $0.action == "mail_in" }.count == 5)
        }
    }

    @Test(arguments: Backend.all) func aReplyWaitsInTheOutboxWhileTheRelayIsDown(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            // given a relay that is not there, and a customer with an address
            let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
            let dead = try #require(SMTPMailer(url: "smtp://127.0.0.1:9", from: "kf@guanxi.test"))
            let s = stores(db, clock, mailer: dead)
            let agent = try await s.access.createUser(email: "agent-\(UUID().uuidString.prefix(8))@guanxi.test", password: "password-agent",
                                                      name: "客服", role: .serviceAgent, workspaceID: owner.workspaceID)
            let agentScope = Scope(workspaceID: owner.workspaceID, userID: agent.id, role: .serviceAgent)
            let address = "zhang.\(UUID().uuidString.prefix(8).lowercased())@example.cn"
            var c = CustomerDraft(); c.kind = .person; c.name = "张伟"; c.emails = [address]
            let customer = try await s.customers.create(owner, c)
            var d = TicketDraft(); d.customerID = customer.id; d.subject = "咨询"; d.body = "电话里问的"; d.channel = "phone"; d.assigneeID = agent.id
            let ticket = try await s.tickets.create(owner, d)
            let outbox = try #require(s.mailOutbox)
            // when the agent replies
            let (_, reply) = try await s.tickets.addMessage(agentScope, id: ticket.id, kind: .reply, body: "已登记")
            // then the reply is queued with its Message-ID, and a failed send keeps it for later
            #expect(try await s.messageRow(reply.id).state == "pending")
            #expect(try await outbox.flush() == (0, 1))
            var row = try await s.messageRow(reply.id)
            #expect(row.state == "pending" && row.attempts == 1 && row.error?.contains("cannot connect") == true)
            #expect(row.messageID == "ticket-\(ticket.id)-\(reply.id)@guanxi.local" && row.address == address)
            // not again before its pause is over (a minute, then two …)
            #expect(try await outbox.flush() == (0, 0))
            clock.advance(seconds: 61)
            #expect(try await outbox.flush() == (0, 1))
            #expect(try await s.messageRow(reply.id).attempts == 2)
            // notes and customers' words are never mailed; nor are replies to customers without an address
            let (_, note) = try await s.tickets.addMessage(agentScope, id: ticket.id, kind: .note, body: "内部备注")
            #expect(try await s.messageRow(note.id).state == nil)
            var nobody = CustomerDraft(); nobody.kind = .person; nobody.name = "无邮箱"
            var d2 = TicketDraft(); d2.customerID = try await s.customers.create(owner, nobody).id; d2.subject = "到店"; d2.body = "门店登记"
            let t2 = try await s.tickets.create(owner, d2)
            let (_, quiet) = try await s.tickets.addMessage(owner, id: t2.id, kind: .reply, body: "好的")
            #expect(try await s.messageRow(quiet.id).state == nil)

            if MailServers.smtpEnabled {
                // when the relay is back, the reply goes out on the next flush
                let live = MailOutbox(db: db, clock: clock, mailer: try #require(SMTPMailer(url: MailServers.smtpURL!, from: "kf@guanxi.test")),
                                      domain: "guanxi.local")
                clock.advance(seconds: 121)
                #expect(try await live.flush() == (1, 0))
                row = try await s.messageRow(reply.id)
                #expect(row.state == "sent" && row.attempts == 3 && row.error == nil)
                let got = try InboundMail.parse(try #require(try await MailServers.received(by: address).first))
                #expect(got.subject == "[#\(ticket.number)] 咨询" && got.inReplyTo.isEmpty && got.text == "已登记")
            } else {
                // when every try fails, the reply is given up and its author told
                for _ in 3...MailOutbox.maxAttempts {
                    clock.advance(seconds: 3601)
                    _ = try await outbox.flush()
                }
                row = try await s.messageRow(reply.id)
                #expect(row.state == "failed" && row.attempts == MailOutbox.maxAttempts)
                #expect(try await s.notifications.list(agentScope).items.map(\.kind) == ["mail_failed"])
            }
        }
    }

    @Test func mailboxURLsNameTheAccountAndFolder() throws {
        let box = try #require(IMAPMailbox(url: "imap://desk%40example.cn:p%25ss%40w@mail.example.cn:1143/Support%20Inbox"))
        #expect(box.user == "desk@example.cn" && box.password == "p%ss@w" && box.port == 1143 && box.mailbox == "Support Inbox")
        #expect(box.description == "imap://desk@example.cn@mail.example.cn:1143/Support Inbox")
        let plain = try #require(IMAPMailbox(url: "imap://kf:secret@127.0.0.1"))
        #expect(plain.port == 143 && plain.mailbox == "INBOX")
        #expect(IMAPMailbox(url: "imaps://kf:secret@mail.example.cn") == nil && IMAPMailbox(url: "imap://mail.example.cn") == nil)
    }

    @Test(arguments: Backend.all) func theSameMailTwiceIsFiledOnceAndBouncesAreQuarantined(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let ws = owner.workspaceID
            let raw = customerMail(from: "\"Chen\" <chen@example.cn>", subject: "订单查询", messageID: "dup@example.cn", body: "我的订单到哪了？")
            // when one mail is taken twice (marking it seen failed the first time)
            guard case .opened(let id, _) = try await s.mailIntake.take(raw, workspaceID: ws) else { Issue.record("not opened"); return }
            #expect(try await s.mailIntake.take(raw, workspaceID: ws) == .duplicate)
            // then there is one ticket with one message
            #expect(try await s.tickets.messages(owner, id: id).count == 1)
            // and a known customer's address files onto that customer
            let again = customerMail(from: "chen@example.cn", subject: "另一个问题", messageID: "two@example.cn", body: "还有")
            guard case .opened(let second, _) = try await s.mailIntake.take(again, workspaceID: ws) else { Issue.record("not opened"); return }
            #expect(try await s.tickets.get(owner, id: second).customerID == (try await s.tickets.get(owner, id: id).customerID))
            // a delivery failure report is kept aside, once however often it is read
            let bounce = customerMail(from: "MAILER-DAEMON@mx.example.cn", subject: "Undelivered Mail Returned to Sender", messageID: "b@mx",
                                      extra: ["Content-Type: multipart/report; report-type=delivery-status; boundary=r"],
                                      body: "--r\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n--r--")
            #expect(try await s.mailIntake.take(bounce, workspaceID: ws) == .quarantined(reason: "a delivery failure report (bounce) from mailer-daemon@mx.example.cn"))
            _ = try await s.mailIntake.take(bounce, workspaceID: ws)
            let kept = try await s.mailIntake.quarantined(owner)
            #expect(kept.count == 1 && kept[0].subject == "Undelivered Mail Returned to Sender" && kept[0].size == bounce.count)
            // and only administrators may read the quarantine
            await #expect(throws: DomainError.self) {
                try await s.mailIntake.quarantined(Scope(workspaceID: ws, userID: nil, role: .serviceAgent))
            }
        }
    }
}
