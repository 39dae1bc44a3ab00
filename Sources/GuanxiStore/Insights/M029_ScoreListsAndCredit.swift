/// Insights, second part. Customer lists filtered by class or sorted by P(alive) read their own
/// index as the segment, churn-risk, tier and CLV ones (M026) do, in the list's order. Credit
/// control: each customer's limit (minor units of its currency; NULL: none) and payment terms in
/// days, versioned for If-Match; an order held for credit approval keeps why (the message with
/// its key and arguments, as JSON) until a credit controller releases it.
package enum M029_ScoreListsAndCredit {
    package static let migration = Migration(version: 29, name: "score_lists_and_credit") { _ in
        [
            "CREATE INDEX customer_scores_class ON customer_scores (workspace_id, class, customer_id)",
            "CREATE INDEX customer_scores_alive ON customer_scores (workspace_id, p_alive, customer_id)",
            """
            CREATE TABLE customer_credit (
              workspace_id TEXT NOT NULL, customer_id TEXT NOT NULL, credit_limit BIGINT, currency TEXT NOT NULL, terms_days BIGINT NOT NULL,
              version BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, customer_id))
            """,
            "ALTER TABLE orders ADD COLUMN credit_hold_json TEXT",
        ]
    }
}
