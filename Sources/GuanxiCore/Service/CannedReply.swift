import Foundation

/// A workspace's ready-made answer: a title, its words in each language (any of them may be
/// empty), optionally the ticket type it is meant for, and whether agents are offered it.
/// Bodies carry placeholders (`{{customer.name}}` …) that `CannedReplyText.render` fills.
package struct CannedReply: Sendable, Equatable, Codable {
    /// The languages a reply is written in, in the order a missing one falls back through.
    package static let languages = ["zh-Hans", "zh-Hant", "en"]

    package var id: String
    package var title: String
    /// Language ("zh-Hans", "zh-Hant", "en") → body; an empty body is left out.
    package var bodies: [String: String]
    package var ticketType: TicketType?
    package var active: Bool
    package var version: Int

    package init(id: String = "", title: String, bodies: [String: String], ticketType: TicketType? = nil, active: Bool = true, version: Int = 0) {
        self.id = id; self.title = title; self.bodies = bodies; self.ticketType = ticketType; self.active = active; self.version = version
    }

    enum CodingKeys: String, CodingKey { case id, title, bodies, active, version, ticketType = "ticket_type" }

    /// The body in `language`, else in the first language it is written in.
    package func body(in language: String) -> String {
        if let b = bodies[language], !b.isEmpty { return b }
        return Self.languages.lazy.compactMap { self.bodies[$0] }.first { !$0.isEmpty } ?? ""
    }

    /// The cleaned reply, or every bad field at once: a title of 1 to 100 characters, at least one
    /// body, each at most 10000 characters, no unknown language and no unknown placeholder (the
    /// field names the language: `bodies.zh-Hant`).
    package func validated() throws(DomainError) -> CannedReply {
        var e = FieldErrors(), r = self
        r.title = Text.clean(title).replacingOccurrences(of: "\n", with: " ")
        if r.title.isEmpty { e.add("title", "is required") } else if r.title.count > 100 { e.add("title", "must be at most 100 characters") }
        var bodies: [String: String] = [:]
        for (language, raw) in self.bodies {
            let field = "bodies." + language
            guard Self.languages.contains(language) else { e.add(field, CannedReplyText.unknownLanguage); continue }
            let body = Text.clean(raw)
            guard !body.isEmpty else { continue }
            if body.count > 10_000 { e.add(field, "must be at most 10000 characters") }
            if let bad = CannedReplyText.unknownPlaceholders(body).first { e.add(field, CannedReplyText.unknown(bad)) }
            bodies[language] = body
        }
        if bodies.isEmpty, !e.messages.keys.contains(where: { $0.hasPrefix("bodies.") }) { e.add("bodies", CannedReplyText.noBody) }
        r.bodies = bodies
        try e.throwIfAny()
        return r
    }
}

/// What a canned reply's placeholders stand for on one ticket. Every value is plain text.
package struct CannedReplyFacts: Sendable, Equatable {
    package var customerName: String
    package var ticketNumber: Int
    package var ticketSubject: String
    package var agentName: String
    package var resolutionDue: Date?
    /// The workspace's time zone, which dates are written in.
    package var timeZone: TimeZone
    package init(customerName: String, ticketNumber: Int, ticketSubject: String, agentName: String, resolutionDue: Date?, timeZone: TimeZone) {
        self.customerName = customerName; self.ticketNumber = ticketNumber; self.ticketSubject = ticketSubject; self.agentName = agentName
        self.resolutionDue = resolutionDue; self.timeZone = timeZone
    }
}

/// Placeholders in canned replies: `{{customer.name}}`, `{{ticket.number}}` ("#12"),
/// `{{ticket.subject}}`, `{{agent.name}}`, `{{sla.resolution_due}}` ("2026-10-12 13:00" in the
/// workspace's time zone). Spaces inside the braces are allowed; anything else between double
/// braces is an unknown placeholder, refused when the reply is saved.
package enum CannedReplyText {
    package static let placeholders = ["customer.name", "ticket.number", "ticket.subject", "agent.name", "sla.resolution_due"]
    package static func unknown(_ name: String) -> DomainMessage { "has an unknown placeholder: \(name)" }
    package static let unknownLanguage: DomainMessage = "must be zh-Hans, zh-Hant or en"
    package static let noBody: DomainMessage = "at least one language needs words"

    /// The names between `{{` and `}}`, in order, with the ranges they take (braces included).
    static func slots(_ body: String) -> [(name: String, range: Range<String.Index>)] {
        var out: [(name: String, range: Range<String.Index>)] = []
        var rest = body.startIndex
        while let open = body.range(of: "{{", range: rest..<body.endIndex) {
            guard let close = body.range(of: "}}", range: open.upperBound..<body.endIndex) else { break }
            let inner = body[open.upperBound..<close.lowerBound]
            // a brace inside starts over: "{{ {{x}}" names x
            if let again = inner.range(of: "{{", options: .backwards) {
                rest = again.lowerBound; continue
            }
            out.append((name: inner.trimmingCharacters(in: .whitespaces), range: open.lowerBound..<close.upperBound))
            rest = close.upperBound
        }
        return out
    }

    package static func unknownPlaceholders(_ body: String) -> [String] {
        slots(body).map(\.name).filter { !placeholders.contains($0) }
    }

    /// The body with each known placeholder replaced by its value (an unknown one, which a saved
    /// reply cannot have, stays as written). Values are inserted as they are: the result is plain
    /// text, escaped wherever it is shown.
    package static func render(_ body: String, _ facts: CannedReplyFacts) -> String {
        var out = "", at = body.startIndex
        for (name, range) in slots(body) {
            out += body[at..<range.lowerBound]
            out += value(name, facts) ?? String(body[range])
            at = range.upperBound
        }
        return out + body[at...]
    }

    static func value(_ name: String, _ f: CannedReplyFacts) -> String? {
        switch name {
        case "customer.name": f.customerName
        case "ticket.number": "#\(f.ticketNumber)"
        case "ticket.subject": f.ticketSubject
        case "agent.name": f.agentName
        case "sla.resolution_due": f.resolutionDue.map { stamp($0, f.timeZone) } ?? "—"
        default: nil
        }
    }

    /// "2026-10-12 13:00" on the zone's clock (the same in every language).
    static func stamp(_ d: Date, _ zone: TimeZone) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        let p = c.dateComponents([.year, .month, .day, .hour, .minute], from: d)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(p.year ?? 0)-\(two(p.month))-\(two(p.day)) \(two(p.hour)):\(two(p.minute))"
    }

    /// The language a reply is inserted in: the customer's preferred one when they have one this
    /// desk writes ("zh-CN" reads as zh-Hans, "zh-TW"/"zh-HK" as zh-Hant, "en-GB" as en), else the agent's.
    package static func language(customer: String?, agent: String) -> String {
        guard let raw = customer?.trimmingCharacters(in: .whitespaces).lowercased(), !raw.isEmpty else { return agent }
        if raw.hasPrefix("zh-hant") || ["zh-tw", "zh-hk", "zh-mo"].contains(raw) { return "zh-Hant" }
        if raw.hasPrefix("zh") { return "zh-Hans" }
        if raw.hasPrefix("en") { return "en" }
        return agent
    }
}
