import Foundation

/// A workspace member as mentions see them.
package struct MentionCandidate: Sendable, Equatable {
    package var userID: String
    package var name: String
    package var email: String
    package init(userID: String, name: String, email: String) { self.userID = userID; self.name = name; self.email = email }
}

/// `@name` and `@email` in an internal note. An `@` starts a mention at the start of the text or
/// after anything that is not a letter, digit or `.`/`_`/`-`/`+` (so `wang@example.cn` written
/// plainly is not one). It names the member whose email follows it exactly (ignoring case), else
/// the member whose name follows it — the longest such name, which for a Latin name must end at a
/// word's end (`@Li` is not `@Lily`), while a Chinese name may run on into the sentence
/// (`@王芳请看`). A name two members share, or one nobody has, stays plain text.
package enum Mentions {
    /// One piece of a note: plain text, or a mention and the member it names.
    package struct Segment: Sendable, Equatable {
        package var text: String
        package var userID: String?
        package init(_ text: String, _ userID: String? = nil) { self.text = text; self.userID = userID }
    }

    /// The note cut into text and resolved mentions, in order; joined they are the note again.
    package static func segments(_ body: String, _ members: [MentionCandidate]) -> [Segment] {
        var out: [Segment] = []
        var plain = ""
        var i = body.startIndex
        var previous: Character?
        while i < body.endIndex {
            let c = body[i]
            if c == "@", previous.map({ !isWordy($0) }) ?? true, case let (userID, end)? = resolve(body, after: body.index(after: i), members) {
                if !plain.isEmpty { out.append(Segment(plain)); plain = "" }
                out.append(Segment(String(body[i..<end]), userID))
                previous = body[body.index(before: end)]
                i = end
                continue
            }
            plain.append(c); previous = c
            i = body.index(after: i)
        }
        if !plain.isEmpty { out.append(Segment(plain)) }
        return out
    }

    /// The members a note mentions, each once, in the order first mentioned.
    package static func mentioned(_ body: String, _ members: [MentionCandidate]) -> [String] {
        var seen: Set<String> = [], out: [String] = []
        for s in segments(body, members) { if let id = s.userID, seen.insert(id).inserted { out.append(id) } }
        return out
    }

    static func isWordy(_ c: Character) -> Bool { c.isLetter || c.isNumber || "._-+".contains(c) }

    /// The member named right after an `@` (at `start`) and where the mention ends.
    static func resolve(_ body: String, after start: String.Index, _ members: [MentionCandidate]) -> (String, String.Index)? {
        let rest = body[start...]
        // an email: the run of address characters, without a sentence's closing dot
        var email = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "._-+@".contains($0)) }
        while let last = email.last, ".-".contains(last) { email = email.dropLast() }
        if email.contains("@") {
            let hits = members.filter { $0.email.lowercased() == email.lowercased() }
            if hits.count == 1 { return (hits[0].userID, email.endIndex) }
        }
        // a name: the longest that follows, ending at a word's end unless it ends in a Chinese character
        var best: (length: Int, ids: Set<String>, end: String.Index)?
        for m in members where !m.name.isEmpty {
            guard rest.lowercased().hasPrefix(m.name.lowercased()),
                  let end = body.index(start, offsetBy: m.name.count, limitedBy: body.endIndex) else { continue }
            if let last = m.name.last, !isCJK(last), end < body.endIndex, isWordy(body[end]) { continue }
            if best == nil || m.name.count > best!.length { best = (m.name.count, [m.userID], end) }
            else if m.name.count == best!.length { best!.ids.insert(m.userID) }
        }
        guard let best, best.ids.count == 1 else { return nil }
        return (best.ids.first!, best.end)
    }

    static func isCJK(_ c: Character) -> Bool {
        c.unicodeScalars.contains { (0x3400...0x9FFF).contains($0.value) || (0xF900...0xFAFF).contains($0.value) || (0x20000...0x2FA1F).contains($0.value) }
    }
}
