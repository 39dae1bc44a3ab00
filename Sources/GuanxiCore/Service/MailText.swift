import Foundation

/// Mail text as it travels and as a ticket keeps it: transfer encodings, HTML turned into text,
/// the quoted history of a reply cut off, and the ticket reference in a subject.
package enum MailText {
    // MARK: Transfer encodings

    /// Base64 without its line breaks and white space. `strict` refuses any other character outside
    /// the alphabet (8-bit garbage declared as base64); padding may be missing.
    package static func base64Decoded(_ bytes: [UInt8], strict: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 4)
        var acc: UInt32 = 0, n = 0
        for b in bytes {
            let v: UInt32
            switch b {
            case 65...90: v = UInt32(b - 65)
            case 97...122: v = UInt32(b - 71)
            case 48...57: v = UInt32(b + 4)
            case 43, 45: v = 62   // '+' (and '-' of the URL alphabet)
            case 47, 95: v = 63   // '/' (and '_')
            case 61: continue     // padding
            case 32, 9, 10, 13: continue
            default: if strict { return nil } else { continue }
            }
            acc = acc << 6 | v; n += 1
            if n == 4 {
                out += [UInt8(acc >> 16 & 0xFF), UInt8(acc >> 8 & 0xFF), UInt8(acc & 0xFF)]
                acc = 0; n = 0
            }
        }
        switch n {
        case 2: out.append(UInt8(acc >> 4 & 0xFF))
        case 3: out += [UInt8(acc >> 10 & 0xFF), UInt8(acc >> 2 & 0xFF)]
        case 1: if strict { return nil }
        default: break
        }
        return out
    }

    /// Quoted-printable (RFC 2045): `=XX` bytes, soft line breaks (`=` at a line's end) removed;
    /// a malformed `=` stays as it is. In encoded words `_` is a space.
    package static func quotedPrintableDecoded(_ bytes: [UInt8], underscoreIsSpace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 61 {   // '='
                // soft break: "=" then optional white space then CRLF or LF
                var j = i + 1
                while j < bytes.count, bytes[j] == 32 || bytes[j] == 9 { j += 1 }
                if j < bytes.count, bytes[j] == 13 || bytes[j] == 10 {
                    i = bytes[j] == 13 && j + 1 < bytes.count && bytes[j + 1] == 10 ? j + 2 : j + 1
                    continue
                }
                if j == bytes.count { break }
                if i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                    out.append(h << 4 | l); i += 3; continue
                }
                out.append(b); i += 1
            } else if b == 95 && underscoreIsSpace {
                out.append(32); i += 1
            } else {
                out.append(b); i += 1
            }
        }
        return out
    }

    /// `%XX` escapes (RFC 2231 parameter values).
    static func percentDecoded(_ s: Substring) -> [UInt8] {
        let bytes = Array(s.utf8)
        var out: [UInt8] = [], i = 0
        while i < bytes.count {
            if bytes[i] == 37, i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l); i += 3
            } else { out.append(bytes[i]); i += 1 }
        }
        return out
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 65...70: b - 55
        case 97...102: b - 87
        default: nil
        }
    }

    // MARK: HTML

    /// The text of an HTML mail body: scripts, styles and comments dropped, block elements and
    /// `<br>` as line breaks, entities decoded, runs of spaces and blank lines collapsed.
    package static func htmlToText(_ html: String) -> String {
        let scalars = Array(html.unicodeScalars)
        // ASCII-lowercased copy for matching tag names
        let low = scalars.map { $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32)! : $0 }
        func matches(_ needle: [Unicode.Scalar], at j: Int) -> Bool {
            j + needle.count <= low.count && low[j..<(j + needle.count)].elementsEqual(needle)
        }
        func find(_ needle: String, from: Int) -> Int? {
            let n = Array(needle.unicodeScalars)
            var j = from
            while j + n.count <= low.count {
                if matches(n, at: j) { return j }
                j += 1
            }
            return nil
        }
        // past the last ">" no "<" opens a tag (so a stray "<" never scans the rest again and again)
        let lastClose = low.lastIndex(of: ">") ?? -1
        let commentStart = Array("<!--".unicodeScalars)
        let blocks: Set<String> = ["p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                                   "pre", "hr", "section", "article", "header", "footer", "dt", "dd"]
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "<" {
                if matches(commentStart, at: i) {
                    i = (find("-->", from: i + 4).map { $0 + 3 }) ?? scalars.count
                    continue
                }
                guard i < lastClose, let close = low[i...].firstIndex(of: ">") else { out.append(c); i += 1; continue }
                let inside = low[(i + 1)..<close]
                let closing = inside.first == "/"
                let name = String(String.UnicodeScalarView(inside.drop { $0 == "/" }.prefix { $0.properties.isAlphabetic || ("0"..."9").contains($0) }))
                if !closing, ["script", "style", "head", "title"].contains(name) {
                    i = (find("</\(name)", from: close + 1).flatMap { s in low[s...].firstIndex(of: ">").map { $0 + 1 } }) ?? scalars.count
                    continue
                }
                if blocks.contains(name) { out.append("\n") }
                i = close + 1
                continue
            }
            if c == "&", let semi = scalars[i...].prefix(12).firstIndex(of: ";"),
               let decoded = entity(String(String.UnicodeScalarView(scalars[(i + 1)..<semi]))) {
                out.append(decoded); i = semi + 1
                continue
            }
            // line breaks in the source are white space; only elements break lines
            out.append(c == "\r" || c == "\n" || c == "\t" ? " " : c); i += 1
        }
        return collapse(String(out))
    }

    static func entity(_ name: String) -> Unicode.Scalar? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") { return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
        if name.hasPrefix("#") { return UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init) }
        return switch name {
        case "amp": "&"
        case "lt": "<"
        case "gt": ">"
        case "quot": "\""
        case "apos": "'"
        case "nbsp": " "
        case "middot": "·"
        case "mdash": "—"
        case "ndash": "–"
        case "hellip": "…"
        case "ldquo": "\u{201C}"
        case "rdquo": "\u{201D}"
        case "lsquo": "\u{2018}"
        case "rsquo": "\u{2019}"
        case "copy": "©"
        case "yen": "¥"
        default: nil
        }
    }

    /// Each line's runs of spaces and tabs as one space, lines trimmed, at most one blank line in a row.
    static func collapse(_ text: String) -> String {
        var lines: [String] = []
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", space = false
            for ch in raw {
                if ch == " " || ch == "\t" || ch == "\u{00A0}" { space = true; continue }
                if space && !line.isEmpty { line.append(" ") }
                space = false
                line.append(ch)
            }
            if line.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    // MARK: Replies

    /// A reply without the history its sender's client quoted below it: cut at the attribution line
    /// ("On … wrote:", "在 … 写道：", "… 于2026年10月9日 写道："), at an "Original Message" rule
    /// ("-----原始邮件-----", QQ Mail's "------------------ 原始邮件 ------------------"), at an
    /// Outlook header block ("发件人: …" / "From: …" followed by a date line) or at a signature
    /// separator ("-- "); lines quoted with ">" go too. When that would leave nothing, the text is
    /// kept whole.
    package static func withoutQuotedHistory(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var end = lines.count
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if raw == "-- " || raw == "--" { end = i; break }
            if isAttribution(line) { end = i; break }
            // "On Fri, 9 Oct 2026 at 12:30, Wang Fang <wang@example.cn>" + "wrote:" on the next line
            if line.hasPrefix("On "), i + 1 < lines.count, lines[i + 1].trimmingCharacters(in: .whitespaces).hasSuffix("wrote:") { end = i; break }
            if isOriginalRule(line) { end = i; break }
            if isHeaderBlock(lines, at: i) { end = i; break }
            if line.count >= 20, line.allSatisfy({ $0 == "_" }), i + 1 < lines.count, isHeaderBlock(lines, at: i + 1) { end = i; break }
        }
        let kept = lines[..<end].filter { !$0.hasPrefix(">") }
        let out = collapse(kept.joined(separator: "\n"))
        return out.isEmpty ? collapse(text) : out
    }

    static func isAttribution(_ line: String) -> Bool {
        guard line.count <= 300 else { return false }
        if line.hasPrefix("On "), line.hasSuffix("wrote:") { return true }
        for mark in ["写道：", "写道:", "寫道：", "寫道:"] where line.hasSuffix(mark) {
            return line.hasPrefix("在") || line.hasPrefix("於") || line.hasPrefix("于") || line.contains(where: \.isNumber) || line.contains("@")
        }
        return false
    }

    static func isOriginalRule(_ line: String) -> Bool {
        guard line.hasPrefix("--") || line.hasPrefix("——") || line.hasPrefix("__") else { return false }
        let l = line.lowercased()
        return ["original message", "原始邮件", "原始郵件", "邮件原件", "原始信件", "forwarded message", "转发邮件"].contains { l.contains($0) }
    }

    /// "From:/发件人:/寄件者:" with a "Sent:/Date:/发送时间:/日期:" line among the next three.
    static func isHeaderBlock(_ lines: [String], at i: Int) -> Bool {
        func starts(_ s: String, _ names: [String]) -> Bool {
            let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "*", with: "")
            return names.contains { t.hasPrefix($0 + ":") || t.hasPrefix($0 + "：") }
        }
        guard starts(lines[i], ["From", "发件人", "寄件者", "寄件人"]) else { return false }
        return lines[(i + 1)..<min(lines.count, i + 4)].contains {
            starts($0, ["Sent", "Date", "发送时间", "日期", "时间", "寄件日期", "傳送時間", "发送日期"])
        }
    }

    // MARK: Subjects

    /// The ticket number a subject refers to (`[#1024]`, as replies from the desk are titled).
    package static func ticketNumber(in subject: String) -> Int? {
        var rest = Substring(subject)
        while let r = rest.range(of: "[#") {
            let digits = rest[r.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.count <= 9, rest[digits.endIndex...].first == "]" { return Int(digits) }
            rest = rest[r.upperBound...]
        }
        return nil
    }

    /// A subject without reply and forward prefixes (Re:, RE[2]:, Fwd:, 回复：, 答复:, 转发:, AW:, …)
    /// or ticket references, for a new ticket's title.
    package static func cleanSubject(_ subject: String) -> String {
        var s = Text.clean(subject.replacingOccurrences(of: "\n", with: " "))
        let prefixes = ["re", "fw", "fwd", "aw", "wg", "sv", "vs", "antw", "回复", "回覆", "答复", "答覆", "转发", "轉寄", "转寄"]
        var changed = true
        while changed {
            changed = false
            if s.hasPrefix("[#"), let close = s.firstIndex(of: "]"), ticketNumber(in: String(s[...close])) != nil {
                s = String(s[s.index(after: close)...]).trimmingCharacters(in: .whitespaces); changed = true; continue
            }
            for p in prefixes where s.prefix(p.count).lowercased() == p {
                var rest = s.dropFirst(p.count)
                if rest.first == "[" || rest.first == "(" {
                    let close: Character = rest.first == "[" ? "]" : ")"
                    guard let c = rest.firstIndex(of: close), rest[rest.index(after: rest.startIndex)..<c].allSatisfy(\.isNumber) else { continue }
                    rest = rest[rest.index(after: c)...]
                }
                rest = rest.drop { $0 == " " }
                guard rest.first == ":" || rest.first == "：" else { continue }
                s = rest.dropFirst().trimmingCharacters(in: .whitespaces)
                changed = true
                break
            }
        }
        return s
    }
}
