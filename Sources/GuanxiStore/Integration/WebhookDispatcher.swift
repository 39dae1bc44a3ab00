import Foundation
import Crypto
import SQLKit
import GuanxiCore

/// One signed POST to an endpoint.
package struct WebhookRequest: Sendable {
    package var url: String
    package var headers: [(String, String)]
    package var body: [UInt8]
    package var timeout: Duration
    package init(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) {
        self.url = url; self.headers = headers; self.body = body; self.timeout = timeout
    }

    /// A JSON POST signed by the Standard Webhooks convention: `webhook-id`, `webhook-timestamp`
    /// (Unix seconds of `now`) and one `webhook-signature` per valid secret. Outgoing webhooks,
    /// click-to-call and text messages all send these.
    package static func signed(url: String, id: String, body: [UInt8], secrets: [String], at now: Date,
                               userAgent: String, timeout: Duration) -> WebhookRequest {
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        let signatures = WebhookDispatcher.signatures(id: id, timestamp: timestamp, body: body, secrets: secrets)
        return WebhookRequest(url: url, headers: [
            ("content-type", "application/json"), ("user-agent", userAgent),
            ("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", WebhookSignature.header(signatures)),
        ], body: body, timeout: timeout)
    }
}

/// What came back: the status (nil when no answer came: refused, unreachable, timed out), the
/// start of the answer's body, or what went wrong.
package struct WebhookAnswer: Sendable, Equatable {
    package var status: Int?
    package var body: String?
    package var error: String?
    package init(status: Int?, body: String? = nil, error: String? = nil) { self.status = status; self.body = body; self.error = error }
}

/// Sends HTTP requests (the server's HTTP client; tests may give their own).
package protocol WebhookTransport: Sendable {
    func post(_ request: WebhookRequest) async -> WebhookAnswer
}

/// The delivering half of the outbox: takes due deliveries (each claimed for a lease, so two
/// senders never send one at the same time and a sender that dies leaves it due again when the
/// lease ends), signs and sends them, and records every attempt with what follows from it
/// (`WebhookSchedule`): delivered, retried later, parked, the endpoint disabled with a notice to
/// the workspace's owners and administrators.
package struct WebhookDispatcher: Sendable {
    let db: Database
    package let clock: any GuanxiCore.Clock
    let transport: any WebhookTransport
    /// How long one request may take.
    package let timeout: Duration
    /// -1…1, moving each retry pause (tests fix it).
    let jitter: @Sendable () -> Double
    /// The attempts of the requests under way are recorded together (on SQLite one transaction for
    /// the answers that came back meanwhile, instead of one each: that commit was the delivery rate's limit).
    let records: GroupedWrites

    package init(db: Database, clock: any GuanxiCore.Clock, transport: any WebhookTransport, timeout: Duration = .seconds(15),
                 jitter: @escaping @Sendable () -> Double = { Double.random(in: -1...1) }) {
        self.db = db; self.clock = clock; self.transport = transport; self.timeout = timeout; self.jitter = jitter
        records = GroupedWrites(db: db)
    }

    /// How long a claimed delivery is its sender's: the request's time and a minute to record the answer.
    var lease: TimeInterval { Double(timeout.components.seconds) + 60 }

    /// Rung when there may be work: a committed event, a replay, an endpoint enabled again.
    package var bell: Doorbell { db.bells(WebhookOutbox.bell) }

    /// A claimed delivery with what sending it needs.
    package struct Job: Sendable {
        package var id: String
        package var workspaceID: String
        package var subscriptionID: String
        package var eventID: String
        package var url: String
        package var body: String
        /// The current secret first, then the previous one while it is valid.
        package var secrets: [String]
        package var attempts: Int
        package var firstAttemptAt: Date?
    }

    /// Claims up to `limit` due deliveries of enabled endpoints, at most one per endpoint and record
    /// and only a record's earliest unfinished one, and at most `WebhookOrdering.perEndpoint` under
    /// way per endpoint (`WebhookOrdering`).
    package func claim(limit: Int) async throws -> [Job] {
        let now = clock.now()
        let (due, earliest, inFlight) = try await db.read { sql in
            let due = try await sql.raw("""
                SELECT d.seq, d.id, d.subscription_id, d.record_id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.state IN ('pending', 'delivering') AND d.next_at <= \(bind: now.millis) AND s.enabled = 1
                ORDER BY d.next_at, d.seq LIMIT \(literal: limit * 4)
                """).all().map { r in
                WebhookOrdering.Candidate(id: try r.decode(column: "id", as: String.self),
                                          key: .init(subscriptionID: try r.decode(column: "subscription_id", as: String.self),
                                                     recordID: try r.decode(column: "record_id", as: String.self)),
                                          seq: try r.decode(column: "seq", as: Int64.self))
            }
            var earliest: [WebhookOrdering.Key: Int64] = [:]
            let records = Array(Set(due.map(\.key.recordID))).sorted()
            if !records.isEmpty {
                for r in try await sql.raw("""
                    SELECT subscription_id, record_id, MIN(seq) AS first FROM webhook_deliveries
                    WHERE record_id IN (\(binds: records)) AND state IN ('pending', 'delivering') GROUP BY subscription_id, record_id
                    """).all() {
                    earliest[.init(subscriptionID: try r.decode(column: "subscription_id", as: String.self),
                                   recordID: try r.decode(column: "record_id", as: String.self))] = try r.decode(column: "first", as: Int64.self)
                }
            }
            var inFlight: [String: Int] = [:]
            if !due.isEmpty {
                for r in try await sql.raw("""
                    SELECT subscription_id, COUNT(*) AS n FROM webhook_deliveries
                    WHERE state = 'delivering' AND next_at > \(bind: now.millis) AND subscription_id IN (\(binds: Array(Set(due.map(\.key.subscriptionID))).sorted()))
                    GROUP BY subscription_id
                    """).all() {
                    inFlight[try r.decode(column: "subscription_id", as: String.self)] = try r.decode(column: "n", as: Int.self)
                }
            }
            return (due, earliest, inFlight)
        }
        let picked = Array(WebhookOrdering.sendable(due, earliest: earliest, inFlight: inFlight).prefix(limit))
        guard !picked.isEmpty else { return [] }
        // Only the claim itself takes the writer (on SQLite it is the order API's writer too); what
        // sending needs is read afterwards: the lease keeps the claimed deliveries this sender's.
        let claimed = try await db.write { sql in
            try await sql.raw("""
                UPDATE webhook_deliveries SET state = 'delivering', next_at = \(bind: now.addingTimeInterval(lease).millis)
                WHERE id IN (\(binds: picked.map(\.id))) AND state IN ('pending', 'delivering') AND next_at <= \(bind: now.millis) RETURNING id
                """).all().map { try $0.decode(column: "id", as: String.self) }
        }
        guard !claimed.isEmpty else { return [] }
        return try await db.read { sql in
            let rows = try await sql.raw("""
                SELECT d.id, d.workspace_id, d.subscription_id, d.event_id, d.attempts, d.first_attempt_at, e.body, s.url, s.secret,
                  s.previous_secret, s.previous_secret_until
                FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.id IN (\(binds: claimed))
                """).all()
            var jobs: [String: Job] = [:]
            for r in rows {
                var secrets = [try r.decode(column: "secret", as: String.self)]
                if let previous = try r.decode(column: "previous_secret", as: String?.self),
                   let until = try r.decode(column: "previous_secret_until", as: Int64?.self), until > now.millis { secrets.append(previous) }
                let job = Job(id: try r.decode(column: "id", as: String.self), workspaceID: try r.decode(column: "workspace_id", as: String.self),
                              subscriptionID: try r.decode(column: "subscription_id", as: String.self),
                              eventID: try r.decode(column: "event_id", as: String.self), url: try r.decode(column: "url", as: String.self),
                              body: try r.decode(column: "body", as: String.self), secrets: secrets,
                              attempts: try r.decode(column: "attempts", as: Int.self),
                              firstAttemptAt: try r.decode(column: "first_attempt_at", as: Int64?.self).map(Date.init(millis:)))
                jobs[job.id] = job
            }
            // in the order they were picked
            return picked.compactMap { jobs[$0.id] }
        }
    }

    /// The Standard Webhooks signatures of a message, one per secret that is a valid `whsec_` secret
    /// (outgoing deliveries sign with these; the telephony webhook checks incoming ones with them).
    package static func signatures(id: String, timestamp: Int64, body: [UInt8], secrets: [String]) -> [[UInt8]] {
        let content = WebhookSignature.content(id: id, timestamp: timestamp, body: body)
        return secrets.compactMap(WebhookSignature.key(fromSecret:)).map { key in
            Array(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key)))
        }
    }

    /// The request for a job at `now`: the Standard Webhooks headers, signed with every valid secret.
    package static func request(_ job: Job, at now: Date, timeout: Duration) -> WebhookRequest {
        .signed(url: job.url, id: job.eventID, body: Array(job.body.utf8), secrets: job.secrets, at: now, userAgent: "Guanxi-Webhooks/1", timeout: timeout)
    }

    /// Sends a claimed delivery and records the attempt; answers what follows.
    @discardableResult
    package func deliver(_ job: Job) async throws -> WebhookVerdict.Next {
        let started = clock.now()
        let request = Self.request(job, at: started, timeout: timeout)
        let t0 = ContinuousClock.now
        let answer = await transport.post(request)
        let took = ContinuousClock.now - t0
        let ms = Int(took.components.seconds * 1000 + took.components.attoseconds / 1_000_000_000_000_000)
        return try await record(answer, of: job, headers: request.headers, sentAt: started, durationMs: ms)
    }

    /// One pass: claims what is due and sends it all at once; answers what followed each.
    @discardableResult
    package func runOnce(limit: Int = 100) async throws -> [WebhookVerdict.Next] {
        let jobs = try await claim(limit: limit)
        return try await withThrowingTaskGroup(of: WebhookVerdict.Next.self) { group in
            for job in jobs { group.addTask { try await deliver(job) } }
            var out: [WebhookVerdict.Next] = []
            for try await n in group { out.append(n) }
            return out
        }
    }

    /// When the earliest waiting delivery of an enabled endpoint is due (nil: none waits).
    package func nextDue() async throws -> Date? {
        try await db.read { sql in
            try await sql.raw("""
                SELECT MIN(d.next_at) AS t FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.state IN ('pending', 'delivering') AND s.enabled = 1
                """).first()?.decode(column: "t", as: Int64?.self).map(Date.init(millis:))
        }
    }

    /// How long delivered deliveries (with their attempts) stay in the log; parked ones stay until
    /// replayed or their endpoint is removed.
    package static let retention: TimeInterval = 30 * 86_400

    /// Removes delivered deliveries older than `retention`, their attempts, and events no delivery
    /// refers to any more; answers how many deliveries went. In slices, so no write holds the
    /// writer long.
    @discardableResult
    package func purge(slice: Int = 1_000) async throws -> Int {
        let before = clock.now().addingTimeInterval(-Self.retention).millis
        var removed = 0
        while true {
            let n = try await db.write { sql in
                let ids = try await sql.raw("""
                    SELECT id FROM webhook_deliveries WHERE state = 'delivered' AND delivered_at < \(bind: before) ORDER BY seq LIMIT \(literal: slice)
                    """).all().map { try $0.decode(column: "id", as: String.self) }
                guard !ids.isEmpty else { return 0 }
                try await sql.raw("DELETE FROM webhook_attempts WHERE delivery_id IN (\(binds: ids))").run()
                try await sql.raw("DELETE FROM webhook_deliveries WHERE id IN (\(binds: ids))").run()
                return ids.count
            }
            removed += n
            if n < slice { break }
        }
        try await db.write { sql in
            try await sql.raw("""
                DELETE FROM webhook_events WHERE created_at < \(bind: before)
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)
                """).run()
        }
        return removed
    }

    private func record(_ answer: WebhookAnswer, of job: Job, headers: [(String, String)], sentAt: Date, durationMs: Int) async throws -> WebhookVerdict.Next {
        let now = clock.now()
        let attempt = job.attempts + 1
        let first = job.firstAttemptAt ?? sentAt
        let shown = Dictionary(headers.filter { $0.0.hasPrefix("webhook-") || $0.0 == "content-type" }, uniquingKeysWith: { a, _ in a })
        let shownJSON = JSONCoding.encode(shown)
        let noise = jitter()
        let (next, disabled) = try await records.write(Scope.acting(workspaceID: job.workspaceID, userID: nil), at: now) { tx -> (WebhookVerdict.Next, Bool) in
            // an endpoint removed meanwhile took its deliveries with it
            guard let s = try await tx.sql.raw("""
                SELECT url, enabled, failing_since FROM webhook_subscriptions WHERE id = \(bind: job.subscriptionID)
                """).first() else { return (.park, false) }
            let verdict = WebhookSchedule.verdict(status: answer.status, attempt: attempt, firstAttempt: first,
                                                  failingSince: try s.decode(column: "failing_since", as: Int64?.self).map(Date.init(millis:)),
                                                  now: now, jitter: noise)
            try await tx.sql.raw("""
                INSERT INTO webhook_attempts (id, delivery_id, workspace_id, subscription_id, attempted_at, duration_ms, status, error, request_headers, response_body)
                VALUES (\(bind: ID.make(at: now)), \(bind: job.id), \(bind: job.workspaceID), \(bind: job.subscriptionID), \(bind: sentAt.millis),
                  \(bind: durationMs), \(bind: answer.status), \(bind: answer.error), \(bind: shownJSON), \(bind: answer.body))
                """).run()
            let (state, next, delivered): (WebhookDeliveryState, Int64?, Int64?) = switch verdict.next {
            case .delivered: (.delivered, nil, now.millis)
            case .retry(let at): (.pending, at.millis, nil)
            case .park: (.dead, nil, nil)
            }
            try await tx.sql.raw("""
                UPDATE webhook_deliveries SET state = \(bind: state.rawValue), attempts = \(bind: attempt), next_at = \(bind: next),
                  first_attempt_at = \(bind: first.millis), last_attempt_at = \(bind: sentAt.millis), last_status = \(bind: answer.status),
                  last_error = \(bind: answer.error), last_duration_ms = \(bind: durationMs), delivered_at = \(bind: delivered)
                WHERE id = \(bind: job.id) AND state = 'delivering'
                """).run()
            let url = try s.decode(column: "url", as: String.self)
            let wasEnabled = try s.decode(column: "enabled", as: Int.self) != 0
            if let reason = verdict.disable, wasEnabled {
                try await tx.sql.raw("""
                    UPDATE webhook_subscriptions SET enabled = 0, disabled_reason = \(bind: reason), failing_since = \(bind: verdict.failingSince?.millis),
                      updated_at = \(bind: now.millis), version = version + 1
                    WHERE id = \(bind: job.subscriptionID)
                    """).run()
                try await tx.audit("disable", "webhooks", job.subscriptionID, detail: ["reason": .string(reason)])
                try await NotificationStore.add(try await NotificationStore.workspaceAdmins(job.workspaceID, sql: tx.sql), kind: "webhook_disabled",
                                                subject: "Webhook endpoint \(url) was disabled: \(reason)",
                                                link: "/webhooks/\(job.subscriptionID)", tx: tx)
                return (verdict.next, true)
            }
            // the endpoint's health, written only when it moves (a success within the last second
            // changes nothing worth a write: every delivery of a busy endpoint would wait on its row)
            if verdict.next == .delivered {
                try await tx.sql.raw("""
                    UPDATE webhook_subscriptions SET failing_since = NULL, last_success_at = \(bind: now.millis)
                    WHERE id = \(bind: job.subscriptionID)
                      AND (failing_since IS NOT NULL OR last_success_at IS NULL OR last_success_at < \(bind: now.millis - 1_000))
                    """).run()
            } else {
                try await tx.sql.raw("""
                    UPDATE webhook_subscriptions SET failing_since = \(bind: verdict.failingSince?.millis)
                    WHERE id = \(bind: job.subscriptionID) AND failing_since IS NULL
                    """).run()
            }
            return (verdict.next, false)
        }
        if disabled { await WebhookOutbox.invalidate(db) }
        return next
    }
}
