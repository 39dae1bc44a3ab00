/// Behaviour profiles: one row per person (`event_profiles`: a customer's id, or `a:`/`u:` and a
/// visitor's id until an identify says who they are) with what their events add up to; the traits
/// events wrote into a customer's fields and the last decision per field (`event_trait_fields`),
/// so a staff member's edit is never overwritten; ids whose events are refused after a deletion on
/// request (`event_suppressions`); the last refusals per source for the debugger
/// (`event_refusals`, kept to 50 a source) and their count; the workspace's event settings
/// (`event_settings`: retention, fields events may overwrite); an index for the event stream.
package enum M028_EventProfiles {
    package static let migration = Migration(version: 28, name: "event_profiles") { dialect in
        let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE event_profiles (
              workspace_id TEXT NOT NULL, person TEXT NOT NULL, customer_id TEXT, last_seen BIGINT, data_json TEXT NOT NULL,
              updated_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, person))
            """,
            """
            CREATE TABLE event_trait_fields (
              workspace_id TEXT NOT NULL, customer_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, action TEXT NOT NULL,
              written TEXT, source_id TEXT NOT NULL, message_id TEXT NOT NULL, decided_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, customer_id, field))
            """,
            """
            CREATE TABLE event_suppressions (
              workspace_id TEXT NOT NULL, value TEXT NOT NULL, customer_id TEXT NOT NULL, created_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, value))
            """,
            """
            CREATE TABLE event_refusals (
              seq \(serial), workspace_id TEXT NOT NULL, source_id TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL,
              sample TEXT, at BIGINT NOT NULL)
            """,
            "CREATE INDEX event_refusals_source ON event_refusals (source_id, seq)",
            "ALTER TABLE event_sources ADD COLUMN refused_count BIGINT NOT NULL DEFAULT 0",
            """
            CREATE TABLE event_settings (
              workspace_id TEXT PRIMARY KEY, retention_days BIGINT, overwrite_json TEXT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL)
            """,
            "CREATE INDEX events_workspace_time ON events (workspace_id, occurred_at, seq)",
        ]
    }
}
