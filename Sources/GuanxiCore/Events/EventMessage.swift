import Foundation

/// The kinds of behaviour event the tracking clients send (Segment's names; PostHog's events map onto them).
package enum EventType: String, Sendable, CaseIterable {
    case identify, track, page, screen, group, alias
}

/// One behaviour event as it is stored: who (anonymous and user id), what (type, name, properties
/// or traits), when (the client's time corrected for its clock), and the client's message id,
/// which makes a retried event the same event.
package struct EventMessage: Sendable, Equatable {
    package var type: EventType
    /// The event's name (`track`), the page's or screen's name, or the group id; nil otherwise.
    package var event: String?
    package var messageID: String
    package var anonymousID: String?
    package var userID: String?
    /// The client's time, moved by the difference between its clock and ours.
    package var timestamp: Date
    /// `properties`, or `traits` for identify and group.
    package var properties: JSONValue
    /// The client's context (library, page, device), as sent.
    package var context: JSONValue?
    /// The previous id an `alias` joins to the user id.
    package var previousID: String?
    /// `properties` and `context` as JSON text, written once when read (measured, then stored).
    package var propertiesJSON: String
    package var contextJSON: String?

    package init(type: EventType, event: String? = nil, messageID: String, anonymousID: String? = nil, userID: String? = nil,
                 timestamp: Date, properties: JSONValue = .object([:]), context: JSONValue? = nil, previousID: String? = nil) {
        self.type = type; self.event = event; self.messageID = messageID; self.anonymousID = anonymousID; self.userID = userID
        self.timestamp = timestamp; self.properties = properties; self.context = context; self.previousID = previousID
        propertiesJSON = JSONCoding.encode(properties)
        contextJSON = context.map { JSONCoding.encode($0) }
    }

    /// About the event's size as JSON: its properties, context, ids and names (what the 32 KB limit counts).
    package var size: Int {
        propertiesJSON.utf8.count + (contextJSON?.utf8.count ?? 0) + messageID.utf8.count + (anonymousID?.utf8.count ?? 0)
            + (userID?.utf8.count ?? 0) + (event?.utf8.count ?? 0) + 120
    }

    /// Traits an `identify` carries (nil for other kinds).
    package var traits: [String: JSONValue]? {
        guard type == .identify, case .object(let o) = properties else { return nil }
        return o
    }
}

/// A request's events, read from its JSON body: the write key the body carried, if any, and the
/// events in order. Pure: the receive time and the id maker come from the caller.
package struct EventBatch: Sendable {
    package var writeKey: String?
    package var messages: [EventMessage]
    /// The client library's name when it says (`analytics-python`, `RudderStack…`, `posthog-python`).
    package var library: String?
    /// Sent by a RudderStack client (it names itself, or marks events with their `channel`), which
    /// may send larger batches.
    package var fromRudderStack = false
}

/// Reads tracking clients' request bodies into events (Segment's HTTP Tracking API and PostHog's
/// capture API), with their rules: `type` in batch items, `event` on track, a user id or an
/// anonymous id on every event, numeric ids as text, long ids cut, timestamps corrected for skew.
package enum EventIntake {
    /// An event's largest JSON size.
    package static let maxEventBytes = 32 * 1024
    /// Ids longer than this are cut (PostHog's limit).
    package static let maxIDLength = 200

    package struct Refusal: Error, Equatable, Sendable {
        package var reason: String
        package init(_ reason: String) { self.reason = reason }
    }

    /// A Segment-style body: one event of `type` (the path's kind) or, when `type` is nil, a
    /// `{"batch": [...]}`. `sizes` are the events' JSON sizes, checked against the per-event limit.
    package static func segment(_ body: JSONValue, type: EventType?, receivedAt: Date, newID: () -> String) throws -> EventBatch {
        guard case .object(let top) = body else { throw Refusal("the body is not a JSON object") }
        var out = EventBatch(writeKey: top["writeKey"]?.stringValue, messages: [], library: library(top["context"]))
        let sentAt = top["sentAt"].flatMap(time)
        if let type {
            out.messages = [try message(top, type: type, sentAt: sentAt, receivedAt: receivedAt, newID: newID, index: nil)]
            out.fromRudderStack = top["channel"] != nil
        } else {
            guard case .array(let items)? = top["batch"] else { throw Refusal("batch: an array of events is required") }
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item else { throw Refusal("batch[\(i)]: not an object") }
                guard let t = o["type"]?.stringValue else { throw Refusal("batch[\(i)].type is required") }
                guard let kind = EventType(rawValue: t) else { throw Refusal("batch[\(i)].type '\(cut(t, 40))' is not a known type") }
                out.messages.append(try message(o, type: kind, sentAt: sentAt, receivedAt: receivedAt, newID: newID, index: i))
                if out.library == nil { out.library = library(o["context"]) }
                if o["channel"] != nil { out.fromRudderStack = true }
            }
        }
        if out.library?.lowercased().contains("rudder") == true { out.fromRudderStack = true }
        return out
    }

    /// A PostHog body: `{"api_key", "batch": [...]}` or one event `{"api_key", "event", "distinct_id", …}`.
    package static func posthog(_ body: JSONValue, receivedAt: Date, newID: () -> String) throws -> EventBatch {
        let items: [JSONValue]
        var top: [String: JSONValue] = [:]
        switch body {
        case .array(let a): items = a
        case .object(let o):
            top = o
            if case .array(let a)? = o["batch"] { items = a } else { items = [body] }
        default: throw Refusal("the body is not JSON events")
        }
        var out = EventBatch(writeKey: top["api_key"]?.stringValue ?? top["token"]?.stringValue, messages: [], library: nil)
        let sentAt = top["sent_at"].flatMap(time)
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item else { throw Refusal("batch[\(i)]: not an object") }
            var props: [String: JSONValue] = [:]
            if case .object(let p)? = o["properties"] { props = p }
            if out.writeKey == nil { out.writeKey = o["api_key"]?.stringValue ?? o["token"]?.stringValue ?? props["token"]?.stringValue ?? o["$token"]?.stringValue }
            if out.library == nil { out.library = props["$lib"]?.stringValue }
            guard let name = o["event"]?.stringValue, !name.isEmpty else { throw Refusal("batch[\(i)].event is required") }
            guard let distinct = id(o["distinct_id"] ?? props["distinct_id"]) else { throw Refusal("batch[\(i)].distinct_id is required") }
            let stamp = o["timestamp"].flatMap(time) ?? receivedAt
            var m = EventMessage(type: .track, event: name, messageID: id(o["uuid"]) ?? id(o["$insert_id"]) ?? id(props["$insert_id"]) ?? newID(),
                                 anonymousID: distinct, timestamp: corrected(stamp, sentAt: o["sent_at"].flatMap(time) ?? sentAt, receivedAt: receivedAt))
            switch name {
            case "$identify", "$set":
                // the known id, and the anonymous one it was before
                m.type = .identify; m.event = nil
                m.userID = distinct
                m.anonymousID = id(props["$anon_distinct_id"])
                var traits: [String: JSONValue] = [:]
                if case .object(let s)? = o["$set"] ?? props["$set"] { traits = s }
                m.properties = .object(traits)
            case "$pageview": m.type = .page; m.event = props["$current_url"]?.stringValue.map { cut($0, 500) }; m.properties = .object(props)
            case "$screen": m.type = .screen; m.event = props["$screen_name"]?.stringValue; m.properties = .object(props)
            case "$create_alias":
                // distinct_id is the earlier id, `alias` the one it becomes
                guard let to = id(props["alias"]) else { throw Refusal("batch[\(i)].properties.alias is required") }
                m.type = .alias; m.event = nil; m.userID = to; m.anonymousID = distinct; m.previousID = distinct
                m.properties = .object(props)
            case "$groupidentify":
                m.type = .group; m.event = props["$group_key"]?.stringValue; m.properties = props["$group_set"] ?? .object([:])
            default: m.properties = .object(props)
            }
            m.propertiesJSON = JSONCoding.encode(m.properties)
            if m.size > maxEventBytes { throw Refusal("batch[\(i)] is \(m.size) bytes; an event may have at most \(maxEventBytes)") }
            out.messages.append(m)
        }
        return out
    }

    /// The client's time moved by how far its clock is from ours: timestamp + (receivedAt − sentAt).
    package static func corrected(_ timestamp: Date, sentAt: Date?, receivedAt: Date) -> Date {
        guard let sentAt else { return timestamp }
        return timestamp.addingTimeInterval(receivedAt.timeIntervalSince(sentAt))
    }

    private static func message(_ o: [String: JSONValue], type: EventType, sentAt batchSentAt: Date?, receivedAt: Date,
                                newID: () -> String, index: Int?) throws -> EventMessage {
        let at = index.map { "batch[\($0)]." } ?? ""
        let user = id(o["userId"]), anon = id(o["anonymousId"])
        if user == nil && anon == nil && type != .alias { throw Refusal("\(at)userId or \(at)anonymousId is required") }
        var name: String?
        switch type {
        case .track:
            guard let e = o["event"]?.stringValue, !e.trimmed().isEmpty else { throw Refusal("\(at)event is required") }
            name = cut(e, 200)
        case .page, .screen: name = o["name"]?.stringValue.map { cut($0, 200) }
        case .group: name = id(o["groupId"])
        case .identify, .alias: name = nil
        }
        if type == .alias, user == nil { throw Refusal("\(at)userId is required") }
        let stamp = o["timestamp"].flatMap(time) ?? o["originalTimestamp"].flatMap(time) ?? receivedAt
        let sentAt = o["sentAt"].flatMap(time) ?? batchSentAt
        let props: JSONValue
        switch type {
        case .identify, .group: props = o["traits"] ?? (o["context"].flatMap { if case .object(let c) = $0 { return c["traits"] }; return nil }) ?? .object([:])
        default: props = o["properties"] ?? .object([:])
        }
        // an alias keeps its earlier id where anonymous ids are, so the pair is found like an identify's
        let previous = id(o["previousId"])
        let m = EventMessage(type: type, event: name, messageID: id(o["messageId"]) ?? newID(),
                             anonymousID: type == .alias ? previous ?? anon : anon, userID: user,
                             timestamp: corrected(stamp, sentAt: sentAt, receivedAt: receivedAt),
                             properties: props, context: o["context"], previousID: previous)
        if m.size > maxEventBytes { throw Refusal("\(at.isEmpty ? "the event" : String(at.dropLast())) is \(m.size) bytes; an event may have at most \(maxEventBytes)") }
        return m
    }

    /// An id as text: strings trimmed and cut, numbers written without a fraction; nil when absent or empty.
    package static func id(_ v: JSONValue?) -> String? {
        switch v {
        case .string(let s)?:
            let t = s.trimmed()
            return t.isEmpty ? nil : cut(t, maxIDLength)
        case .number(let n)?:
            return n.rounded() == n && abs(n) < 9.0e15 ? String(Int64(n)) : String(n)
        default: return nil
        }
    }

    private static func library(_ context: JSONValue?) -> String? {
        guard case .object(let c)? = context, case .object(let l)? = c["library"] else { return nil }
        return l["name"]?.stringValue
    }

    /// `Z` or an offset, with or without a fraction (the clients write both).
    private static func time(_ v: JSONValue) -> Date? {
        guard let s = v.stringValue else { return nil }
        if let d = Timestamp.parse(s) { return d }
        // Python's isoformat without an offset: read as UTC
        return Timestamp.parse(s + "Z")
    }

    private static func cut(_ s: String, _ n: Int) -> String { Text.cut(s, n) }
}
