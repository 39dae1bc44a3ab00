/// Outgoing webhooks: a workspace's endpoints (`webhook_subscriptions`: address, event types,
/// filters, secret and the one before the last rotation with its expiry, health), the events
/// written in the transaction of the change they report (`webhook_events`: the JSON body as sent),
/// one delivery per event and endpoint (`webhook_deliveries`: state, attempts, when next, the last
/// answer; `seq` orders a record's events) and every attempt made (`webhook_attempts`: the signed
/// headers sent, the answer's status, an excerpt of its body and how long it took).
package enum M014_Webhooks {
    package static let migration = Migration(version: 14, name: "webhooks") { dialect in
        let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE webhook_subscriptions (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), url TEXT NOT NULL, description TEXT,
              events_json TEXT NOT NULL, filters_json TEXT NOT NULL, enabled BIGINT NOT NULL, disabled_reason TEXT,
              secret TEXT NOT NULL, previous_secret TEXT, previous_secret_until BIGINT, failing_since BIGINT, last_success_at BIGINT,
              created_by TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL)
            """,
            "CREATE INDEX webhook_subscriptions_workspace ON webhook_subscriptions (workspace_id, created_at)",
            """
            CREATE TABLE webhook_events (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, type TEXT NOT NULL, record_id TEXT NOT NULL, body TEXT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE webhook_deliveries (
              seq \(serial), id TEXT NOT NULL UNIQUE, workspace_id TEXT NOT NULL, subscription_id TEXT NOT NULL, event_id TEXT NOT NULL,
              event_type TEXT NOT NULL, record_id TEXT NOT NULL, state TEXT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0, next_at BIGINT,
              first_attempt_at BIGINT, last_attempt_at BIGINT, last_status BIGINT, last_error TEXT, last_duration_ms BIGINT,
              delivered_at BIGINT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state IN ('pending', 'delivering')",
            "CREATE INDEX webhook_deliveries_open ON webhook_deliveries (record_id, subscription_id, seq) WHERE state IN ('pending', 'delivering')",
            "CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (subscription_id, state, seq)",
            """
            CREATE TABLE webhook_attempts (
              id TEXT PRIMARY KEY, delivery_id TEXT NOT NULL, workspace_id TEXT NOT NULL, subscription_id TEXT NOT NULL,
              attempted_at BIGINT NOT NULL, duration_ms BIGINT NOT NULL, status BIGINT, error TEXT, request_headers TEXT NOT NULL,
              response_body TEXT)
            """,
            "CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at)",
        ]
    }
}
