/// Sales, second part: pipelines with stages and probabilities, and deals moving through them.
package enum M004_Deals {
    package static let migration = Migration(version: 4, name: "deals") { _ in
        [
            """
            CREATE TABLE pipelines (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), name TEXT NOT NULL, position BIGINT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX pipelines_workspace ON pipelines (workspace_id, position)",
            """
            CREATE TABLE pipeline_stages (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, pipeline_id TEXT NOT NULL REFERENCES pipelines(id), name TEXT NOT NULL,
              position BIGINT NOT NULL, probability BIGINT NOT NULL, kind TEXT NOT NULL)
            """,
            "CREATE INDEX pipeline_stages_pipeline ON pipeline_stages (pipeline_id, position)",
            """
            CREATE TABLE deals (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), name TEXT NOT NULL, pipeline_id TEXT NOT NULL,
              stage_id TEXT NOT NULL, status TEXT NOT NULL, customer_id TEXT NOT NULL, owner_id TEXT, amount_minor BIGINT NOT NULL,
              currency TEXT NOT NULL, expected_close TEXT, probability BIGINT NOT NULL, close_reason TEXT, lead_id TEXT,
              stage_changed_at BIGINT NOT NULL, last_activity_at BIGINT NOT NULL, closed_at BIGINT,
              version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            // a board column: one stage's deals by expected close
            "CREATE INDEX deals_board ON deals (workspace_id, pipeline_id, stage_id, expected_close, id)",
            "CREATE INDEX deals_forecast ON deals (workspace_id, status, expected_close)",
            "CREATE INDEX deals_closed ON deals (workspace_id, pipeline_id, stage_id, closed_at)",
            // the board's per-stage totals read only this index (no row look-ups)
            "CREATE INDEX deals_totals ON deals (workspace_id, pipeline_id, stage_id, currency, amount_minor, probability, owner_id)",
            "CREATE INDEX deals_owner ON deals (workspace_id, owner_id, status)",
            "CREATE INDEX deals_customer ON deals (workspace_id, customer_id)",
            "CREATE INDEX deals_created ON deals (workspace_id, created_at, id)",
        ]
    }
}
