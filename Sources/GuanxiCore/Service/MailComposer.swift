import Foundation

/// A plain-text mail to send: the desk's reply to a customer, a notification, a confirmation link.
package struct OutgoingMail: Sendable, Equatable {
    /// The sender as configured: `crm@example.cn` or `关系客服 <crm@example.cn>`.
    package var from: String
    package var to: MailAddress
    package var subject: String
    package var body: String
    /// Without angle brackets.
    package var messageID: String
    package var inReplyTo: String?
    /// Oldest first, the nearest (usually `inReplyTo`) last.
    package var references: [String]
    /// Files sent with the text (the mail is then multipart/mixed).
    package var attachments: [CheckedAttachment] = []

    package init(from: String, to: MailAddress, subject: String, body: String, messageID: String, inReplyTo: String? = nil,
                 references: [String] = []) {
        self.from = from; self.to = to; self.subject = subject; self.body = body; self.messageID = messageID
        self.inReplyTo = inReplyTo; self.references = references
    }
}

/// Writes outgoing mail as it goes over SMTP: ASCII headers (RFC 2047 encoded words for anything
/// else, folded to stay within the line limit), a UTF-8 text body in base64, CRLF line ends; with
/// attachments, multipart/mixed: the text, then each file in base64 with its name (RFC 2231).
package enum MailComposer {
    package static func render(_ m: OutgoingMail, date: Date) -> String {
        var lines = [
            "From: " + address(m.from),
            "To: " + (m.to.name.map { phrase($0) + " <\(m.to.address)>" } ?? m.to.address),
            "Subject: " + encodeWords(m.subject),
            "Date: " + rfc5322(date),
            "Message-ID: <\(m.messageID)>",
        ]
        if let r = m.inReplyTo { lines.append("In-Reply-To: <\(r)>") }
        if !m.references.isEmpty { lines.append("References: " + m.references.map { "<\($0)>" }.joined(separator: "\r\n ")) }
        lines.append("MIME-Version: 1.0")
        let text = ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", base64Lines(Data(m.body.utf8))]
        guard !m.attachments.isEmpty else { return (lines + text).joined(separator: "\r\n") + "\r\n" }
        // a boundary that cannot occur in base64 or in the headers above ("=_" never starts a base64 line)
        let boundary = "=_guanxi_" + String(m.messageID.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(40))
        lines += ["Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "", "This is a multipart message in MIME format.", "--" + boundary]
        lines += text
        for a in m.attachments {
            let encoded = a.name.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")) ?? "attachment"
            lines += ["--" + boundary,
                      "Content-Type: \(a.contentType); name=\"\(encodeWords(a.name).replacingOccurrences(of: "\"", with: "'"))\"",
                      "Content-Disposition: attachment; filename*=UTF-8''\(encoded)",
                      "Content-Transfer-Encoding: base64", "", base64Lines(a.data)]
        }
        lines.append("--" + boundary + "--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Base64 in lines of 76 characters joined by CRLF.
    static func base64Lines(_ data: Data) -> String {
        let b64 = Array(data.base64EncodedString().utf8)
        return stride(from: 0, to: b64.count, by: 76).map { String(decoding: b64[$0..<min($0 + 76, b64.count)], as: UTF8.self) }
            .joined(separator: "\r\n")
    }

    /// The subject of the desk's mail about ticket `number`: `[#12] 茶叶罐破损`, `Re: [#12] …` when
    /// it answers the customer's mail.
    package static func ticketSubject(number: Int, subject: String, answering: Bool) -> String {
        (answering ? "Re: " : "") + "[#\(number)] " + MailText.cleanSubject(subject)
    }

    /// Header text as ASCII: as it is when it is printable ASCII, else UTF-8 encoded words of at
    /// most 42 bytes each (so each folded line stays under 78 characters), cut between characters.
    package static func encodeWords(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if oneLine.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }), !oneLine.contains("=?"), oneLine.utf8.count <= 900 { return oneLine }
        var words: [String] = [], chunk: [UInt8] = []
        for ch in oneLine {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 42, !chunk.isEmpty { words.append(word(chunk)); chunk = [] }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }

    /// A display name: quoted when it is ASCII with specials, encoded words when it is not ASCII.
    static func phrase(_ name: String) -> String {
        guard name.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) else { return encodeWords(name) }
        let specials = CharacterSet(charactersIn: "()<>[]:;@\\,.\"")
        guard name.unicodeScalars.contains(where: specials.contains) else { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A configured sender (`a@b` or `Name <a@b>`) with its display name made ASCII.
    static func address(_ configured: String) -> String {
        guard !configured.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }), let a = MailAddress.parse(configured) else { return configured }
        return a.name.map { phrase($0) + " <\(a.address)>" } ?? a.address
    }

    /// `Fri, 09 Oct 2026 04:30:00 +0000`.
    package static func rfc5322(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss +0000"
        return f.string(from: date)
    }
}
