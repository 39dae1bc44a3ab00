/// Behaviour events: a workspace's sources (`event_sources`: a name, the write key kept as its
/// hash like an API token, the browser origins it may be sent from, enabled, counters), the events
/// themselves (`events`: one row per source and client message id, so a retried event is stored
/// once), the visitor ids known to belong to a customer (`event_identities`) and every link
/// decision with its reason (`event_link_decisions`), so a profile can say why events are its own.
package enum M025_Events {
    package static let migration = Migration(version: 25, name: "events") { dialect in
        let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE event_sources (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), name TEXT NOT NULL,
              key_hash TEXT NOT NULL UNIQUE, key_prefix TEXT NOT NULL, allowed_origins_json TEXT NOT NULL, enabled BIGINT NOT NULL,
              received_count BIGINT NOT NULL DEFAULT 0, stored_count BIGINT NOT NULL DEFAULT 0, duplicate_count BIGINT NOT NULL DEFAULT 0,
              last_event_at BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL)
            """,
            "CREATE INDEX event_sources_workspace ON event_sources (workspace_id, created_at, id)",
            """
            CREATE TABLE events (
              seq \(serial), workspace_id TEXT NOT NULL, source_id TEXT NOT NULL, message_id TEXT NOT NULL, type TEXT NOT NULL,
              event TEXT, anonymous_id TEXT, user_id TEXT, customer_id TEXT, occurred_at BIGINT NOT NULL, received_at BIGINT NOT NULL,
              properties_json TEXT NOT NULL, context_json TEXT,
              UNIQUE (source_id, message_id))
            """,
            "CREATE INDEX events_customer ON events (workspace_id, customer_id, occurred_at, seq) WHERE customer_id IS NOT NULL",
            "CREATE INDEX events_anonymous ON events (workspace_id, anonymous_id) WHERE customer_id IS NULL",
            "CREATE INDEX events_user ON events (workspace_id, user_id) WHERE customer_id IS NULL",
            """
            CREATE TABLE event_identities (
              workspace_id TEXT NOT NULL, value TEXT NOT NULL, kind TEXT NOT NULL, customer_id TEXT NOT NULL, created_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, value))
            """,
            "CREATE INDEX event_identities_customer ON event_identities (customer_id)",
            """
            CREATE TABLE event_link_decisions (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, customer_id TEXT, other_customer_id TEXT, reason TEXT NOT NULL,
              anonymous_id TEXT, user_id TEXT, linked_json TEXT NOT NULL, source_id TEXT NOT NULL, message_id TEXT NOT NULL,
              decided_at BIGINT NOT NULL)
            """,
            "CREATE INDEX event_link_decisions_customer ON event_link_decisions (workspace_id, customer_id, decided_at)",
            "CREATE INDEX event_link_decisions_other ON event_link_decisions (workspace_id, other_customer_id, decided_at)",
        ]
    }
}
