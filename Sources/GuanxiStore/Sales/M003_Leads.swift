/// Sales, first part: leads and where they come from (forms, webhooks), and the ordered rules
/// that hand them to salespeople. A lead's history lives in the `timeline` table under the lead's
/// id, so converting it into a customer moves the history with one UPDATE.
package enum M003_Leads {
    package static let migration = Migration(version: 3, name: "leads") { _ in
        [
            """
            CREATE TABLE leads (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), name TEXT NOT NULL,
              company TEXT, title TEXT, phone TEXT, email TEXT, wechat TEXT, province TEXT, city TEXT, product_interest TEXT,
              tier TEXT, source TEXT, campaign TEXT, utm_json TEXT, message TEXT, channel TEXT NOT NULL, status TEXT NOT NULL,
              disqualify_reason TEXT, owner_id TEXT, rule_id TEXT, assigned_at BIGINT, response_due_at BIGINT, responded_at BIGINT,
              dup_customer_id TEXT, dup_lead_id TEXT, converted_customer_id TEXT, converted_at BIGINT, source_id TEXT,
              version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX leads_created ON leads (workspace_id, created_at, id)",
            "CREATE INDEX leads_owner ON leads (workspace_id, owner_id, status)",
            "CREATE INDEX leads_due ON leads (workspace_id, status, response_due_at)",
            "CREATE INDEX leads_phone ON leads (workspace_id, phone)",
            "CREATE INDEX leads_email ON leads (workspace_id, email)",
            "CREATE INDEX leads_wechat ON leads (workspace_id, wechat)",
            """
            CREATE TABLE assignment_rules (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), name TEXT NOT NULL, position BIGINT NOT NULL,
              active BIGINT NOT NULL, conditions_json TEXT NOT NULL, method TEXT NOT NULL, team_id TEXT, user_id TEXT,
              response_minutes BIGINT, turn BIGINT NOT NULL DEFAULT 0, version BIGINT NOT NULL,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX assignment_rules_workspace ON assignment_rules (workspace_id, position)",
            // A public web form or an ad-platform webhook; `public_key` is the unguessable part of its URL.
            """
            CREATE TABLE lead_sources (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), kind TEXT NOT NULL, name TEXT NOT NULL,
              public_key TEXT NOT NULL UNIQUE, secret TEXT, mapping_json TEXT NOT NULL, source_label TEXT, campaign TEXT,
              created_by TEXT, created_at BIGINT NOT NULL, disabled_at BIGINT)
            """,
            "CREATE INDEX lead_sources_workspace ON lead_sources (workspace_id, created_at)",
            // Signatures already accepted, so a captured webhook call cannot be replayed.
            """
            CREATE TABLE webhook_receipts (
              source_id TEXT NOT NULL, signature TEXT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (source_id, signature))
            """,
            "CREATE TABLE capture_attempts (key TEXT NOT NULL, at BIGINT NOT NULL)",
            "CREATE INDEX capture_attempts_key ON capture_attempts (key, at)",
        ]
    }
}
