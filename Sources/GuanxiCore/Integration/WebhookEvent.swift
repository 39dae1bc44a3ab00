import Foundation

/// What outgoing webhooks can tell: one type per change a receiver (an ERP, a warehouse, a data
/// team) acts on. The raw value is the `type` of the delivered JSON and of subscriptions.
package enum WebhookEventType: String, CaseIterable, Sendable, Codable {
    case customerCreated = "customer.created", customerUpdated = "customer.updated", customerMerged = "customer.merged"
    case leadCaptured = "lead.captured", leadConverted = "lead.converted"
    case dealStageChanged = "deal.stage_changed"
    case quoteAccepted = "quote.accepted"
    case orderPlaced = "order.placed", orderPaid = "order.paid", orderShipped = "order.shipped", orderDelivered = "order.delivered"
    case orderConfirmed = "order.confirmed", orderCancelled = "order.cancelled", orderReturned = "order.returned"
    case ticketCreated = "ticket.created", ticketUpdated = "ticket.updated", ticketStatusChanged = "ticket.status_changed"
    case ticketRated = "ticket.rated"
    case productIssuePushed = "product_issue.pushed", productIssueUpdated = "product_issue.updated"
    /// A behaviour event stored by ingest (track, page, identify…), as `GET /api/v1/events` shows it.
    case eventReceived = "event.received"

    /// The kind of record the event is about (`order` for `order.paid`).
    package var record: Substring { rawValue.prefix { $0 != "." } }
}

/// Which event types a subscription asks for: exact names, a record's every event (`order.*`) or
/// everything (`*`).
package enum WebhookTopics {
    /// True when `pattern` (as a subscription stores it) selects `type`.
    package static func matches(_ pattern: String, _ type: WebhookEventType) -> Bool {
        if pattern == "*" || pattern == type.rawValue { return true }
        if pattern.hasSuffix(".*") { return pattern.dropLast(2) == type.record }
        return false
    }

    /// True when any of `patterns` selects `type`.
    package static func selects(_ patterns: [String], _ type: WebhookEventType) -> Bool {
        patterns.contains { matches($0, type) }
    }

    /// A pattern a subscription may hold: an event type, `record.*` for a record that has events, or `*`.
    package static func isValid(_ pattern: String) -> Bool {
        if pattern == "*" || WebhookEventType(rawValue: pattern) != nil { return true }
        guard pattern.hasSuffix(".*") else { return false }
        let record = pattern.dropLast(2)
        return WebhookEventType.allCases.contains { $0.record == record }
    }
}

/// A record that answers a filter's path itself (the values `WebhookFilter.texts` would find in its
/// JSON), so a record no endpoint's filters pass is never written as JSON.
package protocol WebhookFilterable {
    func filterTexts(at path: ArraySlice<String>) -> [String]
}

/// Optional filters of a subscription: each named field of the event's `data` must hold one of the
/// listed values (`{"source": ["shop"], "customer.tier": ["A", "B"]}`); a list field matches when
/// any of its items does. Values compare as text (numbers without a fraction as integers).
package enum WebhookFilter {
    package static let maxFields = 10
    package static let maxValues = 50

    /// True when `data` passes every filter (no filters: always).
    package static func matches(_ filters: [String: [String]], data: JSONValue) -> Bool {
        matches(filters) { texts(at: $0, in: data) }
    }

    /// True when the values `texts` gives for each filter's path pass it.
    package static func matches(_ filters: [String: [String]], texts: (ArraySlice<String>) -> [String]) -> Bool {
        filters.allSatisfy { path, allowed in
            texts(path.split(separator: ".").map(String.init)[...]).contains { allowed.contains($0) }
        }
    }

    /// The values at a dotted path, as text (a list yields each item).
    package static func texts(at path: ArraySlice<String>, in value: JSONValue) -> [String] {
        guard let key = path.first else {
            switch value {
            case .string(let s): return [s]
            case .number(let n): return [n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)]
            case .bool(let b): return [b ? "true" : "false"]
            case .array(let items): return items.flatMap { texts(at: [], in: $0) }
            case .null, .object: return []
            }
        }
        switch value {
        case .object(let o): return o[key].map { texts(at: path.dropFirst(), in: $0) } ?? []
        case .array(let items): return items.flatMap { texts(at: path, in: $0) }
        default: return []
        }
    }

    /// Field errors for filters as a subscription would store them.
    package static func check(_ filters: [String: [String]], into e: inout FieldErrors) {
        if filters.count > maxFields { e.add("filters", "may name at most \(maxFields) fields") }
        for (path, values) in filters {
            let ok = !path.isEmpty && path.count <= 100 && path.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
                !part.isEmpty && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            }
            if !ok { e.add("filters", "'\(path)' is not a field path such as status or customer.tier"); continue }
            if values.isEmpty || values.count > maxValues { e.add("filters.\(path)", "must list 1 to \(maxValues) values") }
            if values.contains(where: { $0.isEmpty || $0.count > 200 }) { e.add("filters.\(path)", "values must be 1 to 200 characters") }
        }
    }
}

extension WebhookEventType {
    /// The event an order's move to `status` is (nil: no event of its own, e.g. partly shipped).
    package init?(orderStatus status: OrderStatus) {
        switch status {
        case .placed: self = .orderPlaced
        case .paid: self = .orderPaid
        case .shipped: self = .orderShipped
        case .delivered: self = .orderDelivered
        case .confirmed: self = .orderConfirmed
        case .cancelled: self = .orderCancelled
        case .returned: self = .orderReturned
        case .partiallyShipped: return nil
        }
    }
}
