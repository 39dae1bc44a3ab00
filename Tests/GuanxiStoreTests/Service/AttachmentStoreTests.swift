import Foundation
import Logging
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Ticket attachments: kept on disk by content with the message's row, read only by those who may, mail's files kept")
struct AttachmentStoreTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
    static let pdf = Data("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n".utf8)

    func ticket(_ s: Stores, _ owner: Scope, subject: String = "茶叶罐破损") async throws -> Ticket {
        var c = CustomerDraft(); c.kind = .person; c.name = "王芳 🌸"; c.emails = ["wang.\(UUID().uuidString.prefix(8).lowercased())@example.cn"]
        let customer = try await s.customers.create(owner, c)
        var d = TicketDraft(); d.customerID = customer.id; d.subject = subject; d.body = "收到的茶叶罐压扁了"
        return try await s.tickets.create(owner, d)
    }

    @Test(arguments: Backend.all) func aReplysFilesAreKeptOncePerContentAndReadBackWithTheirRow(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let t = try await ticket(s, owner)
            // when a reply carries a photo and an invoice, and a note the same photo again under another name
            let (_, reply) = try await s.tickets.addMessage(owner, id: t.id, kind: .reply, body: "照片和发票见附件", attachments: [
                AttachmentUpload(name: "破损照片 📷.png", declaredType: "image/png", data: Self.png),
                AttachmentUpload(name: "../../发票.pdf", declaredType: "text/html", data: Self.pdf)])
            _ = try await s.tickets.addMessage(owner, id: t.id, kind: .note, body: "同一张照片", attachments: [AttachmentUpload(name: "again.png", data: Self.png)])
            // then each message lists its files with the clean name, the type their content shows, size and SHA-256
            let messages = try await s.tickets.messages(owner, id: t.id)
            #expect(messages.map(\.attachments.count) == [0, 2, 1])
            let files = messages[1].attachments
            #expect(files.map(\.name) == ["破损照片 📷.png", "发票.pdf"] && files.map(\.contentType) == ["image/png", "application/pdf"])
            #expect(files[0].size == Self.png.count && files[0].sha256 == AttachmentFiles.digest(Self.png) && files[0].messageID == reply.id)
            #expect(reply.attachments.map(\.id) == files.map(\.id))
            // and the bytes are on disk once per content, with no leftover of the writes
            let dir = s.files.directory
            let stored = FileManager.default.enumerator(atPath: dir)!.compactMap { $0 as? String }.filter { !$0.hasPrefix("tmp") && $0.count > 60 }
            #expect(Set(stored.map { ($0 as NSString).lastPathComponent }) == [AttachmentFiles.digest(Self.png), AttachmentFiles.digest(Self.pdf)])
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/tmp").isEmpty)
            // and a download answers the bytes and is in the audit log, as the upload is; the timeline names the files
            let (a, data) = try await s.tickets.attachment(owner, ticketID: t.id, id: files[1].id)
            #expect(a.name == "发票.pdf" && data == Self.pdf)
            let audit = try await s.audit.list(owner, object: "tickets", objectID: t.id).items
            #expect(audit.filter { $0.action == "attachment_upload" }.count == 3)
            #expect(audit.contains { $0.action == "attachment_download" && $0.detail?.objectValue?["attachment_id"] == .string(files[1].id) })
            let timeline = try await s.timeline.list(owner, customerID: t.customerID, cursor: nil, limit: 50).items
            #expect(timeline.contains { $0.data?["step"] == "attachments" && $0.data?["files"] == .array([.string("破损照片 📷.png"), .string("发票.pdf")]) })
        }
    }

    @Test(arguments: Backend.all) func refusedFilesWriteNothingAndOthersCannotReachTheFiles(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let t = try await ticket(s, owner)
            // when a reply brings HTML dressed as a photo and a program
            do {
                _ = try await s.tickets.addMessage(owner, id: t.id, kind: .reply, body: "看这里", attachments: [
                    AttachmentUpload(name: "photo.png", data: Data("<html><script>alert(1)</script>".utf8)),
                    AttachmentUpload(name: "ok.png", data: Self.png),
                    AttachmentUpload(name: "setup.exe", data: Data([0x4D, 0x5A, 0x90, 0]))])
                Issue.record("refused files were taken")
            } catch DomainError.validation(let f) {
                // then each refused file is named by its place, and nothing is recorded
                #expect(f.keys.sorted() == ["attachments[0]", "attachments[2]"])
            }
            #expect(try await s.tickets.messages(owner, id: t.id).count == 1)
            // and with an empty body too, every field is named at once
            do {
                _ = try await s.tickets.addMessage(owner, id: t.id, kind: .reply, body: " ", attachments: [AttachmentUpload(name: "x.svg", data: Data("<svg/>".utf8))])
            } catch DomainError.validation(let f) { #expect(f.keys.sorted() == ["attachments[0]", "body"]) }

            let (_, note) = try await s.tickets.addMessage(owner, id: t.id, kind: .note, body: "内部：客户的身份证照片",
                                                          attachments: [AttachmentUpload(name: "身份证.jpg", data: Data([0xFF, 0xD8, 0xFF, 0xE0]))])
            let (_, reply) = try await s.tickets.addMessage(owner, id: t.id, kind: .reply, body: "发票", attachments: [AttachmentUpload(name: "发票.pdf", data: Self.pdf)])
            // then another workspace's owner finds neither the ticket's files nor its ids
            let other = try await s.access.createWorkspace(name: "别家", slug: "other-\(UUID().uuidString.prefix(6).lowercased())")
            let outsider = Scope(workspaceID: other.id, userID: nil, role: .owner)
            await #expect(throws: DomainError.notFound("ticket")) { try await s.tickets.attachment(outsider, ticketID: t.id, id: reply.attachments[0].id) }
            // a sales rep who owns nothing of it does not reach the ticket
            let rep = try await s.access.createUser(email: "rep-\(UUID().uuidString.prefix(6))@example.cn", password: "password-rep", name: "李雷",
                                                    role: .salesRep, workspaceID: owner.workspaceID)
            let repScope = Scope(workspaceID: owner.workspaceID, userID: rep.id, role: .salesRep)
            await #expect(throws: DomainError.notFound("ticket")) { try await s.tickets.attachment(repScope, ticketID: t.id, id: reply.attachments[0].id) }
            // a read-only member reads the reply's file but not the internal note's
            let viewer = Scope(workspaceID: owner.workspaceID, userID: rep.id, role: .readOnly)
            #expect(try await s.tickets.attachment(viewer, ticketID: t.id, id: reply.attachments[0].id).1 == Self.pdf)
            await #expect(throws: DomainError.notFound("attachment")) { try await s.tickets.attachment(viewer, ticketID: t.id, id: note.attachments[0].id) }
            // an attachment of another ticket is not this one's
            let t2 = try await ticket(s, owner, subject: "另一张")
            await #expect(throws: DomainError.notFound("attachment")) { try await s.tickets.attachment(owner, ticketID: t2.id, id: reply.attachments[0].id) }
        }
    }

    @Test func aFileIsWrittenWholeOrNotAtAllAndOrphansAreSwept() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gx-files-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = AttachmentFiles(directory: dir)
        let sha = try files.put(Self.pdf)
        #expect(try files.put(Self.pdf) == sha)
        #expect(try files.read(sha) == Self.pdf)
        // a write cut short leaves only its temporary file, which nothing names; a sweep removes it and files no row refers to
        try Data("half".utf8).write(to: URL(fileURLWithPath: dir + "/tmp/\(sha)-cut"))
        let orphan = try files.put(Self.png)
        #expect(try files.sweep(referenced: [sha], olderThan: -1, now: Date()) == 2)
        #expect((try? files.read(orphan)) == nil)
        #expect(try files.read(sha) == Self.pdf)
        #expect(throws: DomainError.notFound("attachment")) { try files.read("../../etc/passwd") }
    }

    @Test(arguments: Backend.all) func theSweepRemovesOnlyFilesNoMessageRefersTo(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let t = try await ticket(s, owner)
            let (_, m) = try await s.tickets.addMessage(owner, id: t.id, kind: .reply, body: "发票", attachments: [AttachmentUpload(name: "发票.pdf", data: Self.pdf)])
            // given a file kept for a message whose transaction failed
            let orphan = try s.files.put(Self.png)
            // a sweep spares what was written within its age, then removes only the orphan
            #expect(try await s.tickets.sweepFiles() == 0)
            #expect(try await s.tickets.sweepFiles(olderThan: -1) == 1)
            #expect((try? s.files.read(orphan)) == nil)
            #expect(try await s.tickets.attachment(owner, ticketID: t.id, id: m.attachments[0].id).1 == Self.pdf)
        }
    }

    @Test(arguments: Backend.all) func aCustomersMailKeepsItsFilesAndNamesTheOnesItCannot(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let raw = """
            From: =?UTF-8?B?546L6Iqz?= <wang.files@example.cn>\r
            Subject: =?UTF-8?B?5Y+R56Wo?=\r
            Message-ID: <files-1@example.cn>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b1"\r
            \r
            --b1\r
            Content-Type: text/plain; charset=UTF-8\r
            \r
            发票和照片见附件\r
            --b1\r
            Content-Type: application/pdf; name="=?UTF-8?B?5Y+R56Wo?=.pdf"\r
            Content-Disposition: attachment; filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.pdf.base64EncodedString())\r
            --b1\r
            Content-Type: text/html\r
            Content-Disposition: attachment; filename="invoice.html"\r
            \r
            <script>alert(1)</script>\r
            --b1--\r
            """
            // when the mail is filed
            let outcome = try await s.mailIntake.take(Array(raw.utf8), workspaceID: owner.workspaceID)
            guard case .opened(let id, _) = outcome else { Issue.record("\(outcome)"); return }
            // then the PDF is on the customer's message, and the HTML file is named in its text with the reason, not quarantined
            let m = try #require(try await s.tickets.messages(owner, id: id).first)
            #expect(m.kind == .customer && m.attachments.map(\.name) == ["发票.pdf"] && m.attachments.first?.uploadedBy == nil)
            #expect(m.body.hasPrefix("发票和照片见附件") && m.body.contains("invoice.html: is not an allowed file type"))
            #expect(try await s.tickets.attachment(owner, ticketID: id, id: m.attachments[0].id).1 == Self.pdf)
            #expect(try await s.mailIntake.quarantined(owner).isEmpty)
        }
    }

    @Test(.enabled(if: MailServers.imapEnabled && MailServers.smtpEnabled), arguments: Backend.all)
    func filesGoBothWaysThroughRealMailServers(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let mailer = try #require(SMTPMailer(url: MailServers.smtpURL!, from: "关系客服 <kf@guanxi.test>"))
            let s = Stores(db: db, clock: SystemClock(), mailer: mailer)
            let box = try await MailServers.freshMailbox()
            let wang = "wang.\(UUID().uuidString.prefix(8).lowercased())@example.cn"
            // when a customer's mail with a photo and a web page arrives through IMAP
            let raw = """
            From: =?UTF-8?B?546L6Iqz?= <\(wang)>\r
            Subject: =?UTF-8?B?5Y+R56Wo?=\r
            Message-ID: <in.\(UUID().uuidString)@example.cn>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b1"\r
            \r
            --b1\r
            Content-Type: text/plain; charset=UTF-8\r
            \r
            照片见附件\r
            --b1\r
            Content-Type: image/png; name="=?UTF-8?B?54Wn54mH?=.png"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.png.base64EncodedString())\r
            --b1\r
            Content-Type: text/html; name="page.html"\r
            Content-Disposition: attachment; filename="page.html"\r
            \r
            <script>alert(1)</script>\r
            --b1--\r
            """
            try await MailServers.deliver(Array(raw.utf8), to: box)
            let outcomes = try await s.mailIntake.poll(box, workspaceID: owner.workspaceID, logger: Logger(label: "test.attachments"))
            guard case .opened(let id, _)? = outcomes.first else { Issue.record("\(outcomes)"); return }
            // then the photo is kept on her message and the page is only named
            let first = try #require(try await s.tickets.messages(owner, id: id).first)
            #expect(first.attachments.map(\.name) == ["照片.png"] && first.body.contains("page.html: is not an allowed file type"))
            // when an agent replies with an invoice
            let (_, reply) = try await s.tickets.addMessage(owner, id: id, kind: .reply, body: "发票见附件",
                                                            attachments: [AttachmentUpload(name: "发票 🧾.pdf", data: Self.pdf)])
            #expect(try await s.mailOutbox!.flush() == (1, 0))
            // then the mail she gets is multipart/mixed with the invoice under its name
            let got = try #require(try await MailServers.received(by: wang).first)
            #expect(String(decoding: got, as: UTF8.self).contains("multipart/mixed"))
            let mail = try InboundMail.parse(got)
            #expect(mail.text == "发票见附件" && mail.files.map(\.name) == ["发票 🧾.pdf"] && mail.files.first?.data == Self.pdf)
            #expect(try await s.messageRow(reply.id).state == "sent")
        }
    }
}
