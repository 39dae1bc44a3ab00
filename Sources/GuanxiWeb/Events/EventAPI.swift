import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1/event-sources` (the workspace's sources of behaviour events and their write keys, for
/// those who manage the workspace) and a customer's events and link decisions.
struct EventAPI {
    let events: EventStore

    struct SourceInput: Decodable {
        var name: String
        var allowedOrigins: [String]?
        enum CodingKeys: String, CodingKey { case name, allowedOrigins = "allowed_origins" }
    }

    struct SettingsInput: Decodable {
        var retentionDays: Int?
        var overwrite: [String]?
        enum CodingKeys: String, CodingKey { case retentionDays = "retention_days", overwrite }
    }

    /// The stream's conditions from the query: `event`, `type`, `from`, `to` and `property.<name>=<value>`.
    static func query(_ req: Request) throws -> EventQuery {
        var q = EventQuery()
        q.event = req.query("event").flatMap { $0.isEmpty ? nil : $0 }
        if let t = req.query("type"), !t.isEmpty {
            guard let type = EventType(rawValue: t) else { throw DomainError.field("type", .oneOf(EventType.allCases.map(\.rawValue))) }
            q.type = type
        }
        for name in ["from", "to"] {
            guard let raw = req.query(name), !raw.isEmpty else { continue }
            guard let d = Timestamp.parse(raw) ?? Dates.parseDay(raw).flatMap({ Timestamp.parse($0 + "T00:00:00Z") }) else {
                throw DomainError.field(name, "is not a date or date-time")
            }
            if name == "from" { q.from = d } else { q.to = d }
        }
        for (k, v) in req.uri.queryParameters {
            // names arrive as sent (percent-encoded when not ASCII); values decoded
            let name = String(k).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(k)
            guard name.hasPrefix("property.") else { continue }
            q.properties.append((String(name.dropFirst("property.".count)), String(v)))
        }
        q.properties.sort { $0.key < $1.key }
        return q
    }

    /// The export, written page by page as it is sent (`EventExport`).
    static func exportBody(_ format: EventExport.Format, _ scope: Scope, _ q: EventQuery, _ events: EventStore)
        -> @Sendable (_ write: (Data) async throws -> Void) async throws -> Void {
        { write in
            var after: (Int64, Int64)? = nil
            let size = 1_000
            let head = EventExport.header(format)
            if !head.isEmpty { try await write(Data(head.utf8)) }
            while true {
                let page = try await events.exportPage(scope, q, after: after, page: size)
                if !page.isEmpty { try await write(Data(page.map { EventExport.line($0, format) }.joined().utf8)) }
                guard page.count == size, let last = page.last else { break }
                after = (last.timestamp.millis, last.seq)
            }
        }
    }

    func register(_ t: RouteTable) {
        let tag = "Events"
        var stream = APIRoute(method: .get, path: "/events", operationID: "listEvents",
                      summary: "The workspace's events, newest first, by name, kind, time and property (property.<name>=<value>); format=ndjson or csv exports every match",
                      tag: tag, needs: .can(.read, .analytics), query: ["event", "type", "from", "to", "format", "cursor", "limit"],
                      responseSchema: "EventPage",
                      queryValues: ["event": .text, "type": .oneOf(EventType.allCases.map(\.rawValue)), "from": .dayOrDateTime, "to": .dayOrDateTime,
                                    "format": .oneOf(["json", "ndjson", "csv"])])
        stream.alsoResponds = ["application/x-ndjson", "text/csv"]
        t.on(stream) { req, _, scope in
            let q = try Self.query(req)
            let limit = try APIPaging.limit(req, default: 100)   // checked for an export too, which reads every match
            switch req.query("format") {
            case nil, "json", "": return .json(try await events.stream(scope, q, cursor: req.query("cursor"), limit: limit))
            case let raw:
                guard let format = EventExport.Format(rawValue: raw ?? "") else { throw DomainError.field("format", .oneOf(["json", "ndjson", "csv"])) }
                _ = try scope.require(.analytics, .export)
                try EventStore.check(q)
                return .streamed(contentType: format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson", filename: "events." + format.rawValue,
                                 Self.exportBody(format, scope, q, events))
            }
        }
        t.on(APIRoute(method: .get, path: "/event-settings", operationID: "getEventSettings",
                      summary: "How long the workspace keeps events, and the customer fields events may overwrite", tag: tag,
                      needs: .can(.update, .settings), responseSchema: "EventSettings")) { _, _, scope in
            let s = try await events.settings(scope)
            return .json(EventJSON.settings(s), etag: s.version)
        }
        t.on(APIRoute(method: .put, path: "/event-settings", operationID: "updateEventSettings",
                      summary: "Set how long events are kept (null: for ever) and the fields events may overwrite (If-Match)", tag: tag,
                      needs: .can(.update, .settings), requestSchema: "EventSettingsInput", responseSchema: "EventSettings")) { req, _, scope in
            let i = try await APIBody.json(SettingsInput.self, req)
            let s = try await events.updateSettings(scope, retentionDays: i.retentionDays, overwrite: i.overwrite ?? [], ifVersion: try req.ifMatchVersion())
            return .json(EventJSON.settings(s), etag: s.version)
        }
        t.on(APIRoute(method: .get, path: "/event-sources", operationID: "listEventSources", summary: "The workspace's event sources with their counters",
                      tag: tag, needs: .can(.update, .settings), responseSchema: "EventSourceList")) { _, _, scope in
            .json(Items(items: try await events.sources(scope)))
        }
        t.on(APIRoute(method: .post, path: "/event-sources", operationID: "createEventSource",
                      summary: "Create an event source; its write key is answered this once", tag: tag, needs: .can(.update, .settings),
                      requestSchema: "EventSourceInput", responseSchema: "IssuedEventSource", status: 201, idempotent: true)) { req, _, scope in
            let i = try await APIBody.json(SourceInput.self, req)
            let s = try await events.createSource(scope, name: i.name, allowedOrigins: i.allowedOrigins ?? [])
            return .json(s, status: .created, etag: s.source.version)
        }
        t.on(APIRoute(method: .post, path: "/event-sources/{id}/rotate-key", operationID: "rotateEventSourceKey",
                      summary: "A new write key for the source; the old one stops working at once", tag: tag, needs: .can(.update, .settings),
                      responseSchema: "IssuedEventSource")) { _, ctx, scope in
            let s = try await events.rotateKey(scope, id: try ctx.parameters.require("id"))
            return .json(s, etag: s.source.version)
        }
        for (enable, name) in [(false, "disable"), (true, "enable")] {
            t.on(APIRoute(method: .post, path: "/event-sources/{id}/\(name)", operationID: name + "EventSource",
                          summary: enable ? "Accept the source's events again" : "Refuse the source's events (403) until it is enabled",
                          tag: tag, needs: .can(.update, .settings), responseSchema: "EventSource")) { _, ctx, scope in
                let s = try await events.setEnabled(scope, id: try ctx.parameters.require("id"), enable)
                return .json(s, etag: s.version)
            }
        }
        t.on(APIRoute(method: .get, path: "/customers/{id}/events", operationID: "listCustomerEvents",
                      summary: "The customer's behaviour events, newest first", tag: tag, needs: .can(.read, .customers),
                      query: ["cursor", "limit"], responseSchema: "EventPage")) { req, ctx, scope in
            .json(try await events.events(scope, customerID: try ctx.parameters.require("id"), cursor: req.query("cursor"),
                                          limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .delete, path: "/customers/{id}/events", operationID: "deleteCustomerEvents",
                      summary: "Delete the customer's events and behaviour profile on request, and refuse their ids' events from now on",
                      tag: tag, needs: .can(.delete, .customers), responseSchema: "EventDeletion", ifMatch: false)) { _, ctx, scope in
            .json(try await events.deleteEvents(scope, customerID: try ctx.parameters.require("id")))
        }
        t.on(APIRoute(method: .get, path: "/customers/{id}/event-links", operationID: "listCustomerEventLinks",
                      summary: "Why visitor ids belong to the customer, or were kept apart from it, newest first", tag: tag,
                      needs: .can(.read, .customers), responseSchema: "EventLinkList")) { _, ctx, scope in
            .json(Items(items: try await events.linkDecisions(scope, customerID: try ctx.parameters.require("id"))))
        }
    }
}

extension OpenAPIDocument {
    static func eventSchemas() -> [String: Any] {
        let ntime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let bool: [String: Any] = ["type": "boolean"]
        var s: [String: Any] = [:]
        s["EventSourceInput"] = obj(["name": ["type": "string", "minLength": 1, "maxLength": 100],
                                     "allowed_origins": ["type": "array", "maxItems": 50, "items": ["type": "string", "pattern": EventStore.originPattern,
                                                                            "description": "scheme://host[:port] of a page allowed to send, or *"]]],
                                    required: ["name"])
        s["EventSource"] = obj(["id": str, "name": str, "key_prefix": str, "allowed_origins": arr(str), "enabled": bool,
                                "received": int, "stored": int, "duplicates": int, "refused": int, "last_event_at": ntime, "created_at": time, "version": int],
                               required: ["id", "name", "key_prefix", "allowed_origins", "enabled", "received", "stored", "duplicates", "refused", "created_at", "version"])
        s["EventSourceList"] = obj(["items": arr(ref("EventSource"))], required: ["items"])
        s["IssuedEventSource"] = obj(["source": ref("EventSource"), "write_key": ["type": "string", "description": "shown only now"]],
                                     required: ["source", "write_key"])
        s["Event"] = obj(["type": enumOf(EventType.allCases.map(\.rawValue)), "event": nstr, "timestamp": time, "received_at": time,
                          "properties": ["type": "object"], "message_id": str, "anonymous_id": nstr, "user_id": nstr, "source_id": str,
                          "customer_id": nstr],
                         required: ["type", "event", "timestamp", "properties", "message_id", "source_id"])
        s["EventPage"] = obj(["items": arr(ref("Event")), "next_cursor": nstr], required: ["items"])
        s["EventLink"] = obj(["id": str, "customer_id": nstr, "other_customer_id": nstr,
                              "reason": enumOf(IdentityLink.Reason.allCases.map(\.rawValue)), "anonymous_id": nstr, "user_id": nstr,
                              "linked": arr(str), "decided_at": time], required: ["id", "reason", "linked", "decided_at"])
        s["EventLinkList"] = obj(["items": arr(ref("EventLink"))], required: ["items"])
        s["EventSettings"] = obj(["retention_days": ["type": ["integer", "null"], "minimum": 1, "maximum": 3650],
                                  "overwrite": arr(enumOf(TraitMerge.Field.allCases.map(\.rawValue))), "version": int],
                                 required: ["retention_days", "overwrite", "version"])
        s["EventSettingsInput"] = obj(["retention_days": ["type": ["integer", "null"], "minimum": 1, "maximum": 3650],
                                       "overwrite": ["type": "array", "items": enumOf(TraitMerge.Field.allCases.map(\.rawValue))]])
        s["EventDeletion"] = obj(["deleted_events": int, "refused_ids": int], required: ["deleted_events", "refused_ids"])
        s["CustomerProfile"] = customerProfile
        return s
    }

    /// A customer's behaviour profile (`profile` on the customer's answer): computed from their
    /// events as they arrive, and what identify traits did to the customer's fields.
    static var customerProfile: [String: Any] {
        let int: [String: Any] = ["type": "integer", "minimum": 0], ntime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let nstr: [String: Any] = ["type": ["string", "null"]], strs: [String: Any] = ["type": "array", "items": ["type": "string"]]
        let field = obj(["field": enumOf(TraitMerge.Field.allCases.map(\.rawValue)), "value": ["type": "string"],
                         "action": enumOf(TraitMerge.Action.allCases.map(\.rawValue)), "source_id": ["type": "string"],
                         "decided_at": ["type": "string", "format": "date-time"]], required: ["field", "value", "action", "source_id", "decided_at"])
        return obj(["first_seen": ntime, "last_seen": ntime, "sessions": int, "events": int, "page_views": int, "page_views_7d": int,
                    "page_views_30d": int, "products_viewed": strs, "categories_viewed": strs, "cart_value": ["type": ["number", "null"]],
                    "last_channel": nstr, "device": nstr, "traits": ["type": "object"], "fields": ["type": "array", "items": field]],
                   required: ["first_seen", "last_seen", "sessions", "events", "page_views", "page_views_7d", "page_views_30d",
                              "products_viewed", "categories_viewed", "cart_value", "last_channel", "device", "traits"])
    }
}

/// The events capability's values as the API writes them.
enum EventJSON {
    static func settings(_ s: EventSettings) -> JSONValue {
        .object(["retention_days": s.retentionDays.map { .number(Double($0)) } ?? .null,
                 "overwrite": .array(s.overwrite.map(\.rawValue).sorted().map(JSONValue.string)), "version": .number(Double(s.version))])
    }

    /// A customer's profile; the field decisions (emails, phones, birthdays) only for a scope that reads personal data.
    static func profile(_ b: CustomerBehaviour, scope: Scope, now: Date) -> JSONValue {
        let p = b.profile
        func time(_ d: Date?) -> JSONValue { d.map { .string(Timestamp.iso8601($0)) } ?? .null }
        func int(_ n: Int) -> JSONValue { .number(Double(n)) }
        var o: [String: JSONValue] = [
            "first_seen": time(p.firstSeen), "last_seen": time(p.lastSeen), "sessions": int(p.sessions), "events": int(p.events),
            "page_views": int(p.pageViews), "page_views_7d": int(p.pageViews(days: 7, now: now)), "page_views_30d": int(p.pageViews(days: 30, now: now)),
            "products_viewed": .array(p.products.map(JSONValue.string)), "categories_viewed": .array(p.categories.map(JSONValue.string)),
            "cart_value": p.cartValue.map(JSONValue.number) ?? .null, "last_channel": p.lastChannel.map(JSONValue.string) ?? .null,
            "device": p.device.map(JSONValue.string) ?? .null, "traits": .object(p.traits),
        ]
        if scope.level(.personalData, .read) != nil {
            o["fields"] = .array(b.fields.map { f in
                .object(["field": .string(f.field), "value": .string(f.value), "action": .string(f.action), "source_id": .string(f.sourceID),
                         "decided_at": .string(Timestamp.iso8601(f.decidedAt))])
            })
        }
        return .object(o)
    }
}
