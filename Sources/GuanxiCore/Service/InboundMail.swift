import Foundation

/// A customer's mail as the service desk reads it: who sent it, what it answers, its subject and
/// its words. Made from the raw message by `parse`, which refuses what it cannot read (the
/// mailbox poller quarantines those with the reason).
package struct InboundMail: Sendable, Equatable {
    /// Its Message-ID, without angle brackets (nil when the sender gave none).
    package var messageID: String?
    package var inReplyTo: [String]
    package var references: [String]
    package var from: MailAddress
    /// Decoded, on one line; may be empty.
    package var subject: String
    /// The body as text: the plain part when there is one, else the HTML part's text; with any
    /// history the sender's client quoted.
    package var text: String
    /// Names (or types) of the parts that are not the text: attachments.
    package var attachments: [String]
    /// Those parts with their bytes (transfer encoding undone), in order; a part whose bytes
    /// cannot be decoded is here empty (the attachment rules refuse it).
    package var files: [AttachmentUpload] = []
    /// A delivery status report (a bounce) rather than a person's mail.
    package var isBounce: Bool

    /// The ids this mail answers, nearest first: In-Reply-To, then References from the newest.
    package var answers: [String] { inReplyTo + references.reversed().filter { !inReplyTo.contains($0) } }

    /// The words to file on the ticket: the text without quoted history, or a line naming the
    /// attachments when there is no text.
    package var words: String {
        let w = MailText.withoutQuotedHistory(text)
        if !w.isEmpty { return w }
        return attachments.isEmpty ? "(empty message)" : "(attachments: \(attachments.joined(separator: ", ")))"
    }

    /// Parses a raw message (RFC 5322 with MIME): headers with encoded words, multipart bodies
    /// (alternative: the plain part is preferred, else the HTML part's text), base64 and
    /// quoted-printable, the charsets Chinese clients use. Refused: no header section, no valid
    /// sender, a multipart body without its boundary, text that is not valid in its charset or
    /// whose base64 is broken, MIME nested more than 12 deep.
    package static func parse(_ raw: [UInt8]) throws(MailParseError) -> InboundMail {
        var bytes = raw[...]
        // an mbox "From " line before the headers
        if bytes.starts(with: Array("From ".utf8)), let nl = bytes.firstIndex(of: 10) { bytes = bytes[(nl + 1)...] }
        let (headers, body) = try entity(bytes, top: true)
        guard let from = MailAddress.parse(headers["From"]) ?? MailAddress.parse(headers["From"].map(MailHeaders.decodeWords)) else {
            throw MailParseError(headers["From"] == nil ? "the mail has no sender (From)" : "the sender (From) is not an email address")
        }
        var found = Found()
        try walk(headers, body, depth: 0, into: &found)
        let text = !found.plain.isEmpty ? found.plain.joined(separator: "\n\n") : found.html.map(MailText.htmlToText).joined(separator: "\n\n")
        let type = MailHeaders.parameters(headers["Content-Type"] ?? "text/plain").value
        let local = from.address.prefix { $0 != "@" }
        return InboundMail(
            messageID: MailHeaders.messageIDs(headers["Message-ID"]).first,
            inReplyTo: MailHeaders.messageIDs(headers["In-Reply-To"]), references: MailHeaders.messageIDs(headers["References"]),
            from: from, subject: Text.clean(MailHeaders.decodeWords(headers["Subject"] ?? "")).replacingOccurrences(of: "\n", with: " "),
            text: MailText.collapse(text.replacingOccurrences(of: "\r\n", with: "\n")), attachments: found.attachments,
            files: found.files, isBounce: type == "multipart/report" || local == "mailer-daemon" || local == "postmaster")
    }

    /// What the walk over the parts collects.
    struct Found {
        var plain: [String] = []
        var html: [String] = []
        var attachments: [String] = []
        var files: [AttachmentUpload] = []
    }

    /// Headers and body of an entity; a part may have no headers (then it is plain US-ASCII text).
    static func entity(_ bytes: ArraySlice<UInt8>, top: Bool) throws(MailParseError) -> (MailHeaders, ArraySlice<UInt8>) {
        // the header section ends at the first empty line
        var i = bytes.startIndex, headerEnd = bytes.endIndex, bodyStart = bytes.endIndex
        if bytes.first == 10 || bytes.starts(with: [13, 10]) {
            guard !top else { throw MailParseError("the mail does not start with a header section") }
            return (MailHeaders([]), bytes[(bytes.first == 10 ? bytes.startIndex + 1 : bytes.startIndex + 2)...])
        }
        while let nl = bytes[i...].firstIndex(of: 10) {
            let next = nl + 1
            if next < bytes.endIndex, bytes[next] == 10 { headerEnd = nl; bodyStart = next + 1; break }
            if next + 1 < bytes.endIndex, bytes[next] == 13, bytes[next + 1] == 10 { headerEnd = nl; bodyStart = next + 2; break }
            i = next
        }
        do {
            return (try MailHeaders.parse(bytes[bytes.startIndex..<headerEnd]), bytes[bodyStart...])
        } catch {
            if top { throw error }
            return (MailHeaders([]), bytes)
        }
    }

    static func walk(_ headers: MailHeaders, _ body: ArraySlice<UInt8>, depth: Int, into found: inout Found) throws(MailParseError) {
        let (type, params) = MailHeaders.parameters(headers["Content-Type"] ?? "text/plain")
        let (disposition, dparams) = MailHeaders.parameters(headers["Content-Disposition"] ?? "")
        let name = (dparams["filename"] ?? params["name"]).map(MailHeaders.decodeWords)
        if type.hasPrefix("multipart/") {
            guard depth < 12 else { throw MailParseError("MIME parts are nested more than 12 deep") }
            guard let boundary = params["boundary"], !boundary.isEmpty else { throw MailParseError("a \(type) body has no boundary") }
            let parts = try split(body, boundary: boundary)
            if type == "multipart/alternative" {
                // the alternatives of one text: the first plain one, else the first HTML one
                var plain: [String] = [], html: [String] = []
                for p in parts {
                    let (h, b) = try entity(p, top: false)
                    var f = Found()
                    try walk(h, b, depth: depth + 1, into: &f)
                    if plain.isEmpty { plain = f.plain }
                    if html.isEmpty { html = f.html }
                    found.attachments += f.attachments
                    found.files += f.files
                }
                found.plain += plain; found.html += html
            } else {
                for p in parts {
                    let (h, b) = try entity(p, top: false)
                    try walk(h, b, depth: depth + 1, into: &found)
                }
            }
            return
        }
        let isText = (type == "text/plain" || type == "text/html" || type.isEmpty) && disposition != "attachment"
        guard isText else {
            found.attachments.append(name ?? type)
            let cte = (headers["Content-Transfer-Encoding"] ?? "7bit").trimmingCharacters(in: .whitespaces).lowercased()
            let bytes: [UInt8] = switch cte {
            case "base64": MailText.base64Decoded(Array(body), strict: false) ?? []
            case "quoted-printable": MailText.quotedPrintableDecoded(Array(body))
            default: Array(body)
            }
            let unnamed = ["image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "application/pdf": "pdf", "text/csv": "csv"][type]
            found.files.append(AttachmentUpload(name: name ?? "attachment" + (unnamed.map { "." + $0 } ?? ""), declaredType: type, data: Data(bytes)))
            return
        }
        let text = try decodeText(headers, body, charset: params["charset"])
        if type == "text/html" { found.html.append(text) } else { found.plain.append(text) }
    }

    /// A text part's characters: its transfer encoding undone, then its charset. A few undecodable
    /// bytes (a damaged character) become U+FFFD; more than that means it is not text in that charset.
    static func decodeText(_ headers: MailHeaders, _ body: ArraySlice<UInt8>, charset: String?) throws(MailParseError) -> String {
        let cte = (headers["Content-Transfer-Encoding"] ?? "7bit").trimmingCharacters(in: .whitespaces).lowercased()
        let bytes: [UInt8]
        switch cte {
        case "base64":
            guard let b = MailText.base64Decoded(Array(body), strict: true) else { throw MailParseError("a text part's base64 is broken") }
            bytes = b
        case "quoted-printable": bytes = MailText.quotedPrintableDecoded(Array(body))
        case "7bit", "8bit", "binary", "": bytes = Array(body)
        default: throw MailParseError("unknown transfer encoding \(cte)")
        }
        let declared = charset ?? "us-ascii"
        guard let decoded = TextDecoding.decode(bytes, charset: declared) else { throw MailParseError("unknown charset \(declared)") }
        if decoded.invalid == 0 { return decoded.text }
        // undeclared 8-bit text from older Chinese clients is GB18030 more often than not
        if charset == nil || declared.lowercased() == "us-ascii", let gb = TextDecoding.decode(bytes, charset: "gb18030"), gb.invalid == 0 {
            return gb.text
        }
        guard decoded.invalid <= 3, decoded.invalid * 50 <= bytes.count else {
            throw MailParseError("a text part is not valid \(declared) (\(decoded.invalid) undecodable bytes)")
        }
        return decoded.text
    }

    /// The parts of a multipart body: what lies between its `--boundary` lines, the line break
    /// before each delimiter belonging to the delimiter. A missing closing delimiter is tolerated
    /// (the last part runs to the end); a body without any delimiter is refused.
    static func split(_ body: ArraySlice<UInt8>, boundary: String) throws(MailParseError) -> [ArraySlice<UInt8>] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int? = nil
        var lineStart = body.startIndex
        var closed = false
        while lineStart < body.endIndex {
            let nl = body[lineStart...].firstIndex(of: 10)
            let lineEnd = nl ?? body.endIndex
            var line = body[lineStart..<lineEnd]
            if line.last == 13 { line = line.dropLast() }
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let isClose = rest.starts(with: [45, 45])
                let trailing = isClose ? rest.dropFirst(2) : rest
                if trailing.allSatisfy({ $0 == 32 || $0 == 9 }) {
                    if let s = partStart {
                        // the line break before the delimiter is part of it
                        var e = lineStart
                        if e > s, body[e - 1] == 10 { e -= 1 }
                        if e > s, body[e - 1] == 13 { e -= 1 }
                        parts.append(body[s..<max(s, e)])
                    }
                    if isClose { closed = true; break }
                    partStart = nl.map { $0 + 1 } ?? body.endIndex
                }
            }
            guard let nl else { break }
            lineStart = nl + 1
        }
        if !closed, let s = partStart { parts.append(body[s...]) }
        guard partStart != nil else { throw MailParseError("a multipart body does not contain its boundary") }
        guard !parts.isEmpty else { throw MailParseError("a multipart body has no parts") }
        return parts
    }
}
