import Foundation
import Testing
@testable import GuanxiCore

/// A raw mail from header lines and a body, CRLF line ends as on the wire.
func rawMail(_ headers: [String], _ body: String) -> [UInt8] {
    Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + body.replacingOccurrences(of: "\n", with: "\r\n")).utf8)
}

func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

@Suite("Mail in: headers, encoded words and addresses")
struct MailHeaderTests {
    @Test func encodedWordsDecodeInUTF8GB18030Big5AndLatin1() throws {
        // given subjects as Chinese, Taiwanese and European clients encode them
        let gb = try #require(TextDecoding.encodeGB18030("退货申请：茶叶罐破损"))
        let big5 = try #require(TextDecoding.encode("繁體中文客服", charset: "BIG5"))
        // then each decodes to the same text
        #expect(MailHeaders.decodeWords("=?UTF-8?B?\(b64(Array("茶叶罐破损 😢".utf8)))?=") == "茶叶罐破损 😢")
        #expect(MailHeaders.decodeWords("=?gb2312?B?\(b64(Array(gb)))?=") == "退货申请：茶叶罐破损")
        #expect(MailHeaders.decodeWords("=?GBK?B?\(b64(Array(gb)))?=") == "退货申请：茶叶罐破损")
        #expect(MailHeaders.decodeWords("=?GB18030?B?\(b64(Array(gb)))?=") == "退货申请：茶叶罐破损")
        #expect(MailHeaders.decodeWords("=?big5?B?\(b64(big5))?=") == "繁體中文客服")
        #expect(MailHeaders.decodeWords("=?ISO-8859-1?Q?Caf=E9_cr=E8me?=") == "Café crème")
        #expect(MailHeaders.decodeWords("=?utf-8?q?=E4=BD=A0=E5=A5=BD?= world") == "你好 world")
    }

    @Test func wordsSplitInsideACharacterAreJoinedAndTheSpaceBetweenThemDrops() {
        // given "你好吗" in UTF-8 cut after the fourth byte (inside 好), as some senders cut long subjects
        let bytes = Array("你好吗".utf8)
        let a = "=?UTF-8?B?\(b64(Array(bytes[..<4])))?=", b = "=?UTF-8?B?\(b64(Array(bytes[4...])))?="
        // then the words join into one text; text around them keeps its spaces
        #expect(MailHeaders.decodeWords("\(a) \(b)") == "你好吗")
        #expect(MailHeaders.decodeWords("Re: \(a)\t\(b) [#12]") == "Re: 你好吗 [#12]")
        // and something that only looks like a word stays
        #expect(MailHeaders.decodeWords("a =? b ?= c") == "a =? b ?= c")
    }

    @Test func foldedHeadersUnfoldAndRawUTF8OrGBKFieldsAreRead() throws {
        let gbk = try #require(TextDecoding.encodeGB18030("张伟"))
        var raw = Array("Subject: =?UTF-8?B?\(b64(Array("关于订单".utf8)))?=\r\n =?UTF-8?B?\(b64(Array("发货".utf8)))?=\r\nX-Name: ".utf8)
        raw += Array(gbk) + Array("\r\nTo: 客服 <kf@example.cn>\r\n".utf8)
        let h = try MailHeaders.parse(raw[...])
        #expect(MailHeaders.decodeWords(h["subject"] ?? "") == "关于订单发货")
        #expect(h["X-Name"] == "张伟")
        #expect(h["to"] == "客服 <kf@example.cn>")
        // bytes that are neither UTF-8 nor GB18030 are refused
        #expect(throws: MailParseError.self) { try MailHeaders.parse((Array("Subject: ".utf8) + [0xFF, 0x80, 0xFF] + [13, 10])[...]) }
    }

    @Test func senderAddressesInTheirUsualShapes() {
        let gb = TextDecoding.encodeGB18030("王芳").map { b64(Array($0)) } ?? ""
        #expect(MailAddress.parse("\"王芳\" <Wang.Fang@Example.CN>") == MailAddress(name: "王芳", address: "wang.fang@example.cn"))
        #expect(MailAddress.parse("=?GBK?B?\(gb)?= <wang@example.cn>") == MailAddress(name: "王芳", address: "wang@example.cn"))
        #expect(MailAddress.parse("li@example.com (Li Lei)") == MailAddress(name: "Li Lei", address: "li@example.com"))
        #expect(MailAddress.parse("li@example.com") == MailAddress(name: nil, address: "li@example.com"))
        #expect(MailAddress.parse("\"Doe, Jane\" <jane@example.com>, bob@example.com") == MailAddress(name: "Doe, Jane", address: "jane@example.com"))
        #expect(MailAddress.parse("undisclosed-recipients:;") == nil)
        #expect(MailAddress.parse("Someone <not an address>") == nil)
    }

    @Test func parametersWithQuotesAndRFC2231() {
        let (v, p) = MailHeaders.parameters("Text/Plain; charset=\"GB2312\"; format=flowed")
        #expect(v == "text/plain" && p["charset"] == "GB2312" && p["format"] == "flowed")
        let name = MailHeaders.parameters("attachment; filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf").params["filename"]
        #expect(name == "发票.pdf")
        let parts = MailHeaders.parameters("attachment; filename*0=\"long\"; filename*1=\"name.txt\"").params["filename"]
        #expect(parts == "longname.txt")
        #expect(MailHeaders.parameters("multipart/mixed; boundary=\"=_a;b\"").params["boundary"] == "=_a;b")
    }

    @Test func messageIDsWithAndWithoutBrackets() {
        #expect(MailHeaders.messageIDs("<a@b> <c@d>\r\n <e@f>") == ["a@b", "c@d", "e@f"])
        #expect(MailHeaders.messageIDs("x@y") == ["x@y"])
        #expect(MailHeaders.messageIDs(nil).isEmpty)
    }
}

@Suite("Mail in: bodies, charsets, quoted history, and mail refused")
struct MailBodyTests {
    @Test func multipartAlternativePrefersThePlainPart() throws {
        let mail = try InboundMail.parse(rawMail([
            "From: =?UTF-8?B?\(b64(Array("李雷".utf8)))?= <li.lei@example.cn>", "To: kf@example.cn",
            "Subject: =?UTF-8?B?\(b64(Array("发票抬头".utf8)))?=", "Message-ID: <m1@mail.example.cn>",
            "MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=\"b1\"",
        ], """
        preamble
        --b1
        Content-Type: text/plain; charset=UTF-8
        Content-Transfer-Encoding: quoted-printable

        =E8=AF=B7=E5=BC=80=E5=8F=91=E7=A5=A8=EF=BC=8C=E8=B0=A2=E8=B0=A2=
        =E3=80=82
        --b1
        Content-Type: text/html; charset=UTF-8

        <p>HTML version</p>
        --b1--
        epilogue
        """))
        #expect(mail.from == MailAddress(name: "李雷", address: "li.lei@example.cn"))
        #expect(mail.subject == "发票抬头" && mail.messageID == "m1@mail.example.cn")
        #expect(mail.text == "请开发票，谢谢。")
        #expect(mail.attachments.isEmpty && !mail.isBounce)
    }

    @Test func htmlOnlyMailBecomesText() throws {
        let mail = try InboundMail.parse(rawMail(["From: a@example.com", "Content-Type: text/html; charset=utf-8"], """
        <html><head><title>t</title><style>p { color: red }</style></head><body>
        <p>您好，</p><p>订单&nbsp;#123 还没到&hellip;<br>谢谢&amp;祝好</p>
        <script>alert(1)</script><!-- hidden --><div>王芳</div></body></html>
        """))
        #expect(mail.text == "您好，\n\n订单 #123 还没到…\n谢谢&祝好\n\n王芳")
    }

    @Test func htmlTextWithStrayBracketsAndLongDocumentsStaysLinear() {
        #expect(MailText.htmlToText("<p>1 &lt; 2</p><p>a <- b") == "1 < 2\n\na <- b")
        // many tags and no comment: each tag is read once (a document of 20,000 paragraphs)
        let big = String(repeating: "<p>第<b>一</b>段</p>", count: 20_000)
        #expect(MailText.htmlToText(big).split(separator: "\n").count == 20_000)
    }

    @Test func base64GBKAndUndeclared8BitGBKBodies() throws {
        let gb = try #require(TextDecoding.encodeGB18030("收到的茶叶罐破损了，请处理。"))
        let declared = try InboundMail.parse(rawMail(["From: a@example.cn", "Content-Type: text/plain; charset=gbk",
                                                     "Content-Transfer-Encoding: base64"], b64(Array(gb))))
        #expect(declared.text == "收到的茶叶罐破损了，请处理。")
        let undeclared = try InboundMail.parse(Array("From: a@example.cn\r\n\r\n".utf8) + Array(gb))
        #expect(undeclared.text == "收到的茶叶罐破损了，请处理。")
    }

    @Test func attachmentsAreSkippedWithTheirNames() throws {
        let mail = try InboundMail.parse(rawMail([
            "From: a@example.cn", "Content-Type: multipart/mixed; boundary=outer",
        ], """
        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner
        Content-Type: text/plain; charset=utf-8

        见附件 📎
        --inner--
        --outer
        Content-Type: application/pdf; name="x.pdf"
        Content-Disposition: attachment; filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK!!!not-base64!!!
        --outer
        Content-Type: image/png

        \u{7F}PNG
        --outer--
        """))
        #expect(mail.text == "见附件 📎")
        #expect(mail.attachments == ["发票.pdf", "image/png"])
        #expect(mail.words == "见附件 📎")
        let bare = try InboundMail.parse(rawMail(["From: a@example.cn", "Content-Type: multipart/mixed; boundary=o"], """
        --o
        Content-Type: application/zip; name="a.zip"

        PK
        --o--
        """))
        #expect(bare.words == "(attachments: a.zip)")
    }

    @Test func threadingHeadersNearestFirst() throws {
        let mail = try InboundMail.parse(rawMail(["From: a@example.cn", "In-Reply-To: <r2@x>", "References: <r0@x> <r1@x>\r\n <r2@x>"], "ok"))
        #expect(mail.answers == ["r2@x", "r1@x", "r0@x"])
    }

    @Test func brokenMailIsRefusedWithAReason() {
        func reason(_ raw: [UInt8]) -> String? {
            do { _ = try InboundMail.parse(raw); return nil } catch { return error.reason }
        }
        #expect(reason(Array("this is not a mail at all\r\n".utf8)) == "the mail does not start with a header section")
        #expect(reason(rawMail(["Subject: hi"], "body")) == "the mail has no sender (From)")
        #expect(reason(rawMail(["From: nobody"], "body")) == "the sender (From) is not an email address")
        #expect(reason(rawMail(["From: a@b.cn", "Content-Type: multipart/mixed"], "--x\nhi\n--x--")) == "a multipart/mixed body has no boundary")
        #expect(reason(rawMail(["From: a@b.cn", "Content-Type: multipart/mixed; boundary=zz"], "no parts here")) == "a multipart body does not contain its boundary")
        #expect(reason(rawMail(["From: a@b.cn", "Content-Transfer-Encoding: base64"], "****")) == "a text part's base64 is broken")
        #expect(reason(rawMail(["From: a@b.cn", "Content-Type: text/plain; charset=x-no-such-charset"], "é")) == "unknown charset x-no-such-charset")
        // 8-bit garbage declared as UTF-8
        let garbage = Array("From: a@b.cn\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".utf8) + (0..<64).map { UInt8(0x80 | ($0 * 37 % 128)) | 0x80 }
        #expect(reason(garbage)?.hasPrefix("a text part is not valid utf-8") == true)
        // one damaged character in a long text is let through
        let damaged = Array("From: a@b.cn\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".utf8) + Array(String(repeating: "好", count: 100).utf8) + [0xE5]
        #expect(reason(damaged) == nil)
    }

    @Test func quotedHistoryIsCutInEnglishAndChineseClients() {
        #expect(MailText.withoutQuotedHistory("Thanks!\n\nOn Fri, 9 Oct 2026 at 12:30, Guanxi <kf@x.cn> wrote:\n> old") == "Thanks!")
        #expect(MailText.withoutQuotedHistory("好的\n\nOn Fri, 9 Oct 2026 at 12:30, Guanxi Support <kf@x.cn>\nwrote:\n> old") == "好的")
        #expect(MailText.withoutQuotedHistory("收到，谢谢\n\n客服 <kf@x.cn> 于2026年10月9日周五 12:30写道：\n> 您好") == "收到，谢谢")
        #expect(MailText.withoutQuotedHistory("可以\n在 2026-10-09 12:30:00，\"客服\" <kf@x.cn> 写道:\n旧内容") == "可以")
        #expect(MailText.withoutQuotedHistory("明白\n\n------------------ 原始邮件 ------------------\n发件人: 客服\n旧的") == "明白")
        #expect(MailText.withoutQuotedHistory("OK\n________________________________\n发件人: 客服 <kf@x.cn>\n发送时间: 2026年10月9日 12:30\n旧的") == "OK")
        #expect(MailText.withoutQuotedHistory("Yes\nFrom: Support <kf@x.cn>\nSent: Friday\nold") == "Yes")
        #expect(MailText.withoutQuotedHistory("第一行\n> 引用\n第二行\n-- \n签名") == "第一行\n第二行")
        // a customer quoting only: the whole text is kept
        #expect(MailText.withoutQuotedHistory("> 只有引用") == "> 只有引用")
        // "wrote:" in the customer's own words is not an attribution
        #expect(MailText.withoutQuotedHistory("My son wrote: hello\nthanks") == "My son wrote: hello\nthanks")
    }

    @Test func subjectsCarryTheTicketNumber() {
        #expect(MailText.ticketNumber(in: "Re: [#1024] 茶叶罐破损") == 1024)
        #expect(MailText.ticketNumber(in: "回复：[#7]退货") == 7)
        #expect(MailText.ticketNumber(in: "[#abc] no") == nil)
        #expect(MailText.ticketNumber(in: "#12 no brackets") == nil)
        #expect(MailText.cleanSubject("Re: RE[2]: 回复：Fwd: [#12] 茶叶罐破损") == "茶叶罐破损")
        #expect(MailText.cleanSubject("答复: 转发： 发票") == "发票")
        #expect(MailText.cleanSubject("Reading list") == "Reading list")
    }
}

@Suite("Mail out: the desk's replies as they go over SMTP")
struct MailComposerTests {
    @Test func longChineseSubjectsAreEncodedWordsOnShortLinesThatDecodeBack() {
        let subject = "Re: [#1024] " + String(repeating: "茶叶罐破损了需要换货😢", count: 6)
        let encoded = MailComposer.encodeWords(subject)
        #expect(encoded.utf8.allSatisfy { $0 < 128 })
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { ("Subject: " + $0).count <= 78 })
        #expect(MailHeaders.decodeWords(encoded.replacingOccurrences(of: "\r\n", with: "")) == subject)
        #expect(MailComposer.encodeWords("[#3] Hello") == "[#3] Hello")
    }

    @Test func aReplyParsesBackWithItsThreading() throws {
        let mail = OutgoingMail(from: "关系客服 <kf@guanxi.example>", to: MailAddress(name: "王芳", address: "wang@example.cn"),
                                subject: MailComposer.ticketSubject(number: 12, subject: "Re: 茶叶罐破损", answering: true),
                                body: "您好，已为您安排换货。\n.\n.leading dot 🍵", messageID: "ticket-t1-m2@crm.example.cn",
                                inReplyTo: "c1@mail.example.cn", references: ["c0@mail.example.cn", "c1@mail.example.cn"])
        let text = MailComposer.render(mail, date: Date(timeIntervalSince1970: 0))
        #expect(text.utf8.allSatisfy { $0 < 128 })
        #expect(text.contains("Message-ID: <ticket-t1-m2@crm.example.cn>\r\nIn-Reply-To: <c1@mail.example.cn>\r\n"))
        #expect(text.contains("References: <c0@mail.example.cn>\r\n <c1@mail.example.cn>\r\n"))
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        let back = try InboundMail.parse(Array(text.utf8))
        #expect(back.subject == "Re: [#12] 茶叶罐破损")
        #expect(back.from == MailAddress(name: "关系客服", address: "kf@guanxi.example"))
        #expect(back.text == "您好，已为您安排换货。\n.\n.leading dot 🍵")
        #expect(back.messageID == "ticket-t1-m2@crm.example.cn" && back.answers == ["c1@mail.example.cn", "c0@mail.example.cn"])
        #expect(text.contains("To: =?UTF-8?B?\(b64(Array("王芳".utf8)))?= <wang@example.cn>\r\n"))
    }
}
