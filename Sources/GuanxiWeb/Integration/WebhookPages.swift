import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The webhook pages' addresses (see `PageAddress`): the endpoints with the form to add one, an
/// endpoint with its settings, actions and delivery log, and one delivery with every attempt.
package enum WebhookURL: PageAddress, Equatable {
    case webhooks, newWebhook, webhook(String), webhookAction(String, String), delivery(String, String), replay(String, String)

    package var path: String {
        switch self {
        case .webhooks: "/webhooks"
        case .newWebhook: "/webhooks/new"
        case .webhook(let id): "/webhooks/\(id)"
        case .webhookAction(let id, let action): "/webhooks/\(id)/\(action)"
        case .delivery(let id, let d): "/webhooks/\(id)/deliveries/\(d)"
        case .replay(let id, let d): "/webhooks/\(id)/deliveries/\(d)/replay"
        }
    }
}

/// Webhook settings for owners and administrators: endpoints, their signing secrets (shown once),
/// the delivery log with request, answer and timing, and replay. Errors re-show the form with what
/// was typed.
struct WebhookPages {
    let pages: Pages
    let webhooks: WebhookStore
    static let pageSize = 50

    var routes: [PageRoute] {
        [
            .get(WebhookURL.webhooks, needs: .can(.read, .settings)) { p, scope in try await list(p.page, scope) },
            .post(WebhookURL.newWebhook, needs: .can(.create, .settings)) { p, scope in
                let f = p.form
                do {
                    let (s, secret) = try await webhooks.create(scope, WebhookDraft(url: f["url"] ?? "", events: Self.events(f), filters: [:],
                                                                                    description: .some(f["description"]), enabled: true))
                    return try await endpoint(p.page, scope, s.id, secret: secret, rotated: false)
                } catch let e as DomainError {
                    return try await list(p.page, scope, typed: f, error: e)
                }
            },
            .get(WebhookURL.webhook(":id"), needs: .can(.read, .settings)) { p, scope in
                try await endpoint(p.page, scope, p.parameter("id"), state: p.query("state"), cursor: p.query("cursor"))
            },
            .post(WebhookURL.webhookAction(":id", ":action"), needs: .can(.update, .settings)) { p, scope in
                let id = p.parameter("id"), f = p.form
                let version = f["version"].flatMap { Int($0) }
                do {
                    switch p.parameter("action") {
                    case "save":
                        _ = try await webhooks.update(scope, id: id, WebhookDraft(url: f["url"] ?? "", events: Self.events(f),
                                                                                 description: .some(f["description"])), ifVersion: version)
                    case "enable", "disable":
                        _ = try await webhooks.update(scope, id: id, WebhookDraft(enabled: p.parameter("action") == "enable"), ifVersion: version)
                    case "rotate":
                        let (_, secret, _) = try await webhooks.rotateSecret(scope, id: id)
                        return try await endpoint(p.page, scope, id, secret: secret, rotated: true)
                    case "replay_dead":
                        _ = try await webhooks.replayDead(scope, subscriptionID: id)
                    case "delete":
                        try await webhooks.delete(scope, id: id, ifVersion: version)
                        return Pages.redirect(WebhookURL.webhooks.path)
                    default: throw DomainError.notFound("page")
                    }
                    return Pages.redirect(WebhookURL.webhook(id).path)
                } catch let e as DomainError where e != .notFound("webhook") && e != .notFound("page") {
                    return try await endpoint(p.page, scope, id, typed: p.parameter("action") == "save" ? f : [:], error: e)
                }
            },
            .get(WebhookURL.delivery(":id", ":delivery"), needs: .can(.read, .settings)) { p, scope in
                try await delivery(p.page, scope, p.parameter("id"), p.parameter("delivery"))
            },
            .post(WebhookURL.replay(":id", ":delivery"), needs: .can(.update, .settings)) { p, scope in
                let id = p.parameter("id"), d = p.parameter("delivery")
                do {
                    _ = try await webhooks.replay(scope, subscriptionID: id, deliveryID: d)
                    return Pages.redirect(WebhookURL.delivery(id, d).path)
                } catch let e as DomainError where e != .notFound("webhook") && e != .notFound("webhook_delivery") {
                    return try await delivery(p.page, scope, id, d, error: e)
                }
            },
        ]
    }

    /// The event types ticked in a form (`event:order.paid` = 1).
    static func events(_ f: [String: String]) -> [String] {
        f.keys.filter { $0.hasPrefix("event:") && f[$0] == "1" }.map { String($0.dropFirst(6)) }.sorted()
    }

    /// Checkboxes for every event, every record kind's events (`order.*`) and each event type,
    /// ticked as `selected` says.
    static func eventBoxes(_ selected: [String], _ v: PageContext) -> [[String: Any]] {
        var records: [String] = []
        for t in WebhookEventType.allCases where !records.contains(String(t.record)) { records.append(String(t.record)) }
        let values = ["*"] + records.map { $0 + ".*" } + WebhookEventType.allCases.map(\.rawValue)
        return values.map { value in
            ["value": value, "label": value == "*" ? v.text("webhook_all_events") : value, "checked": selected.contains(value)]
        }
    }

    static func stateWord(_ s: WebhookSubscription, _ t: (String) -> String) -> String { t(s.enabled ? "webhook_enabled" : "webhook_disabled") }

    func list(_ v: PageContext, _ scope: Scope, typed: [String: String] = [:], error: DomainError? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let f = try await pages.formatter(v, scope)
        let all = try await webhooks.list(scope)
        let errors = error.map(Pages.fieldErrors) ?? [:]
        let rows: [[String: Any]] = all.map { s in
            Pages.model(["href": WebhookURL.webhook(s.id).path, "url": s.url, "description": s.description, "events": s.events.joined(separator: ", "),
                         "enabled": s.enabled, "state": Self.stateWord(s, t), "reason": s.disabledReason.map { v.localize(DomainMessage($0)) },
                         "lastSuccess": s.lastSuccessAt.map { f.string(from: $0) } ?? "—"])
        }
        let model = Pages.model([
            "rows": rows, "hasRows": !rows.isEmpty, "csrf": v.csrf, "url": typed["url"] ?? "", "description": typed["description"] ?? "",
            "events": Self.eventBoxes(typed.isEmpty ? [] : Self.events(typed), v),
            "urlError": errors["url"].map { v.localize($0) }, "eventsError": errors["events"].map { v.localize($0) },
        ])
        return pages.page("webhooks", model, title: t("webhooks"), visit: v, flash: error.map { ("bad", v.message($0)) },
                          status: error.map(Pages.status) ?? .ok)
    }

    func endpoint(_ v: PageContext, _ scope: Scope, _ id: String, secret: String? = nil, rotated: Bool = false, state: String? = nil,
                  cursor: String? = nil, typed: [String: String] = [:], error: DomainError? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let f = try await pages.formatter(v, scope)
        let s = try await webhooks.get(scope, id: id)
        let shown = state.flatMap(WebhookDeliveryState.init(rawValue:))
        let log = try await webhooks.deliveries(scope, subscriptionID: s.id, state: shown?.rawValue, cursor: cursor, limit: Self.pageSize)
        let errors = error.map(Pages.fieldErrors) ?? [:]
        let base = WebhookURL.webhook(s.id).path
        let deliveries: [[String: Any]] = log.items.map { d in
            Pages.model(["href": WebhookURL.delivery(s.id, d.id).path, "created": f.string(from: d.createdAt), "event": d.eventType,
                         "record": d.recordID, "stateKey": d.state.rawValue, "state": t("webhook_state_" + d.state.rawValue), "attempts": String(d.attempts),
                         "status": d.lastStatus.map(String.init) ?? "—", "error": d.lastError,
                         "duration": d.lastDurationMs.map(String.init) ?? "—", "next": d.nextAt.map { f.string(from: $0) } ?? "—"])
        }
        let tabs: [[String: Any]] = [(nil, "all"), (WebhookDeliveryState.dead, "webhook_dead_letters")].map { st, label in
            ["href": base + (st.map { "?state=" + $0.rawValue } ?? ""), "label": t(label), "current": st == shown]
        }
        let model = Pages.model([
            "base": base, "csrf": v.csrf, "version": String(s.version), "url": typed["url"] ?? s.url,
            "description": typed["description"] ?? s.description ?? "", "enabled": s.enabled, "state": Self.stateWord(s, t),
            "reason": s.disabledReason.map { v.localize(DomainMessage($0)) }, "failingSince": s.failingSince.map { f.string(from: $0) },
            "lastSuccess": s.lastSuccessAt.map { f.string(from: $0) } ?? "—", "secret": secret, "rotated": rotated,
            "events": Self.eventBoxes(typed.isEmpty ? s.events : Self.events(typed), v),
            "urlError": errors["url"].map { v.localize($0) }, "eventsError": errors["events"].map { v.localize($0) },
            "tabs": tabs, "deliveries": deliveries, "hasDeliveries": !deliveries.isEmpty,
            "nextHref": log.nextCursor.map { base + "?" + (shown.map { "state=" + $0.rawValue + "&" } ?? "") + "cursor=" + $0 },
        ])
        return pages.page("webhook", model, title: s.url, visit: v, flash: error.map { ("bad", v.message($0)) },
                          status: error.map(Pages.status) ?? .ok)
    }

    func delivery(_ v: PageContext, _ scope: Scope, _ id: String, _ deliveryID: String, error: DomainError? = nil) async throws -> Response {
        let t = { (k: String) in v.text(k) }
        let f = try await pages.formatter(v, scope)
        let detail = try await webhooks.delivery(scope, subscriptionID: id, id: deliveryID)
        let d = detail.delivery
        let pretty = { (value: JSONValue) -> String in
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return (try? String(decoding: e.encode(value), as: UTF8.self)) ?? ""
        }
        let log: [[String: Any]] = detail.attemptLog.map { a in
            Pages.model(["at": f.string(from: a.attemptedAt), "status": a.status.map(String.init) ?? "—", "duration": String(a.durationMs),
                         "headers": a.requestHeaders.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"),
                         "error": a.error, "response": a.responseBody])
        }
        let model = Pages.model([
            "base": WebhookURL.webhook(d.subscriptionID).path, "csrf": v.csrf, "id": d.id, "event": d.eventType, "record": d.recordID,
            "state": t("webhook_state_" + d.state.rawValue), "created": f.string(from: d.createdAt), "attempts": String(d.attempts),
            "next": d.nextAt.map { f.string(from: $0) }, "replayable": d.state == .delivered || d.state == .dead,
            "body": pretty(detail.body), "log": log,
        ])
        return pages.page("webhook_delivery", model, title: t("webhook_delivery"), visit: v, flash: error.map { ("bad", v.message($0)) },
                          status: error.map(Pages.status) ?? .ok)
    }
}
