import Foundation
import SQLKit
import GuanxiCore

/// A delivery as the log shows it: which event, where it stands, the last answer and its timing.
package struct WebhookDeliveryView: Sendable, Encodable, Equatable {
    package var id: String
    package var subscriptionID: String
    package var eventID: String
    package var eventType: String
    package var recordID: String
    package var state: WebhookDeliveryState
    package var attempts: Int
    package var nextAt: Date?
    package var lastStatus: Int?
    package var lastError: String?
    package var lastDurationMs: Int?
    package var deliveredAt: Date?
    package var createdAt: Date
    enum CodingKeys: String, CodingKey {
        case id, state, attempts
        case subscriptionID = "subscription_id", eventID = "event_id", eventType = "event_type", recordID = "record_id", nextAt = "next_at"
        case lastStatus = "last_status", lastError = "last_error", lastDurationMs = "last_duration_ms", deliveredAt = "delivered_at"
        case createdAt = "created_at"
    }
}

/// One attempt of a delivery: the signed headers sent, the answer's status (nil: none came), an
/// excerpt of its body or the error, and how long it took.
package struct WebhookAttemptView: Sendable, Encodable, Equatable {
    package var attemptedAt: Date
    package var durationMs: Int
    package var status: Int?
    package var error: String?
    package var requestHeaders: [String: String]
    package var responseBody: String?
    enum CodingKeys: String, CodingKey {
        case status, error
        case attemptedAt = "attempted_at", durationMs = "duration_ms", requestHeaders = "request_headers", responseBody = "response_body"
    }
}

/// A delivery with the body it sends and every attempt, oldest first.
package struct WebhookDeliveryDetail: Sendable, Encodable {
    package var delivery: WebhookDeliveryView
    package var body: JSONValue
    package var attemptLog: [WebhookAttemptView]
    enum CodingKeys: String, CodingKey { case delivery, body, attemptLog = "attempt_log" }
}

/// A workspace's webhook endpoints and their delivery log, for its owners and administrators
/// (workspace settings). Changing an endpoint clears what publishing keeps in memory.
package struct WebhookStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    static let columns = """
        id, url, description, events_json, filters_json, enabled, disabled_reason, failing_since, last_success_at, previous_secret_until,
        created_at, updated_at, version
        """

    static func decode(_ r: any SQLRow) throws -> WebhookSubscription {
        func time(_ c: String) throws -> Date? { try r.decode(column: c, as: Int64?.self).map(Date.init(millis:)) }
        return WebhookSubscription(
            id: try r.decode(column: "id", as: String.self), url: try r.decode(column: "url", as: String.self),
            description: try r.decode(column: "description", as: String?.self),
            events: JSONCoding.decode([String].self, try r.decode(column: "events_json", as: String.self)) ?? [],
            filters: JSONCoding.decode([String: [String]].self, try r.decode(column: "filters_json", as: String.self)) ?? [:],
            enabled: try r.decode(column: "enabled", as: Int.self) != 0, disabledReason: try r.decode(column: "disabled_reason", as: String?.self),
            failingSince: try time("failing_since"), lastSuccessAt: try time("last_success_at"),
            previousSecretExpiresAt: try time("previous_secret_until"),
            createdAt: try time("created_at")!, updatedAt: try time("updated_at")!, version: try r.decode(column: "version", as: Int.self))
    }

    private func require(_ scope: Scope, _ action: AccessAction) throws { _ = try scope.require(.settings, action) }

    static func load(_ scope: Scope, _ id: String, ifVersion: Int? = nil, sql: any SQLDatabase) async throws -> WebhookSubscription {
        guard ID.isValid(id), let r = try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM webhook_subscriptions WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: scope.workspaceID)
            """).first() else { throw DomainError.notFound("webhook") }
        let s = try decode(r)
        if let v = ifVersion, v != s.version { throw DomainError.staleVersion(current: s.version) }
        return s
    }

    /// Adds an endpoint; answers it with its secret (the caller's own `whsec_…`, else a new one).
    package func create(_ scope: Scope, _ draft: WebhookDraft) async throws -> (WebhookSubscription, secret: String) {
        try require(scope, .create)
        let now = clock.now()
        let s = try WebhookRules.apply(draft, to: nil, id: ID.make(at: now), now: now)
        let secret = draft.secret.flatMap(WebhookSignature.key(fromSecret:)).map(WebhookSignature.secret(key:)) ?? WebhookSignature.newSecret()
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("""
                INSERT INTO webhook_subscriptions (id, workspace_id, url, description, events_json, filters_json, enabled, secret, created_by,
                  created_at, updated_at, version)
                VALUES (\(bind: s.id), \(bind: scope.workspaceID), \(bind: s.url), \(bind: s.description), \(bind: JSONCoding.encode(s.events)),
                  \(bind: JSONCoding.encode(s.filters)), \(bind: s.enabled ? 1 : 0), \(bind: secret), \(bind: scope.userID), \(bind: now.millis),
                  \(bind: now.millis), \(bind: s.version))
                """).run()
            try await tx.audit("create", "webhooks", s.id, detail: Self.auditDetail(s))
        }
        await WebhookOutbox.invalidate(db)
        return (s, secret)
    }

    package func list(_ scope: Scope) async throws -> [WebhookSubscription] {
        try require(scope, .read)
        return try await db.read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM webhook_subscriptions WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY created_at, id
                """).all().map(Self.decode)
        }
    }

    package func get(_ scope: Scope, id: String) async throws -> WebhookSubscription {
        try require(scope, .read)
        return try await db.read { sql in try await Self.load(scope, id, sql: sql) }
    }

    /// The secrets that sign deliveries now: the current one, and the one before the last rotation while it is valid.
    package func secrets(_ scope: Scope, id: String) async throws -> (current: String, previous: String?, previousExpiresAt: Date?) {
        try require(scope, .update)
        let now = clock.now()
        return try await db.read { sql in
            let s = try await Self.load(scope, id, sql: sql)
            let r = try await sql.raw("SELECT secret, previous_secret, previous_secret_until FROM webhook_subscriptions WHERE id = \(bind: s.id)").first()!
            let until = try r.decode(column: "previous_secret_until", as: Int64?.self).map(Date.init(millis:))
            let valid = until.map { $0 > now } ?? false
            return (try r.decode(column: "secret", as: String.self), valid ? try r.decode(column: "previous_secret", as: String?.self) : nil,
                    valid ? until : nil)
        }
    }

    /// Changes address, event types, filters, description or whether it is enabled (If-Match).
    /// Enabling again sends what waited at once, with a fresh retry window.
    package func update(_ scope: Scope, id: String, _ draft: WebhookDraft, ifVersion: Int?) async throws -> WebhookSubscription {
        try require(scope, .update)
        let now = clock.now()
        let s = try await db.write(scope, at: now) { tx in
            let old = try await Self.load(scope, id, ifVersion: ifVersion, sql: tx.sql)
            let s = try WebhookRules.apply(draft, to: old, id: old.id, now: now)
            try await tx.sql.raw("""
                UPDATE webhook_subscriptions SET url = \(bind: s.url), description = \(bind: s.description), events_json = \(bind: JSONCoding.encode(s.events)),
                  filters_json = \(bind: JSONCoding.encode(s.filters)), enabled = \(bind: s.enabled ? 1 : 0), disabled_reason = \(bind: s.disabledReason),
                  failing_since = \(bind: s.failingSince?.millis), updated_at = \(bind: now.millis), version = \(bind: s.version)
                WHERE id = \(bind: s.id)
                """).run()
            if s.enabled && !old.enabled {
                try await tx.sql.raw("""
                    UPDATE webhook_deliveries SET next_at = \(bind: now.millis), first_attempt_at = NULL
                    WHERE subscription_id = \(bind: s.id) AND state = 'pending'
                    """).run()
            }
            try await tx.audit("update", "webhooks", s.id, detail: Self.auditDetail(s))
            return s
        }
        await WebhookOutbox.invalidate(db)
        if s.enabled { await db.ring(WebhookOutbox.bell) }
        return s
    }

    /// Removes an endpoint with its deliveries and their log.
    package func delete(_ scope: Scope, id: String, ifVersion: Int?) async throws {
        try require(scope, .delete)
        try await db.write(scope, at: clock.now()) { tx in
            let s = try await Self.load(scope, id, ifVersion: ifVersion, sql: tx.sql)
            try await tx.sql.raw("DELETE FROM webhook_attempts WHERE subscription_id = \(bind: s.id)").run()
            try await tx.sql.raw("DELETE FROM webhook_deliveries WHERE subscription_id = \(bind: s.id)").run()
            try await tx.sql.raw("DELETE FROM webhook_subscriptions WHERE id = \(bind: s.id)").run()
            try await tx.audit("delete", "webhooks", s.id, detail: ["url": .string(s.url)])
        }
        await WebhookOutbox.invalidate(db)
    }

    /// A new secret; the one it replaces keeps signing for `WebhookRules.rotationGrace`, so a
    /// receiver can switch without losing a delivery (each carries both signatures meanwhile).
    package func rotateSecret(_ scope: Scope, id: String) async throws -> (WebhookSubscription, secret: String, previousExpiresAt: Date) {
        try require(scope, .update)
        let now = clock.now()
        let secret = WebhookSignature.newSecret()
        let until = now.addingTimeInterval(WebhookRules.rotationGrace)
        let s = try await db.write(scope, at: now) { tx in
            var s = try await Self.load(scope, id, sql: tx.sql)
            s.version += 1; s.updatedAt = now; s.previousSecretExpiresAt = until
            try await tx.sql.raw("""
                UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_until = \(bind: until.millis), secret = \(bind: secret),
                  updated_at = \(bind: now.millis), version = \(bind: s.version)
                WHERE id = \(bind: s.id)
                """).run()
            try await tx.audit("rotate_secret", "webhooks", s.id, detail: ["previous_valid_until": .string(Timestamp.iso8601(until))])
            return s
        }
        return (s, secret, until)
    }

    static func auditDetail(_ s: WebhookSubscription) -> JSONValue {
        ["url": .string(s.url), "events": .array(s.events.map(JSONValue.string)), "enabled": .bool(s.enabled)]
    }

    // MARK: The delivery log

    static let deliveryColumnList = ["seq", "id", "subscription_id", "event_id", "event_type", "record_id", "state", "attempts", "next_at",
                                     "last_status", "last_error", "last_duration_ms", "delivered_at", "created_at"]
    static let deliveryColumns = deliveryColumnList.joined(separator: ", ")

    static func decodeDelivery(_ r: any SQLRow) throws -> WebhookDeliveryView {
        func time(_ c: String) throws -> Date? { try r.decode(column: c, as: Int64?.self).map(Date.init(millis:)) }
        let state = WebhookDeliveryState(rawValue: try r.decode(column: "state", as: String.self)) ?? .pending
        return WebhookDeliveryView(
            id: try r.decode(column: "id", as: String.self), subscriptionID: try r.decode(column: "subscription_id", as: String.self),
            eventID: try r.decode(column: "event_id", as: String.self), eventType: try r.decode(column: "event_type", as: String.self),
            recordID: try r.decode(column: "record_id", as: String.self), state: state, attempts: try r.decode(column: "attempts", as: Int.self),
            nextAt: state == .pending || state == .delivering ? try time("next_at") : nil,
            lastStatus: try r.decode(column: "last_status", as: Int?.self), lastError: try r.decode(column: "last_error", as: String?.self),
            lastDurationMs: try r.decode(column: "last_duration_ms", as: Int?.self), deliveredAt: try time("delivered_at"),
            createdAt: try time("created_at")!)
    }

    /// An endpoint's deliveries, newest first (optionally of one state: `dead` is the dead-letter list).
    package func deliveries(_ scope: Scope, subscriptionID: String, state: String?, cursor: String?, limit: Int = 50) async throws -> Page<WebhookDeliveryView> {
        try require(scope, .read)
        var e = FieldErrors()
        let st = state.map { WebhookDeliveryState(rawValue: $0) }
        if let st, st == nil { e.add("state", "must be one of " + WebhookDeliveryState.allCases.map(\.rawValue).joined(separator: ", ")) }
        let before = cursor.map { Int64($0) }
        if let before, before == nil { e.add("cursor", "is not a cursor this server issued") }
        try e.throwIfAny()
        let n = min(max(limit, 1), 200)
        return try await db.read { sql in
            let s = try await Self.load(scope, subscriptionID, sql: sql)
            var q = SQLQueryString("SELECT \(unsafeRaw: Self.deliveryColumns) FROM webhook_deliveries WHERE subscription_id = \(bind: s.id)")
            if let st = st ?? nil { q += " AND state = \(bind: st.rawValue)" }
            if let b = before ?? nil { q += " AND seq < \(bind: b)" }
            q += " ORDER BY seq DESC LIMIT \(literal: n + 1)"
            let rows = try await sql.raw(q).all()
            let items = try rows.prefix(n).map(Self.decodeDelivery)
            let next = rows.count > n ? try rows[n - 1].decode(column: "seq", as: Int64.self) : nil
            return Page(items: items, nextCursor: next.map(String.init))
        }
    }

    /// One delivery with its body and every attempt.
    package func delivery(_ scope: Scope, subscriptionID: String, id: String) async throws -> WebhookDeliveryDetail {
        try require(scope, .read)
        return try await db.read { sql in
            let (d, body) = try await Self.loadDelivery(scope, subscriptionID, id, sql: sql)
            let attempts = try await sql.raw("""
                SELECT attempted_at, duration_ms, status, error, request_headers, response_body FROM webhook_attempts
                WHERE delivery_id = \(bind: d.id) ORDER BY attempted_at, id
                """).all().map { r in
                WebhookAttemptView(attemptedAt: Date(millis: try r.decode(column: "attempted_at", as: Int64.self)),
                                   durationMs: try r.decode(column: "duration_ms", as: Int.self), status: try r.decode(column: "status", as: Int?.self),
                                   error: try r.decode(column: "error", as: String?.self),
                                   requestHeaders: JSONCoding.decode([String: String].self, try r.decode(column: "request_headers", as: String.self)) ?? [:],
                                   responseBody: try r.decode(column: "response_body", as: String?.self))
            }
            return WebhookDeliveryDetail(delivery: d, body: (try? JSONParser.parse(body)) ?? .string(body), attemptLog: attempts)
        }
    }

    static func loadDelivery(_ scope: Scope, _ subscriptionID: String, _ id: String, sql: any SQLDatabase) async throws -> (WebhookDeliveryView, String) {
        let s = try await load(scope, subscriptionID, sql: sql)
        guard ID.isValid(id), let r = try await sql.raw("""
            SELECT \(unsafeRaw: deliveryColumnList.map { "d." + $0 }.joined(separator: ", ")), e.body
            FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.id = \(bind: id.lowercased()) AND d.subscription_id = \(bind: s.id)
            """).first() else { throw DomainError.notFound("webhook_delivery") }
        return (try decodeDelivery(r), try r.decode(column: "body", as: String.self))
    }

    /// Sends a delivery again (delivered or parked): due now, with a fresh retry window. A record's
    /// later deliveries to the endpoint wait for it as they would for any earlier one.
    package func replay(_ scope: Scope, subscriptionID: String, deliveryID: String) async throws -> WebhookDeliveryView {
        try require(scope, .update)
        let now = clock.now()
        let d = try await db.write(scope, at: now) { tx in
            let (d, _) = try await Self.loadDelivery(scope, subscriptionID, deliveryID, sql: tx.sql)
            guard d.state == .delivered || d.state == .dead else {
                throw DomainError.conflict("the delivery is still \(d.state.rawValue); only delivered or parked ones are replayed")
            }
            try await Self.requeue("id = \(bind: d.id)", now: now, sql: tx.sql)
            try await tx.audit("replay", "webhook_deliveries", d.id, detail: ["subscription_id": .string(d.subscriptionID)])
            return try await Self.loadDelivery(scope, subscriptionID, deliveryID, sql: tx.sql).0
        }
        await db.ring(WebhookOutbox.bell)
        return d
    }

    /// Sends every parked delivery of the endpoint again; answers how many.
    package func replayDead(_ scope: Scope, subscriptionID: String) async throws -> Int {
        try require(scope, .update)
        let now = clock.now()
        let n = try await db.write(scope, at: now) { tx in
            let s = try await Self.load(scope, subscriptionID, sql: tx.sql)
            let n = try await Self.requeue("subscription_id = \(bind: s.id) AND state = 'dead'", now: now, sql: tx.sql)
            try await tx.audit("replay_dead", "webhooks", s.id, detail: ["count": .number(Double(n))])
            return n
        }
        await db.ring(WebhookOutbox.bell)
        return n
    }

    @discardableResult
    static func requeue(_ which: SQLQueryString, now: Date, sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("""
            UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = \(bind: now.millis), first_attempt_at = NULL, delivered_at = NULL
            WHERE \(which) RETURNING id
            """).all().count
    }
}

extension WebhookStore {
    /// Deliveries waiting to be sent (or being sent) and parked ones, of one workspace or (nil) every
    /// workspace; counted per endpoint through the endpoint index, never over the whole log.
    package func queueDepths(workspaceID: String?) async throws -> [QueueDepth] {
        try await db.read { sql in
            let workspace: SQLQueryString = workspaceID.map { " WHERE s.workspace_id = \(bind: $0)" } ?? ""
            let rows = try await sql.raw("""
                SELECT d.state AS state, COUNT(*) AS n FROM webhook_subscriptions s
                JOIN webhook_deliveries d ON d.subscription_id = s.id AND d.state IN ('pending', 'delivering', 'dead')
                """ + workspace + " GROUP BY d.state").all()
            var pending = 0, dead = 0
            for r in rows {
                let n = try r.decode(column: "n", as: Int.self)
                if try r.decode(column: "state", as: String.self) == "dead" { dead += n } else { pending += n }
            }
            return [QueueDepth(name: "webhook_pending", depth: pending), QueueDepth(name: "webhook_dead", depth: dead)]
        }
    }
}
