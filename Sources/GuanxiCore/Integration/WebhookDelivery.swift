import Foundation

/// Where one event's delivery to one endpoint stands: `pending` (due at `next_at`), `delivering`
/// (taken by a sender until its lease ends), `delivered` (a 2xx answer), `dead` (parked in the
/// dead-letter list after the retry window, until replayed).
package enum WebhookDeliveryState: String, Sendable, Codable, CaseIterable {
    case pending, delivering, delivered, dead

    /// A delivery in these states holds back later events of the same record to the same endpoint.
    package static let unfinished: [WebhookDeliveryState] = [.pending, .delivering]
}

/// What follows one attempt, for the delivery and for its endpoint.
package struct WebhookVerdict: Sendable, Equatable {
    package enum Next: Sendable, Equatable {
        case delivered
        case retry(at: Date)
        case park
    }
    package var next: Next
    /// The endpoint's new `failing_since` (nil: healthy).
    package var failingSince: Date?
    /// Set when the endpoint is to be disabled, with the reason shown to its owners.
    package var disable: String?
    package init(next: Next, failingSince: Date?, disable: String?) { self.next = next; self.failingSince = failingSince; self.disable = disable }
}

/// Retries, parking and endpoint health: the one place these rules live.
///
/// Failed attempts are retried after 10 s, then three times as long each time (30 s, 90 s, 4.5 min,
/// 13.5 min, 40.5 min, 2 h, 6 h), at most 6 h apart, each pause moved by up to ±20 % at random so
/// endpoints that failed together do not come back together; a delivery whose first attempt is 24 h
/// old is parked at its next failure. An endpoint that answers 410 Gone, or whose attempts have all
/// failed for 24 h, is disabled.
package enum WebhookSchedule {
    package static let firstPause: TimeInterval = 10
    package static let growth: Double = 3
    package static let longestPause: TimeInterval = 6 * 3600
    package static let retryWindow: TimeInterval = 24 * 3600
    package static let jitterShare: Double = 0.2
    package static let failingLimit: TimeInterval = 24 * 3600

    /// The pause after failed attempt number `attempt` (1-based); `jitter` in -1…1.
    package static func pause(afterAttempt attempt: Int, jitter: Double) -> TimeInterval {
        let base = min(firstPause * pow(growth, Double(max(attempt, 1) - 1)), longestPause)
        return base * (1 + jitterShare * min(max(jitter, -1), 1))
    }

    /// A 2xx answer delivers; anything else (another status, no answer in time, no connection) fails.
    package static func isSuccess(_ status: Int?) -> Bool { status.map { (200...299).contains($0) } ?? false }

    /// What follows attempt number `attempt` of a delivery first tried at `firstAttempt`, answered
    /// with `status` (nil: no answer), for an endpoint failing since `failingSince`.
    package static func verdict(status: Int?, attempt: Int, firstAttempt: Date, failingSince: Date?, now: Date, jitter: Double) -> WebhookVerdict {
        if isSuccess(status) { return WebhookVerdict(next: .delivered, failingSince: nil, disable: nil) }
        let since = failingSince ?? now
        let next: WebhookVerdict.Next = now.timeIntervalSince(firstAttempt) >= retryWindow
            ? .park : .retry(at: now.addingTimeInterval(pause(afterAttempt: attempt, jitter: jitter)))
        var disable: String?
        if status == 410 { disable = "the endpoint answered 410 Gone" }
        else if now.timeIntervalSince(since) >= failingLimit { disable = "every delivery failed for 24 hours" }
        return WebhookVerdict(next: next, failingSince: since, disable: disable)
    }
}

/// Per-endpoint ordering by record: of the due deliveries, only those that are the earliest
/// unfinished one of their (endpoint, record) go now; a later event of the same record waits until
/// the earlier one is delivered or parked.
package enum WebhookOrdering {
    package struct Key: Hashable, Sendable {
        package var subscriptionID: String
        package var recordID: String
        package init(subscriptionID: String, recordID: String) { self.subscriptionID = subscriptionID; self.recordID = recordID }
    }
    package struct Candidate: Sendable, Equatable {
        package var id: String
        package var key: Key
        package var seq: Int64
        package init(id: String, key: Key, seq: Int64) { self.id = id; self.key = key; self.seq = seq }
    }

    /// At most this many requests to one endpoint at a time, so an endpoint that hangs or refuses
    /// slowly cannot hold every sender while the others wait. One endpoint's rate is this many
    /// over a delivery's round trip (claim, request, answer, record): at 8 it was 1,559/s on
    /// loopback with the server's CPU half idle, two endpoints together 2,668/s; at 32 +30–45 %
    /// over 16 in the same minutes, each claim taking more at once (BENCHMARKS.md).
    package static let perEndpoint = 32

    /// The candidates that may go now, in the order given: `earliest` is the lowest sequence number
    /// of an unfinished delivery per key, `inFlight` the requests under way per endpoint (both read
    /// together with the candidates).
    package static func sendable(_ due: [Candidate], earliest: [Key: Int64], inFlight: [String: Int] = [:],
                                 perEndpoint: Int = perEndpoint) -> [Candidate] {
        var taken = Set<Key>()
        var load = inFlight
        return due.filter { c in
            guard earliest[c.key].map({ $0 >= c.seq }) ?? true, !taken.contains(c.key),
                  load[c.key.subscriptionID, default: 0] < perEndpoint else { return false }
            taken.insert(c.key)
            load[c.key.subscriptionID, default: 0] += 1
            return true
        }
    }
}
