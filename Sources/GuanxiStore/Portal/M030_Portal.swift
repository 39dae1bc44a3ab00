/// The customer portal: one-time sign-in codes (the code and its link stored only as hashes,
/// each good for ten minutes, once), the portal's own sessions (apart from staff sessions, so
/// neither cookie opens the other's side), and the roles of organisations' contacts there.
package enum M030_Portal {
    package static let migration = Migration(version: 30, name: "portal") { _ in
        [
            """
            CREATE TABLE portal_codes (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), customer_id TEXT NOT NULL, email TEXT NOT NULL,
              code_hash TEXT NOT NULL, link_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
              used_at BIGINT, failures BIGINT NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX portal_codes_email ON portal_codes (email, expires_at)",
            """
            CREATE TABLE portal_sessions (
              id_hash TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), customer_id TEXT NOT NULL, email TEXT NOT NULL,
              csrf TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, revoked_at BIGINT,
              address TEXT)
            """,
            "CREATE INDEX portal_sessions_customer ON portal_sessions (workspace_id, customer_id)",
            """
            CREATE TABLE portal_roles (
              workspace_id TEXT NOT NULL, customer_id TEXT NOT NULL, role TEXT NOT NULL, updated_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, customer_id))
            """,
        ]
    }
}
