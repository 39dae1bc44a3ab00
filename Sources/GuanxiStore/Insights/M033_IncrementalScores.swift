/// Insights, third part: incremental scoring runs. `score_changes` holds the customers whose
/// orders changed since the scores last read them, one row per customer, written in the order's
/// own transaction (a placement, an import, every step: payment, refund, return, cancellation);
/// `mark` is a fresh id per change, so a run deletes exactly the rows it read and a change made
/// while it ran stays for the next. A run keeps the context it scored through (`context_json`: the
/// models, thresholds, class centres and rules a later incremental run reuses), the full run it
/// built on (`base_run_id`), how many customers it touched, and its progress while it runs.
package enum M033_IncrementalScores {
    package static let migration = Migration(version: 33, name: "incremental_scores") { _ in
        [
            """
            CREATE TABLE score_changes (
              workspace_id TEXT NOT NULL, customer_id TEXT NOT NULL, mark TEXT NOT NULL, changed_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, customer_id))
            """,
            "ALTER TABLE score_runs ADD COLUMN context_json TEXT",
            "ALTER TABLE score_runs ADD COLUMN base_run_id TEXT",
            "ALTER TABLE score_runs ADD COLUMN touched BIGINT",
            "ALTER TABLE score_runs ADD COLUMN phase TEXT",
            "ALTER TABLE score_runs ADD COLUMN progress_done BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE score_runs ADD COLUMN progress_total BIGINT NOT NULL DEFAULT 0",
        ]
    }
}
