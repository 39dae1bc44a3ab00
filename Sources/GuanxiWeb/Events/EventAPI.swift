import Foundation
import Hummingbird
import HTTPTypes
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

    func register(_ t: RouteTable) {
        let tag = "Events"
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
                                "received": int, "stored": int, "duplicates": int, "last_event_at": ntime, "created_at": time, "version": int],
                               required: ["id", "name", "key_prefix", "allowed_origins", "enabled", "received", "stored", "duplicates", "created_at", "version"])
        s["EventSourceList"] = obj(["items": arr(ref("EventSource"))], required: ["items"])
        s["IssuedEventSource"] = obj(["source": ref("EventSource"), "write_key": ["type": "string", "description": "shown only now"]],
                                     required: ["source", "write_key"])
        s["Event"] = obj(["type": enumOf(EventType.allCases.map(\.rawValue)), "event": nstr, "timestamp": time, "received_at": time,
                          "properties": ["type": "object"], "message_id": str, "anonymous_id": nstr, "user_id": nstr, "source_id": str],
                         required: ["type", "event", "timestamp", "properties", "message_id", "source_id"])
        s["EventPage"] = obj(["items": arr(ref("Event")), "next_cursor": nstr], required: ["items"])
        s["EventLink"] = obj(["id": str, "customer_id": nstr, "other_customer_id": nstr,
                              "reason": enumOf(IdentityLink.Reason.allCases.map(\.rawValue)), "anonymous_id": nstr, "user_id": nstr,
                              "linked": arr(str), "decided_at": time], required: ["id", "reason", "linked", "decided_at"])
        s["EventLinkList"] = obj(["items": arr(ref("EventLink"))], required: ["items"])
        return s
    }
}
