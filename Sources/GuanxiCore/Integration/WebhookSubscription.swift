import Foundation

/// An endpoint of a workspace that is sent the events it subscribed to, signed with its secret.
package struct WebhookSubscription: Sendable, Equatable {
    package var id: String
    package var url: String
    package var description: String?
    package var events: [String]
    package var filters: [String: [String]]
    package var enabled: Bool
    /// Why Guanxi disabled it (nil when enabled, or disabled by a person).
    package var disabledReason: String?
    /// Since when every attempt failed (nil while the last one succeeded).
    package var failingSince: Date?
    package var lastSuccessAt: Date?
    /// Until when the secret before the last rotation still signs deliveries.
    package var previousSecretExpiresAt: Date?
    package var createdAt: Date
    package var updatedAt: Date
    package var version: Int

    package init(id: String, url: String, description: String?, events: [String], filters: [String: [String]], enabled: Bool,
                 disabledReason: String?, failingSince: Date?, lastSuccessAt: Date?, previousSecretExpiresAt: Date?,
                 createdAt: Date, updatedAt: Date, version: Int) {
        self.id = id; self.url = url; self.description = description; self.events = events; self.filters = filters
        self.enabled = enabled; self.disabledReason = disabledReason; self.failingSince = failingSince; self.lastSuccessAt = lastSuccessAt
        self.previousSecretExpiresAt = previousSecretExpiresAt; self.createdAt = createdAt; self.updatedAt = updatedAt; self.version = version
    }
}

/// What a caller sends to create or change a subscription; nil leaves a field as it is (a create
/// needs `url` and `events`).
package struct WebhookDraft: Sendable, Equatable {
    package var url: String?
    package var events: [String]?
    package var filters: [String: [String]]?
    /// Outer nil: unchanged; inner nil: cleared.
    package var description: String??
    package var enabled: Bool?
    /// Only on create: the caller's own `whsec_…` secret instead of a generated one.
    package var secret: String?
    package init(url: String? = nil, events: [String]? = nil, filters: [String: [String]]? = nil, description: String?? = nil,
                 enabled: Bool? = nil, secret: String? = nil) {
        self.url = url; self.events = events; self.filters = filters; self.description = description; self.enabled = enabled; self.secret = secret
    }
}

package enum WebhookRules {
    package static let maxURLLength = 2_000
    package static let maxDescription = 500
    /// How long the secret before a rotation keeps signing (each delivery carries both signatures).
    package static let rotationGrace: TimeInterval = 24 * 3600

    /// The subscription `draft` makes of `current` (nil: a new one), or every field error at once.
    package static func apply(_ draft: WebhookDraft, to current: WebhookSubscription?, id: String, now: Date) throws(DomainError) -> WebhookSubscription {
        var e = FieldErrors()
        var s = current ?? WebhookSubscription(id: id, url: "", description: nil, events: [], filters: [:], enabled: true, disabledReason: nil,
                                               failingSince: nil, lastSuccessAt: nil, previousSecretExpiresAt: nil,
                                               createdAt: now, updatedAt: now, version: 0)
        if let url = draft.url {
            let cleaned = Text.clean(url)
            if let problem = urlProblem(cleaned) { e.add("url", problem) } else { s.url = cleaned }
        } else if current == nil { e.add("url", .required) }
        if let events = draft.events {
            let cleaned = events.map(Text.clean)
            if cleaned.isEmpty { e.add("events", "must name at least one event type") }
            if let bad = cleaned.first(where: { !WebhookTopics.isValid($0) }) {
                e.add("events", "'\(bad)' is not an event type (see GET /api/v1/webhooks/event-types), a record's events such as order.* or *")
            }
            var seen = Set<String>()
            s.events = cleaned.filter { seen.insert($0).inserted }
        } else if current == nil { e.add("events", .required) }
        if let filters = draft.filters {
            WebhookFilter.check(filters, into: &e)
            s.filters = filters
        }
        if let d = draft.description {
            let cleaned = d.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
            if (cleaned?.count ?? 0) > maxDescription { e.add("description", "must be at most \(maxDescription) characters") }
            s.description = cleaned
        }
        if let enabled = draft.enabled, enabled != s.enabled {
            s.enabled = enabled
            // a person's choice replaces Guanxi's reason; enabling starts the endpoint's health afresh
            s.disabledReason = nil
            if enabled { s.failingSince = nil }
        }
        if let secret = draft.secret {
            if current != nil { e.add("secret", "is changed by rotating it (POST …/rotate-secret)") }
            else if WebhookSignature.key(fromSecret: secret) == nil {
                e.add("secret", "must be whsec_ followed by base64 of 24 to 64 random bytes")
            }
        }
        try e.throwIfAny()
        s.updatedAt = now
        s.version += 1
        return s
    }

    /// Why `url` cannot be an endpoint, or nil: absolute http or https with a host, no credentials
    /// in it (the secret signs; a password in the address would show in every log), no fragment.
    package static func urlProblem(_ url: String) -> DomainMessage? {
        if url.isEmpty { return .required }
        if url.count > maxURLLength { return "must be at most \(maxURLLength) characters" }
        if url.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { return "must not contain spaces" }
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased() else { return "is not an absolute URL" }
        guard scheme == "http" || scheme == "https" else { return "must start with http:// or https://" }
        guard let host = c.host, !host.isEmpty else { return "must name a host" }
        if c.user != nil || c.password != nil { return "must not carry a user name or password" }
        if c.fragment != nil { return "must not have a #fragment" }
        if let port = c.port, !(1...65_535).contains(port) { return "has an invalid port" }
        return nil
    }
}
