import Foundation
import Testing
@testable import GuanxiCore

/// Bytes that start like each kind.
enum Sample {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]) + Data("JFIF".utf8)
    static let pdf = Data("%PDF-1.7\n%âãÏÓ\n1 0 obj\n".utf8)
    static let zip = Data([0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0])
    static let html = Data("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>".utf8)
    static let exe = Data([0x4D, 0x5A, 0x90, 0x00]) + Data(repeating: 0, count: 60)
}

@Suite("Attachment rules: allowed kinds by extension and content, limits, clean names, safe downloads")
struct AttachmentRulesTests {
    @Test func namesKeepChineseAndEmojiAndLoseTheirPathAndControls() {
        #expect(AttachmentRules.cleanName("发票 2026-10 🧾.pdf") == "发票 2026-10 🧾.pdf")
        #expect(AttachmentRules.cleanName("../../etc/passwd") == "passwd")
        #expect(AttachmentRules.cleanName("C:\\Users\\王芳\\Desktop\\照片.jpg") == "照片.jpg")
        #expect(AttachmentRules.cleanName("a\"; filename=x.html") == "a__ filename=x.html")
        #expect(AttachmentRules.cleanName("bad\r\nname\u{0}.png") == "badname.png")
        // a right-to-left override would show "invoice_fdp.exe" as "invoice_exe.pdf"
        #expect(AttachmentRules.cleanName("invoice_\u{202E}fdp.exe") == "invoice_fdp.exe")
        #expect(AttachmentRules.cleanName("👨‍👩‍👧 家庭.png") == "👨‍👩‍👧 家庭.png")
        #expect(AttachmentRules.cleanName("...") == "attachment" && AttachmentRules.cleanName("") == "attachment")
        #expect(AttachmentRules.cleanName(".htaccess") == "htaccess")
        let long = AttachmentRules.cleanName(String(repeating: "长", count: 300) + ".pdf")
        #expect(long.count == 120 && long.hasSuffix(".pdf"))
    }

    @Test func aFileIsTakenOnlyWhenItsExtensionAndContentAgree() {
        func kept(_ name: String, _ data: Data) -> String? { try? AttachmentRules.check(AttachmentUpload(name: name, data: data)).get().contentType }
        func refusal(_ name: String, _ data: Data) -> String? {
            if case .failure(let r) = AttachmentRules.check(AttachmentUpload(name: name, data: data)) { return r.message.key }
            return nil
        }
        #expect(kept("破损照片.PNG", Sample.png) == "image/png" && kept("a.jpeg", Sample.jpeg) == "image/jpeg")
        #expect(kept("发票.pdf", Sample.pdf) == "application/pdf" && kept("订单.xlsx", Sample.zip) == AttachmentRules.kinds["xlsx"]!.type)
        #expect(kept("清单.csv", Data("品名,数量\n龙井,2\n".utf8)) == "text/csv")
        // HTML in disguise, scripts, programs, SVG
        #expect(refusal("photo.png", Sample.html) == "does not look like a .{0} file")
        #expect(refusal("notes.txt", Sample.html) == "does not look like a .{0} file")
        #expect(refusal("page.html", Sample.html) == "is not an allowed file type (images, PDF, text, CSV, Office documents, ZIP)")
        #expect(refusal("logo.svg", Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8)) != nil)
        #expect(refusal("setup.exe", Sample.exe) != nil && refusal("run.js", Data("alert(1)".utf8)) != nil)
        #expect(refusal("setup.pdf", Sample.exe) == "does not look like a .{0} file")
        #expect(refusal("empty.pdf", Data()) == "the file is empty")
        #expect(refusal("huge.pdf", Sample.pdf + Data(count: AttachmentRules.maxFileBytes)) == "is larger than the {0} MB limit")
    }

    @Test func aMessageTakesTenFilesOf25MBTogetherAndNamesEachRefusalByItsPlace() {
        let nine = Data(count: 9 * 1024 * 1024 - Sample.pdf.count)
        let big = (0..<3).map { AttachmentUpload(name: "大文件\($0).pdf", data: Sample.pdf + nine) }
        var e = FieldErrors()
        let kept = AttachmentRules.checked(big, into: &e)
        #expect(kept.count == 2 && e.messages.keys.sorted() == ["attachments[2]"])
        #expect(e.messages["attachments[2]"]?.key == "attachments together are larger than the {0} MB limit")
        let many = (0..<12).map { AttachmentUpload(name: "图\($0).png", data: Sample.png) } + [AttachmentUpload(name: "", data: Data())]
        var e2 = FieldErrors()
        #expect(AttachmentRules.checked(many, into: &e2).count == 10)
        #expect(e2.messages.keys.sorted() == ["attachments[10]", "attachments[11]"])
        #expect(e2.messages["attachments[10]"]?.text == "at most 10 attachments per message")
    }

    @Test func downloadsAreAlwaysSavedUnderTheirExactName() {
        #expect(AttachmentRules.contentDisposition("发票 🧾.pdf")
                == "attachment; filename=\"__ _.pdf\"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%F0%9F%A7%BE.pdf")
        #expect(AttachmentRules.contentDisposition("a__ filename=x.html") == "attachment; filename=\"a__ filename=x.html\"; filename*=UTF-8''a__%20filename%3Dx.html")
        #expect(AttachmentRules.servedType("image/png") == "image/png" && AttachmentRules.servedType("application/pdf") == "application/pdf")
        #expect(AttachmentRules.servedType("text/plain") == "application/octet-stream" && AttachmentRules.servedType("application/zip") == "application/octet-stream")
        #expect(AttachmentRules.size(512) == "512 B" && AttachmentRules.size(38 * 1024) == "38 KB" && AttachmentRules.size(2_516_582) == "2.4 MB")
    }

    @Test func aReplyWithFilesIsMultipartMixedAndReadsBackWithItsFiles() throws {
        var m = OutgoingMail(from: "关系客服 <kf@guanxi.test>", to: MailAddress(name: "王芳", address: "wang@example.cn"), subject: "[#3] 茶叶罐破损",
                             body: "您好，发票见附件。", messageID: "ticket-t1-m1@crm.example.cn")
        m.attachments = [CheckedAttachment(name: "发票 🧾.pdf", contentType: "application/pdf", data: Sample.pdf),
                         CheckedAttachment(name: "photo.png", contentType: "image/png", data: Sample.png)]
        let raw = MailComposer.render(m, date: Date(timeIntervalSince1970: 1_791_766_800))
        #expect(raw.contains("Content-Type: multipart/mixed; boundary=\"=_guanxi_ticket"))
        #expect(raw.contains("Content-Disposition: attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%F0%9F%A7%BE.pdf"))
        #expect(raw.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 998 && $0.utf8.allSatisfy { $0 < 128 } })
        let back = try InboundMail.parse(Array(raw.utf8))
        #expect(back.text == "您好，发票见附件。")
        #expect(back.files.map(\.name) == ["发票 🧾.pdf", "photo.png"] && back.files.map(\.data) == [Sample.pdf, Sample.png])
        // without files the mail is as before: one text part
        m.attachments = []
        #expect(!MailComposer.render(m, date: Date()).contains("multipart"))
    }

    @Test func aCustomersMailBringsItsFilesDecoded() throws {
        let raw = """
        From: 王芳 <wang@example.cn>\r
        Subject: =?UTF-8?B?5Y+R56Wo?=\r
        Message-ID: <f1@example.cn>\r
        Content-Type: multipart/mixed; boundary="b1"\r
        \r
        --b1\r
        Content-Type: text/plain; charset=UTF-8\r
        \r
        请看照片\r
        --b1\r
        Content-Type: image/png\r
        Content-Disposition: attachment; filename*=utf-8''%E7%85%A7%E7%89%87.png\r
        Content-Transfer-Encoding: base64\r
        \r
        \(Sample.png.base64EncodedString())\r
        --b1\r
        Content-Type: text/html; name="x.html"\r
        Content-Disposition: attachment; filename="x.html"\r
        \r
        <script>alert(1)</script>\r
        --b1--\r
        """
        let mail = try InboundMail.parse(Array(raw.utf8))
        #expect(mail.words == "请看照片" && mail.attachments == ["照片.png", "x.html"])
        #expect(mail.files.map(\.name) == ["照片.png", "x.html"] && mail.files.first?.data == Sample.png)
        let (kept, refused) = AttachmentRules.sort(mail.files)
        #expect(kept.map(\.name) == ["照片.png"] && refused.map(\.index) == [1])
    }
}
