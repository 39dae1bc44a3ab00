import Foundation

/// One row of a customer's timeline: a note, an interaction, or a recorded change.
package struct TimelineEntry: Codable, Sendable, Equatable {
    package var id: String
    package var customerID: String
    package var kind: TimelineKind
    package var occurredAt: Date
    package var channel: InteractionKind?
    package var direction: Direction?
    package var subject: String?
    package var body: String?
    package var durationSeconds: Int?
    package var outcome: String?
    package var authorID: String?
    package var data: [String: JSONValue]?
    package var createdAt: Date

    package init(id: String, customerID: String, kind: TimelineKind, occurredAt: Date, channel: InteractionKind? = nil,
                direction: Direction? = nil, subject: String? = nil, body: String? = nil, durationSeconds: Int? = nil,
                outcome: String? = nil, authorID: String? = nil, data: [String: JSONValue]? = nil, createdAt: Date) {
        self.id = id; self.customerID = customerID; self.kind = kind; self.occurredAt = occurredAt
        self.channel = channel; self.direction = direction; self.subject = subject; self.body = body
        self.durationSeconds = durationSeconds; self.outcome = outcome; self.authorID = authorID
        self.data = data; self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, channel, direction, subject, body, outcome, data
        case customerID = "customer_id", occurredAt = "occurred_at", durationSeconds = "duration_seconds"
        case authorID = "author_id", createdAt = "created_at"
    }
}

/// What a client sends to add a note or log an interaction.
package struct ActivityDraft: Codable, Sendable {
    package var kind: InteractionKind?
    package var direction: Direction?
    package var subject: String?
    package var body: String?
    package var occurredAt: Date?
    package var durationSeconds: Int?
    package var outcome: String?

    package init(kind: InteractionKind? = nil, direction: Direction? = nil, subject: String? = nil, body: String? = nil,
                occurredAt: Date? = nil, durationSeconds: Int? = nil, outcome: String? = nil) {
        self.kind = kind; self.direction = direction; self.subject = subject; self.body = body
        self.occurredAt = occurredAt; self.durationSeconds = durationSeconds; self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey {
        case kind, direction, subject, body, outcome
        case occurredAt = "occurred_at", durationSeconds = "duration_seconds"
    }

    /// Builds a note entry, or throws `.validation`.
    package func note(id: String, customerID: String, author: String?, now: Date) throws(DomainError) -> TimelineEntry {
        var e = FieldErrors()
        let body = Text.clean(self.body ?? "")
        if body.isEmpty { e.add("body", "is required") } else if body.count > 20_000 { e.add("body", .longerThan(20_000)) }
        try e.throwIfAny()
        return TimelineEntry(id: id, customerID: customerID, kind: .note, occurredAt: occurredAt ?? now,
                             body: body, authorID: author, createdAt: now)
    }

    /// Builds an interaction entry, or throws `.validation`.
    package func interaction(id: String, customerID: String, author: String?, now: Date) throws(DomainError) -> TimelineEntry {
        var e = FieldErrors()
        if kind == nil { e.add("kind", "is required: \(InteractionKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        let subject = subject.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
        let body = body.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
        if subject == nil && body == nil { e.add("subject", "a subject or a body is required") }
        if (subject?.count ?? 0) > 300 { e.add("subject", .longerThan(300)) }
        if (body?.count ?? 0) > 20_000 { e.add("body", .longerThan(20_000)) }
        if let d = durationSeconds, d < 0 || d > 7 * 86_400 { e.add("duration_seconds", "must be between 0 and 604800") }
        if let o = outcome, o.count > 200 { e.add("outcome", .longerThan(200)) }
        if let t = occurredAt, t > now.addingTimeInterval(366 * 86_400) { e.add("occurred_at", "is too far in the future") }
        try e.throwIfAny()
        return TimelineEntry(id: id, customerID: customerID, kind: .interaction, occurredAt: occurredAt ?? now,
                             channel: kind, direction: direction ?? .outbound, subject: subject, body: body,
                             durationSeconds: durationSeconds, outcome: outcome.map(Text.clean),
                             authorID: author, createdAt: now)
    }
}

/// Relationships between customers (besides a person's primary organisation).
package struct Relationship: Codable, Sendable, Equatable {
    package var id: String
    package var fromID: String
    package var toID: String
    package var kind: RelationKind
    package var title: String?
    package var createdAt: Date
    package init(id: String, fromID: String, toID: String, kind: RelationKind, title: String?, createdAt: Date) {
        self.id = id; self.fromID = fromID; self.toID = toID; self.kind = kind; self.title = title; self.createdAt = createdAt
    }
    enum CodingKeys: String, CodingKey {
        case id, kind, title
        case fromID = "from_id", toID = "to_id", createdAt = "created_at"
    }
}

extension TimelineEntry {
    /// An entry that something happened to a record (a customer, a lead, …) now: the one way every
    /// feature writes history.
    package static func event(_ subjectID: String, _ kind: TimelineKind, author: String?, now: Date,
                             data: [String: JSONValue]? = nil) -> TimelineEntry {
        TimelineEntry(id: ID.make(at: now), customerID: subjectID, kind: kind, occurredAt: now, authorID: author,
                      data: data, createdAt: now)
    }
}
