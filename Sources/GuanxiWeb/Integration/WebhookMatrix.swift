import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// How the authorisation matrix calls the webhook operations (see `MatrixSample`): workspace
/// settings, so owners and administrators only.
enum WebhookMatrix {
    static let samples: [String: MatrixSample] = [
        "createWebhook": MatrixSample("/api/v1/webhooks",
                                      body: #"{"url":"http://127.0.0.1:9/hooks/{n}","events":["order.paid","customer.*"],"description":"ERP 对接 {n} 🚚"}"#),
        "listWebhooks": MatrixSample("/api/v1/webhooks"),
        "listWebhookEventTypes": MatrixSample("/api/v1/webhook-event-types"),
        "getWebhook": MatrixSample("/api/v1/webhooks/{webhook}"),
        "updateWebhook": MatrixSample("/api/v1/webhooks/{webhook}", body: #"{"description":"仓库 {n}","events":["order.*"]}"#),
        "deleteWebhook": MatrixSample("/api/v1/webhooks/{webhook}"),
        "getWebhookSecret": MatrixSample("/api/v1/webhooks/{webhook}/secret"),
        "rotateWebhookSecret": MatrixSample("/api/v1/webhooks/{webhook}/rotate-secret"),
        "listWebhookDeliveries": MatrixSample("/api/v1/webhooks/{webhook}/deliveries?state=delivered"),
        "getWebhookDelivery": MatrixSample("/api/v1/webhooks/{webhook}/deliveries/{delivery}"),
        "replayWebhookDelivery": MatrixSample("/api/v1/webhooks/{webhook}/deliveries/{delivery}/replay"),
        "replayDeadWebhookDeliveries": MatrixSample("/api/v1/webhooks/{webhook}/replay-dead"),
    ]

    /// Answers every request with 204 (the fixture's endpoint is never contacted).
    struct Acknowledging: WebhookTransport {
        func post(_ request: WebhookRequest) async -> WebhookAnswer { WebhookAnswer(status: 204) }
    }

    /// An endpoint of the case's workspace for customer updates, and (when asked) one delivered delivery.
    static let fixture: MatrixFixture = { s in
        guard s.wants("webhook") || s.wants("delivery") else { return [:] }
        let store = WebhookStore(db: s.services.db, clock: s.services.clock)
        let (hook, _) = try await store.create(s.admin, WebhookDraft(url: "http://127.0.0.1:9/matrix/\(s.n)", events: ["customer.updated"]))
        var out = ["webhook": hook.id]
        if s.wants("delivery") {
            var d = CustomerDraft(); d.title = "采购经理 \(s.n)"
            _ = try await s.services.customers.update(s.admin, id: s.values["customer"]!, d, ifVersion: nil)
            let sender = WebhookDispatcher(db: s.services.db, clock: s.services.clock, transport: Acknowledging())
            try await sender.runOnce()
            out["delivery"] = try await store.deliveries(s.admin, subscriptionID: hook.id, state: nil, cursor: nil).items.first?.id
        }
        return out
    }
}
