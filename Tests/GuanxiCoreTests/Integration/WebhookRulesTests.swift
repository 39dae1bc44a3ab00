import Foundation
import Testing
import GuanxiCore

@Suite("Webhook rules: topics, filters, addresses, secrets, retry schedule, endpoint health, ordering")
struct WebhookRulesTests {
    let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func patternsSelectExactTypesARecordsEventsOrEverything() {
        #expect(WebhookTopics.matches("order.paid", .orderPaid))
        #expect(!WebhookTopics.matches("order.paid", .orderShipped))
        #expect(WebhookTopics.matches("order.*", .orderReturned) && !WebhookTopics.matches("order.*", .quoteAccepted))
        #expect(WebhookTopics.matches("*", .ticketStatusChanged))
        #expect(WebhookTopics.isValid("customer.*") && WebhookTopics.isValid("deal.stage_changed") && WebhookTopics.isValid("*"))
        #expect(!WebhookTopics.isValid("invoice.*") && !WebhookTopics.isValid("order.refunded") && !WebhookTopics.isValid("") && !WebhookTopics.isValid("order"))
    }

    @Test func filtersMatchNamedFieldsListsAndNestedPathsAsText() throws {
        let data = try JSONParser.parse(#"{"source":"shop","total":1999,"tags":["VIP","批发"],"customer":{"tier":"A"},"paid":true}"#)
        #expect(WebhookFilter.matches([:], data: data))
        #expect(WebhookFilter.matches(["source": ["erp", "shop"]], data: data))
        #expect(WebhookFilter.matches(["total": ["1999"], "paid": ["true"]], data: data))
        #expect(WebhookFilter.matches(["tags": ["批发"], "customer.tier": ["A", "B"]], data: data))
        #expect(!WebhookFilter.matches(["source": ["erp"]], data: data))
        #expect(!WebhookFilter.matches(["source": ["shop"], "customer.tier": ["C"]], data: data))
        #expect(!WebhookFilter.matches(["missing": ["x"]], data: data))
    }

    @Test func badFiltersAreNamedField() {
        var e = FieldErrors()
        WebhookFilter.check(["Status!": ["x"], "source": [], "city": [String(repeating: "长", count: 201)]], into: &e)
        #expect(e.messages["filters"]?.text.contains("Status!") == true)
        #expect(e.messages["filters.source"] != nil && e.messages["filters.city"] != nil)
    }

    @Test func onlyHTTPAndHTTPSAddressesWithAHostAndNoCredentials() {
        #expect(WebhookRules.urlProblem("https://erp.example.cn/hooks/guanxi?key=1") == nil)
        #expect(WebhookRules.urlProblem("http://127.0.0.1:8080/hook") == nil)
        #expect(WebhookRules.urlProblem("http://[::1]:9000/h") == nil)
        #expect(WebhookRules.urlProblem("ftp://example.com/x") == "must start with http:// or https://")
        #expect(WebhookRules.urlProblem("javascript:alert(1)") == "must start with http:// or https://")
        #expect(WebhookRules.urlProblem("https://user:pw@example.com/x") == "must not carry a user name or password")
        #expect(WebhookRules.urlProblem("https://token@example.com/x") == "must not carry a user name or password")
        #expect(WebhookRules.urlProblem("example.com/hook") != nil)
        #expect(WebhookRules.urlProblem("https:///nohost") != nil)
        #expect(WebhookRules.urlProblem("https://example.com/a b") == "must not contain spaces")
        #expect(WebhookRules.urlProblem("https://example.com/#x") == "must not have a #fragment")
        #expect(WebhookRules.urlProblem("https://example.com/" + String(repeating: "a", count: 2_000)) != nil)
    }

    @Test func aNewSubscriptionNeedsAddressAndEventsAndReportsEveryBadFieldAtOnce() throws {
        #expect(throws: DomainError.validation(["url": "is required", "events": "is required"])) {
            try WebhookRules.apply(WebhookDraft(), to: nil, id: "x", now: t0)
        }
        let error = #expect(throws: DomainError.self) {
            try WebhookRules.apply(WebhookDraft(url: "mailto:a@b.c", events: ["order.paid", "order.teleported"], secret: "plain"),
                                   to: nil, id: "x", now: t0)
        }
        guard case .validation(let f)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(Set(f.keys) == ["url", "events", "secret"])
        let s = try WebhookRules.apply(WebhookDraft(url: " https://erp.example.cn/h ", events: ["order.paid", "order.paid", "customer.*"],
                                                    description: .some("  ERP 对接 🚚 ")), to: nil, id: "x", now: t0)
        #expect(s.url == "https://erp.example.cn/h" && s.events == ["order.paid", "customer.*"] && s.description == "ERP 对接 🚚")
        #expect(s.enabled && s.version == 1)
        // a change keeps what it does not name; enabling again clears the health record
        var off = s; off.enabled = false; off.disabledReason = "every delivery failed for 24 hours"; off.failingSince = t0
        let on = try WebhookRules.apply(WebhookDraft(enabled: true), to: off, id: "x", now: t0)
        #expect(on.enabled && on.disabledReason == nil && on.failingSince == nil && on.url == s.url && on.version == 2)
        #expect(throws: DomainError.self) { try WebhookRules.apply(WebhookDraft(secret: WebhookSignature.newSecret()), to: s, id: "x", now: t0) }
    }

    @Test func secretsAreWhsecAndBase64OfTwentyFourToSixtyFourBytes() {
        let s = WebhookSignature.newSecret()
        #expect(s.hasPrefix("whsec_") && WebhookSignature.key(fromSecret: s)?.count == 32)
        #expect(WebhookSignature.key(fromSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?.count == 24)
        #expect(WebhookSignature.key(fromSecret: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?.count == 24)
        #expect(WebhookSignature.key(fromSecret: "whsec_c2hvcnQ=") == nil)
        #expect(WebhookSignature.key(fromSecret: "whsec_not base64!") == nil)
        #expect(WebhookSignature.key(fromSecret: "whsec_") == nil)
        let content = WebhookSignature.content(id: "msg_1", timestamp: 1_614_265_330, body: Array(#"{"a":"关系"}"#.utf8))
        #expect(String(decoding: content, as: UTF8.self) == #"msg_1.1614265330.{"a":"关系"}"#)
        let header = WebhookSignature.header([[1, 2, 3], [255]])
        #expect(header == "v1,AQID v1,/w==")
        #expect(WebhookSignature.parse(header: header + " v2,xyz") == [[1, 2, 3], [255]])
    }

    @Test func retriesBackOffExponentiallyWithJitterForADayThenPark() {
        #expect(WebhookSchedule.pause(afterAttempt: 1, jitter: 0) == 10)
        #expect(WebhookSchedule.pause(afterAttempt: 2, jitter: 0) == 30)
        #expect(WebhookSchedule.pause(afterAttempt: 4, jitter: 0) == 270)
        #expect(WebhookSchedule.pause(afterAttempt: 20, jitter: 0) == 6 * 3600)
        #expect(WebhookSchedule.pause(afterAttempt: 1, jitter: 1) == 12 && WebhookSchedule.pause(afterAttempt: 1, jitter: -1) == 8)
        // a delivery that fails every time: retried until its first attempt is a day old, then parked
        var now = t0, attempt = 0
        var times: [Date] = []
        while true {
            attempt += 1
            let v = WebhookSchedule.verdict(status: 503, attempt: attempt, firstAttempt: t0, failingSince: nil, now: now, jitter: 0)
            guard case .retry(let at) = v.next else { #expect(v.next == .park); break }
            times.append(at); now = at
        }
        #expect(now.timeIntervalSince(t0) >= 24 * 3600 && now.timeIntervalSince(t0) < 31 * 3600)
        #expect(attempt == 12 && zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        // 2xx delivers and makes the endpoint healthy; 410 disables at once
        #expect(WebhookSchedule.verdict(status: 204, attempt: 3, firstAttempt: t0, failingSince: t0, now: now, jitter: 0)
                == WebhookVerdict(next: .delivered, failingSince: nil, disable: nil))
        let gone = WebhookSchedule.verdict(status: 410, attempt: 1, firstAttempt: t0, failingSince: nil, now: t0, jitter: 0)
        #expect(gone.disable == "the endpoint answered 410 Gone" && gone.failingSince == t0)
        // an endpoint that failed everything for a day is disabled; one failing for an hour is not
        let day = WebhookSchedule.verdict(status: nil, attempt: 1, firstAttempt: t0, failingSince: t0.addingTimeInterval(-86_400), now: t0, jitter: 0)
        #expect(day.disable == "every delivery failed for 24 hours")
        #expect(WebhookSchedule.verdict(status: 500, attempt: 1, firstAttempt: t0, failingSince: t0.addingTimeInterval(-3600), now: t0, jitter: 0).disable == nil)
    }

    @Test func aRecordsLaterEventWaitsForItsEarlierOneAtTheSameEndpoint() {
        let a = WebhookOrdering.Key(subscriptionID: "s1", recordID: "order-1")
        let b = WebhookOrdering.Key(subscriptionID: "s1", recordID: "order-2")
        let other = WebhookOrdering.Key(subscriptionID: "s2", recordID: "order-1")
        let due = [WebhookOrdering.Candidate(id: "a2", key: a, seq: 12), .init(id: "b1", key: b, seq: 13), .init(id: "a3", key: a, seq: 14),
                   .init(id: "o1", key: other, seq: 15)]
        // order-1's first event (seq 11) is still retrying: neither of its later ones goes; order-2 and the other endpoint do
        #expect(WebhookOrdering.sendable(due, earliest: [a: 11, b: 13, other: 15]).map(\.id) == ["b1", "o1"])
        // once seq 11 is delivered or parked, only the next one (12) goes, not 14 beside it
        #expect(WebhookOrdering.sendable(due, earliest: [a: 12, b: 13, other: 15]).map(\.id) == ["a2", "b1", "o1"])
        // an endpoint with as many requests under way as it may have gets no more; the others go on
        #expect(WebhookOrdering.sendable(due, earliest: [a: 12, b: 13, other: 15], inFlight: ["s1": 1], perEndpoint: 2).map(\.id) == ["a2", "o1"])
        #expect(WebhookOrdering.sendable(due, earliest: [a: 12, b: 13, other: 15], inFlight: ["s1": 2], perEndpoint: 2).map(\.id) == ["o1"])
    }

    @Test func orderStatusesMapToTheirEvents() {
        #expect(WebhookEventType(orderStatus: .paid) == .orderPaid && WebhookEventType(orderStatus: .returned) == .orderReturned)
        #expect(WebhookEventType(orderStatus: .partiallyShipped) == nil)
        #expect(WebhookEventType.allCases.count == 21
                && Set(WebhookEventType.allCases.map(\.record)) == ["customer", "lead", "deal", "quote", "order", "ticket", "product_issue", "event"])
    }
}
