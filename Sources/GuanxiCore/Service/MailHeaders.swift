import Foundation

/// Why a mail could not be read; the text goes into the quarantine as its reason.
package struct MailParseError: Error, Sendable, Equatable, CustomStringConvertible {
    package var reason: String
    package init(_ reason: String) { self.reason = reason }
    package var description: String { reason }
}

/// A mail's header section (RFC 5322): unfolded fields in their order, names matched without case.
package struct MailHeaders: Sendable, Equatable {
    package var fields: [(name: String, value: String)]

    package init(_ fields: [(name: String, value: String)]) { self.fields = fields }

    package static func == (a: Self, b: Self) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// The first field of that name, unfolded, as sent (encoded words still encoded).
    package subscript(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Reads a header section: lines up to the first empty one, continuation lines (starting with
    /// a space or tab) joined to the field before. Field text must be UTF-8 (RFC 6532) or, as some
    /// older Chinese clients write it, raw GB18030; anything else is refused, as is a section with
    /// no field at all.
    package static func parse(_ bytes: ArraySlice<UInt8>) throws(MailParseError) -> MailHeaders {
        var fields: [(name: String, value: [UInt8])] = []
        for var line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            if line.last == 13 { line = line.dropLast() }
            if line.isEmpty { continue }
            if line.first == 32 || line.first == 9 {
                // folded: the line break goes, the white space stays
                if !fields.isEmpty { fields[fields.count - 1].value += line }
                continue
            }
            guard let colon = line.firstIndex(of: 58), colon > line.startIndex,
                  line[..<colon].allSatisfy({ $0 > 32 && $0 < 127 }) else {
                if fields.isEmpty { throw MailParseError("the mail does not start with a header section") }
                continue   // a stray line between fields: ignored
            }
            fields.append((String(decoding: line[..<colon], as: UTF8.self), Array(line[line.index(after: colon)...])))
        }
        guard !fields.isEmpty else { throw MailParseError("the mail has no header fields") }
        var out: [(name: String, value: String)] = []
        for (name, raw) in fields {
            guard !raw.contains(0) else { throw MailParseError("header \(name) holds NUL bytes") }
            guard let text = String(validating: raw, as: UTF8.self)
                    ?? TextDecoding.decode(raw, charset: "gb18030").flatMap({ $0.invalid == 0 ? $0.text : nil }) else {
                throw MailParseError("header \(name) is neither UTF-8 nor GB18030 text")
            }
            out.append((name, text.trimmingCharacters(in: .whitespaces)))
        }
        return MailHeaders(out)
    }

    /// A structured field's main value and its parameters (`text/plain; charset="gb2312"`), names
    /// lowercased; RFC 2231 forms (`filename*=utf-8''%E5%90%88`, `name*0=…; name*1=…`) joined and decoded.
    package static func parameters(_ value: String) -> (value: String, params: [String: String]) {
        var parts: [String] = []
        var current = "", quoted = false, escaped = false
        for ch in value {
            if escaped { current.append(ch); escaped = false; continue }
            if quoted && ch == "\\" { escaped = true; continue }
            if ch == "\"" { quoted.toggle(); continue }
            if ch == ";" && !quoted { parts.append(current); current = ""; continue }
            current.append(ch)
        }
        parts.append(current)
        let main = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
        var plain: [String: String] = [:]
        var pieces: [String: [(Int, String, Bool)]] = [:]   // name → (section, text, percent-encoded)
        for p in parts.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            var key = p[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let v = p[p.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            let extended = key.hasSuffix("*")
            if extended { key.removeLast() }
            if let star = key.firstIndex(of: "*"), let n = Int(key[key.index(after: star)...]) {
                pieces[String(key[..<star]), default: []].append((n, v, extended))
            } else if extended {
                pieces[key, default: []].append((0, v, true))
            } else {
                plain[key] = v
            }
        }
        for (key, list) in pieces {
            var charset = "utf-8", bytes: [UInt8] = []
            for (i, (_, text, encoded)) in list.sorted(by: { $0.0 < $1.0 }).enumerated() {
                guard encoded else { bytes += Array(text.utf8); continue }
                var t = Substring(text)
                if i == 0 {
                    // charset'language'value
                    let marks = t.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if marks.count == 3 { charset = String(marks[0]); t = marks[2] }
                }
                bytes += MailText.percentDecoded(t)
            }
            plain[key] = TextDecoding.decode(bytes, charset: charset)?.text ?? String(decoding: bytes, as: UTF8.self)
        }
        return (main, plain)
    }

    /// Text with its RFC 2047 encoded words (`=?GB2312?B?xOO6ww==?=`, `=?UTF-8?Q?=E4=BD=A0?=`)
    /// decoded. White space between two encoded words goes; the bytes of neighbouring words in the
    /// same charset are joined before they are decoded (senders split characters across words). A
    /// word in a charset this system cannot read is taken as UTF-8.
    package static func decodeWords(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var out = ""
        var pending: (charset: String, bytes: [UInt8])? = nil   // set while the last thing read was a word
        func flush() {
            guard let p = pending else { return }
            out += TextDecoding.decode(p.bytes, charset: p.charset)?.text ?? String(decoding: p.bytes, as: UTF8.self)
            pending = nil
        }
        var rest = Substring(text), from = rest.startIndex
        while let start = rest[from...].range(of: "=?") {
            guard let word = encodedWord(rest[start.lowerBound...]) else { from = start.upperBound; continue }
            let between = rest[..<start.lowerBound]
            if pending == nil || !between.allSatisfy({ $0 == " " || $0 == "\t" }) { flush(); out += between }
            if let p = pending, p.charset.caseInsensitiveCompare(word.charset) == .orderedSame {
                pending!.bytes += word.bytes
            } else {
                flush(); pending = (word.charset, word.bytes)
            }
            rest = rest[word.end...]; from = rest.startIndex
        }
        flush()
        return out + rest
    }

    /// One `=?charset?B|Q?text?=` at the start of `s`: its charset (language suffix dropped), bytes and end.
    static func encodedWord(_ s: Substring) -> (charset: String, bytes: [UInt8], end: Substring.Index)? {
        let body = s.dropFirst(2)
        guard let q1 = body.firstIndex(of: "?") else { return nil }
        let charset = body[..<q1].split(separator: "*").first.map(String.init) ?? ""
        let afterCharset = body[body.index(after: q1)...]
        guard let enc = afterCharset.first, afterCharset.dropFirst().first == "?" else { return nil }
        let payload = afterCharset.dropFirst(2)
        guard let close = payload.range(of: "?="), !charset.isEmpty,
              !payload[..<close.lowerBound].contains(where: { $0 == " " || $0 == "?" }) else { return nil }
        let text = payload[..<close.lowerBound]
        let bytes: [UInt8]
        switch enc {
        case "B", "b": guard let b = MailText.base64Decoded(Array(text.utf8), strict: false) else { return nil }; bytes = b
        case "Q", "q": bytes = MailText.quotedPrintableDecoded(Array(text.utf8), underscoreIsSpace: true)
        default: return nil
        }
        return (charset, bytes, close.upperBound)
    }

    /// The message ids in a Message-ID, In-Reply-To or References field, without angle brackets, in order.
    package static func messageIDs(_ value: String?) -> [String] {
        guard let value else { return [] }
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !id.isEmpty, id.count <= 250 { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            // some senders leave the brackets out
            let bare = value.trimmingCharacters(in: .whitespaces)
            if bare.contains("@"), !bare.contains(" "), bare.count <= 250 { ids.append(bare) }
        }
        return ids
    }
}

/// A mailbox as a From or To field names it: the address and the display name, if any.
package struct MailAddress: Sendable, Equatable {
    package var name: String?
    package var address: String
    package init(name: String?, address: String) { self.name = name; self.address = address }

    /// The first mailbox of an address field (`"王芳" <wang@example.cn>`, `=?GBK?B?…?= <a@b>`,
    /// `a@b (Wang Fang)`, `a@b`), the address normalised as customer identities are, the display
    /// name with its encoded words decoded; nil when there is no valid address.
    package static func parse(_ raw: String?) -> MailAddress? {
        guard let raw else { return nil }
        // the first of a list: split at a comma outside quotes and angle brackets
        var first = "", quoted = false, depth = 0
        for ch in raw {
            if ch == "\"" { quoted.toggle() } else if !quoted && ch == "<" { depth += 1 } else if !quoted && ch == ">" { depth -= 1 }
            if ch == "," && !quoted && depth <= 0 { break }
            first.append(ch)
        }
        var name: String?
        let addressText: String
        if let open = first.lastIndex(of: "<"), let close = first[open...].firstIndex(of: ">") {
            addressText = String(first[first.index(after: open)..<close])
            name = String(first[..<open])
        } else if let paren = first.firstIndex(of: "("), let close = first.lastIndex(of: ")"), paren < close {
            addressText = String(first[..<paren])
            name = String(first[first.index(after: paren)..<close])
        } else {
            addressText = first
        }
        guard let address = IdentityNormalizer.email(addressText.trimmingCharacters(in: .whitespaces)) else { return nil }
        if var n = name?.trimmingCharacters(in: .whitespaces) {
            if n.hasPrefix("\""), n.hasSuffix("\""), n.count >= 2 { n = String(n.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"") }
            n = Text.clean(MailHeaders.decodeWords(n)).replacingOccurrences(of: "\n", with: " ")
            if n.hasPrefix("'"), n.hasSuffix("'"), n.count >= 2 { n = String(n.dropFirst().dropLast()) }
            name = n.isEmpty || n.lowercased() == address ? nil : n
        }
        return MailAddress(name: name, address: address)
    }
}
