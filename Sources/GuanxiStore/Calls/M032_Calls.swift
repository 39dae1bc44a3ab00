/// The call centre: each workspace's telephony settings (the webhook's address key and signing
/// secrets, the dial address for click-to-call, the missed-call rule), agents' extensions, calls,
/// the webhook messages already taken (replays are refused by id), and the screen-pop feed that
/// every server reads after a bell (so an agent connected to another server sees the call ring).
package enum M032_Calls {
    package static let migration = Migration(version: 32, name: "calls") { dialect in
        let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE telephony_settings (
              workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id), hook_key TEXT NOT NULL UNIQUE, secret TEXT NOT NULL,
              previous_secret TEXT, previous_secret_until BIGINT, dial_url TEXT, missed_rule TEXT NOT NULL, missed_assignee TEXT NOT NULL,
              callback_sla_minutes INTEGER NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE call_agents (
              workspace_id TEXT NOT NULL, user_id TEXT NOT NULL, extension TEXT NOT NULL,
              PRIMARY KEY (workspace_id, user_id), UNIQUE (workspace_id, extension))
            """,
            """
            CREATE TABLE calls (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), provider_call_id TEXT NOT NULL, direction TEXT NOT NULL,
              from_number TEXT NOT NULL, to_number TEXT NOT NULL, phone TEXT NOT NULL, customer_id TEXT, agent_user_id TEXT, state TEXT NOT NULL,
              started_at BIGINT NOT NULL, answered_at BIGINT, ended_at BIGINT, recording_url TEXT, follow_up_kind TEXT, follow_up_id TEXT,
              version BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (workspace_id, provider_call_id))
            """,
            "CREATE INDEX calls_started ON calls (workspace_id, started_at)",
            "CREATE INDEX calls_phone ON calls (workspace_id, phone, started_at)",
            "CREATE INDEX calls_customer ON calls (workspace_id, customer_id, started_at)",
            """
            CREATE TABLE telephony_receipts (
              workspace_id TEXT NOT NULL, message_id TEXT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, message_id))
            """,
            "CREATE INDEX telephony_receipts_age ON telephony_receipts (received_at)",
            """
            CREATE TABLE call_pops (
              seq \(serial), workspace_id TEXT NOT NULL, call_id TEXT NOT NULL, event TEXT NOT NULL, agent_user_id TEXT,
              customer_id TEXT, phone TEXT NOT NULL, at BIGINT NOT NULL)
            """,
            "CREATE INDEX call_pops_at ON call_pops (at)",
        ]
    }
}
