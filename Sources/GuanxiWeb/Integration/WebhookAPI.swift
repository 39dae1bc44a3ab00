import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1/webhooks`: a workspace's signed outgoing webhooks (owners and administrators: workspace
/// settings), their delivery log, replay of one delivery or of every parked one, and secret rotation.
struct WebhookAPI {
    let webhooks: WebhookStore

    /// What a create sends: `{"url", "events", "secret"?, "filters"?, "description"?, "enabled"?}`.
    struct Input: Decodable {
        var url: String; var events: [String]; var secret: String?; var filters: [String: [String]]?; var description: String?; var enabled: Bool?
        var draft: WebhookDraft {
            WebhookDraft(url: url, events: events, filters: filters ?? [:], description: .some(description), enabled: enabled, secret: secret)
        }
    }
    /// What a change sends: absent leaves a field as it is, a null description clears it.
    struct Patch: Decodable {
        var draft = WebhookDraft()
        enum CodingKeys: String, CodingKey { case url, events, filters, description, enabled, secret }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            draft.url = try c.decodeIfPresent(String.self, forKey: .url)
            draft.events = try c.decodeIfPresent([String].self, forKey: .events)
            draft.filters = try c.decodeIfPresent([String: [String]].self, forKey: .filters)
            if c.contains(.description) { draft.description = .some(try c.decodeIfPresent(String.self, forKey: .description)) }
            draft.enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
            draft.secret = try c.decodeIfPresent(String.self, forKey: .secret)
        }
    }

    /// An endpoint as the API writes it; `secret` only where one is handed out (create, rotation).
    struct View: Encodable, Sendable {
        var id: String; var url: String; var description: String?; var events: [String]; var filters: [String: [String]]; var enabled: Bool
        var disabledReason: String?; var failingSince: Date?; var lastSuccessAt: Date?; var previousSecretExpiresAt: Date?
        var createdAt: Date; var updatedAt: Date; var version: Int; var secret: String?
        enum CodingKeys: String, CodingKey {
            case id, url, description, events, filters, enabled, version, secret
            case disabledReason = "disabled_reason", failingSince = "failing_since", lastSuccessAt = "last_success_at"
            case previousSecretExpiresAt = "previous_secret_expires_at", createdAt = "created_at", updatedAt = "updated_at"
        }
        init(_ s: WebhookSubscription, secret: String? = nil) {
            id = s.id; url = s.url; description = s.description; events = s.events; filters = s.filters; enabled = s.enabled
            disabledReason = s.disabledReason; failingSince = s.failingSince; lastSuccessAt = s.lastSuccessAt
            previousSecretExpiresAt = s.previousSecretExpiresAt; createdAt = s.createdAt; updatedAt = s.updatedAt; version = s.version
            self.secret = secret
        }
    }
    struct Secrets: Encodable, Sendable {
        var secret: String; var previousSecret: String?; var previousSecretExpiresAt: Date?
        enum CodingKeys: String, CodingKey { case secret, previousSecret = "previous_secret", previousSecretExpiresAt = "previous_secret_expires_at" }
    }
    struct Replayed: Encodable, Sendable { var replayed: Int }
    struct EventTypes: Encodable, Sendable { var items: [String] }

    func register(_ t: RouteTable) {
        let tag = "Webhooks"
        t.on(APIRoute(method: .post, path: "/webhooks", operationID: "createWebhook",
                      summary: "Add an endpoint for event types (`order.paid`, `order.*`, `*`), optionally filtered; answers its id and the signing secret",
                      tag: tag, needs: .can(.create, .settings), requestSchema: "WebhookInput", responseSchema: "Webhook", status: 201,
                      idempotent: true),
             replay: Replay.readBack { scope, id in _ = try await webhooks.get(scope, id: id) }) { req, _, scope in
            let (s, secret) = try await webhooks.create(scope, try await APIBody.json(Input.self, req).draft)
            return .json(View(s, secret: secret), status: .created, etag: s.version)
        }
        t.on(APIRoute(method: .get, path: "/webhooks", operationID: "listWebhooks", summary: "The workspace's webhook endpoints", tag: tag,
                      needs: .can(.read, .settings), responseSchema: "WebhookList")) { _, _, scope in
            .json(Items(items: try await webhooks.list(scope).map { View($0) }))
        }
        t.on(APIRoute(method: .get, path: "/webhook-event-types", operationID: "listWebhookEventTypes",
                      summary: "The event types an endpoint can subscribe to", tag: tag, needs: .can(.read, .settings),
                      responseSchema: "WebhookEventTypeList")) { _, _, _ in
            .json(EventTypes(items: WebhookEventType.allCases.map(\.rawValue)))
        }
        t.on(APIRoute(method: .get, path: "/webhooks/{id}", operationID: "getWebhook", summary: "Read an endpoint (without its secret)", tag: tag,
                      needs: .can(.read, .settings), responseSchema: "Webhook")) { _, ctx, scope in
            let s = try await webhooks.get(scope, id: try ctx.parameters.require("id"))
            return .json(View(s), etag: s.version)
        }
        t.on(APIRoute(method: .patch, path: "/webhooks/{id}", operationID: "updateWebhook",
                      summary: "Change address, event types, filters, description or enabled (If-Match); enabling again sends what waited",
                      tag: tag, needs: .can(.update, .settings), requestSchema: "WebhookPatch", responseSchema: "Webhook")) { req, ctx, scope in
            let s = try await webhooks.update(scope, id: try ctx.parameters.require("id"), try await APIBody.json(Patch.self, req).draft,
                                              ifVersion: try req.ifMatchVersion())
            return .json(View(s), etag: s.version)
        }
        t.on(APIRoute(method: .delete, path: "/webhooks/{id}", operationID: "deleteWebhook",
                      summary: "Remove an endpoint with its deliveries and their log (If-Match)", tag: tag, needs: .can(.delete, .settings),
                      status: 204)) { req, ctx, scope in
            try await webhooks.delete(scope, id: try ctx.parameters.require("id"), ifVersion: try req.ifMatchVersion())
            return .noContent
        }
        t.on(APIRoute(method: .get, path: "/webhooks/{id}/secret", operationID: "getWebhookSecret",
                      summary: "The secrets that sign deliveries now (the previous one while a rotation's grace lasts)", tag: tag,
                      needs: .can(.update, .settings), responseSchema: "WebhookSecret")) { _, ctx, scope in
            let s = try await webhooks.secrets(scope, id: try ctx.parameters.require("id"))
            return .json(Secrets(secret: s.current, previousSecret: s.previous, previousSecretExpiresAt: s.previousExpiresAt))
        }
        t.on(APIRoute(method: .post, path: "/webhooks/{id}/rotate-secret", operationID: "rotateWebhookSecret",
                      summary: "A new signing secret; the old one keeps signing for 24 hours, each delivery carrying both signatures", tag: tag,
                      needs: .can(.update, .settings), responseSchema: "Webhook")) { _, ctx, scope in
            let (s, secret, _) = try await webhooks.rotateSecret(scope, id: try ctx.parameters.require("id"))
            return .json(View(s, secret: secret), etag: s.version)
        }
        t.on(APIRoute(method: .get, path: "/webhooks/{id}/deliveries", operationID: "listWebhookDeliveries",
                      summary: "The endpoint's deliveries, newest first; state=dead is the dead-letter list", tag: tag,
                      needs: .can(.read, .settings), query: ["state", "cursor", "limit"], responseSchema: "WebhookDeliveryPage", queryValues: ["state": .cases(WebhookDeliveryState.self)])) { req, ctx, scope in
            .json(try await webhooks.deliveries(scope, subscriptionID: try ctx.parameters.require("id"), state: req.query("state"),
                                                cursor: req.query("cursor"), limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .get, path: "/webhooks/{id}/deliveries/{delivery_id}", operationID: "getWebhookDelivery",
                      summary: "One delivery: the body it sends and every attempt (headers sent, answer status, body excerpt, time taken)", tag: tag,
                      needs: .can(.read, .settings), responseSchema: "WebhookDeliveryDetail")) { _, ctx, scope in
            .json(try await webhooks.delivery(scope, subscriptionID: try ctx.parameters.require("id"), id: try ctx.parameters.require("delivery_id")))
        }
        t.on(APIRoute(method: .post, path: "/webhooks/{id}/deliveries/{delivery_id}/replay", operationID: "replayWebhookDelivery",
                      summary: "Send a delivered or parked delivery again, now", tag: tag, needs: .can(.update, .settings),
                      responseSchema: "WebhookDelivery")) { _, ctx, scope in
            .json(try await webhooks.replay(scope, subscriptionID: try ctx.parameters.require("id"), deliveryID: try ctx.parameters.require("delivery_id")))
        }
        t.on(APIRoute(method: .post, path: "/webhooks/{id}/replay-dead", operationID: "replayDeadWebhookDeliveries",
                      summary: "Send every parked delivery of the endpoint again; answers how many", tag: tag, needs: .can(.update, .settings),
                      responseSchema: "WebhookReplayCount")) { _, ctx, scope in
            .json(Replayed(replayed: try await webhooks.replayDead(scope, subscriptionID: try ctx.parameters.require("id"))))
        }
    }
}

extension OpenAPIDocument {
    /// Endpoints, deliveries and attempts of outgoing webhooks.
    static func integrationSchemas() -> [String: Any] {
        let ntime: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
        let nint: [String: Any] = ["type": ["integer", "null"]]
        let bool: [String: Any] = ["type": "boolean"]
        let filters: [String: Any] = ["type": "object", "additionalProperties": arr(str),
                                      "description": "data field path → allowed values (all fields must match)"]
        var events: [String: Any] = arr(["type": "string", "description": "an event type, record.* or *"])
        events["minItems"] = 1
        var s: [String: Any] = [:]
        s["WebhookInput"] = obj(["url": ["type": "string", "format": "uri"], "events": events, "secret": ["type": "string", "pattern": "^(whsec_)?[A-Za-z0-9+/=]+$"],
                                 "filters": filters, "description": nstr, "enabled": bool], required: ["url", "events"])
        s["WebhookPatch"] = obj(["url": ["type": "string", "format": "uri"], "events": events, "filters": filters, "description": nstr, "enabled": bool])
        s["Webhook"] = obj(["id": str, "url": str, "description": nstr, "events": arr(str), "filters": filters, "enabled": bool,
                            "disabled_reason": nstr, "failing_since": ntime, "last_success_at": ntime, "previous_secret_expires_at": ntime,
                            "created_at": time, "updated_at": time, "version": int,
                            "secret": ["type": "string", "description": "only when created or rotated"]],
                           required: ["id", "url", "events", "enabled", "version"])
        s["WebhookList"] = obj(["items": arr(ref("Webhook"))])
        s["WebhookSecret"] = obj(["secret": str, "previous_secret": nstr, "previous_secret_expires_at": ntime], required: ["secret"])
        s["WebhookEventTypeList"] = obj(["items": arr(enumOf(WebhookEventType.allCases.map(\.rawValue)))])
        s["WebhookDelivery"] = obj(["id": str, "subscription_id": str, "event_id": str, "event_type": str, "record_id": str,
                                    "state": enumOf(WebhookDeliveryState.allCases.map(\.rawValue)), "attempts": int, "next_at": ntime,
                                    "last_status": nint, "last_error": nstr, "last_duration_ms": nint, "delivered_at": ntime, "created_at": time],
                                   required: ["id", "event_id", "event_type", "state", "attempts"])
        s["WebhookDeliveryPage"] = obj(["items": arr(ref("WebhookDelivery")), "next_cursor": nstr])
        s["WebhookAttempt"] = obj(["attempted_at": time, "duration_ms": int, "status": nint, "error": nstr,
                                   "request_headers": ["type": "object", "additionalProperties": str], "response_body": nstr])
        s["WebhookDeliveryDetail"] = obj(["delivery": ref("WebhookDelivery"),
                                          "body": obj(["id": str, "type": str, "timestamp": time, "data": ["type": "object"], "changes": ["type": "object"]]),
                                          "attempt_log": arr(ref("WebhookAttempt"))])
        s["WebhookReplayCount"] = obj(["replayed": int], required: ["replayed"])
        return s
    }
}
