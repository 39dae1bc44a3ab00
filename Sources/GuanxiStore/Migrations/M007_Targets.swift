/// Sales, fourth part: monthly targets per user or team, for revenue and for collections.
/// `subject` is `user:<id>` or `team:<id>`.
enum M007_Targets {
    static let migration = Migration(version: 7, name: "targets") { _ in
        [
            """
            CREATE TABLE sales_targets (
              workspace_id TEXT NOT NULL REFERENCES workspaces(id), month TEXT NOT NULL, subject TEXT NOT NULL, metric TEXT NOT NULL,
              currency TEXT NOT NULL, amount BIGINT NOT NULL, updated_by TEXT, updated_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, month, subject, metric))
            """,
        ]
    }
}
