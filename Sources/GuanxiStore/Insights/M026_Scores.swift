/// Insights, first part: every customer's scores from the last scoring run (one row per customer,
/// replaced by each run; list filters and the CLV sort read their own indexes), and the runs
/// themselves with their fitted models, so a score can always be traced to the model that made it.
/// Money is integer minor units in the workspace currency; probabilities and expected purchases
/// are floating point.
package enum M026_Scores {
    package static let migration = Migration(version: 26, name: "scores") { _ in
        [
            """
            CREATE TABLE score_runs (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), status TEXT NOT NULL, kind TEXT NOT NULL,
              as_of TEXT NOT NULL, period TEXT NOT NULL, model_version TEXT NOT NULL, model TEXT, parameters_json TEXT,
              log_likelihood DOUBLE PRECISION, first_day TEXT, last_day TEXT, customers BIGINT NOT NULL, transactions BIGINT NOT NULL,
              currency TEXT NOT NULL, duration_ms BIGINT, error TEXT, requested_by TEXT, created_at BIGINT NOT NULL, finished_at BIGINT)
            """,
            "CREATE INDEX score_runs_created ON score_runs (workspace_id, created_at, id)",
            """
            CREATE TABLE customer_scores (
              workspace_id TEXT NOT NULL, customer_id TEXT NOT NULL, run_id TEXT NOT NULL, recency_days BIGINT NOT NULL,
              purchases BIGINT NOT NULL, monetary BIGINT NOT NULL, r BIGINT NOT NULL, f BIGINT NOT NULL, m BIGINT NOT NULL,
              rfm_segment TEXT NOT NULL, expected_purchases_90d DOUBLE PRECISION NOT NULL, p_alive DOUBLE PRECISION NOT NULL,
              churn_risk TEXT NOT NULL, clv_12m BIGINT NOT NULL, value_tier TEXT NOT NULL, class TEXT NOT NULL,
              cross_sell_json TEXT NOT NULL, scored_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, customer_id))
            """,
            "CREATE INDEX customer_scores_segment ON customer_scores (workspace_id, rfm_segment, customer_id)",
            "CREATE INDEX customer_scores_churn ON customer_scores (workspace_id, churn_risk, customer_id)",
            "CREATE INDEX customer_scores_tier ON customer_scores (workspace_id, value_tier, customer_id)",
            "CREATE INDEX customer_scores_clv ON customer_scores (workspace_id, clv_12m, customer_id)",
        ]
    }
}
