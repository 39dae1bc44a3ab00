/// Sales, fourth part: monthly targets per user or team, for revenue and for collections
/// (`subject` is `user:<id>` or `team:<id>`); double opt-in for web forms (a submission waits in
/// `pending_leads`, under the hash of the token mailed to the visitor, until they confirm).
package enum M007_Targets {
    package static let migration = Migration(version: 7, name: "targets") { _ in
        [
            """
            CREATE TABLE sales_targets (
              workspace_id TEXT NOT NULL REFERENCES workspaces(id), month TEXT NOT NULL, subject TEXT NOT NULL, metric TEXT NOT NULL,
              currency TEXT NOT NULL, amount BIGINT NOT NULL, updated_by TEXT, updated_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, month, subject, metric))
            """,
            "ALTER TABLE lead_sources ADD COLUMN double_opt_in BIGINT NOT NULL DEFAULT 0",
            """
            CREATE TABLE pending_leads (
              token_hash TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, source_id TEXT NOT NULL, fields_json TEXT NOT NULL, email TEXT NOT NULL,
              created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
            """,
            "CREATE INDEX pending_leads_expiry ON pending_leads (expires_at)",
        ]
    }
}
