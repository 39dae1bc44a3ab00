/// Product issues: tickets of customer feedback and defects grouped for product, with their
/// external tracker's reference; the link table between tickets and issues; and the customers told
/// of an issue's fix, once each.
package enum M020_ProductIssues {
    package static let migration = Migration(version: 20, name: "product_issues") { _ in
        [
            """
            CREATE TABLE product_issues (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), title TEXT NOT NULL, product_id TEXT,
              status TEXT NOT NULL, external_ref TEXT, external_url TEXT, pushed_at BIGINT, created_by TEXT,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL)
            """,
            "CREATE INDEX product_issues_workspace ON product_issues (workspace_id, created_at, id)",
            """
            CREATE TABLE product_issue_tickets (
              workspace_id TEXT NOT NULL, issue_id TEXT NOT NULL, ticket_id TEXT NOT NULL, linked_by TEXT, linked_at BIGINT NOT NULL,
              PRIMARY KEY (issue_id, ticket_id))
            """,
            "CREATE INDEX product_issue_tickets_ticket ON product_issue_tickets (workspace_id, ticket_id)",
            """
            CREATE TABLE product_issue_notices (
              workspace_id TEXT NOT NULL, issue_id TEXT NOT NULL, customer_id TEXT NOT NULL, ticket_id TEXT NOT NULL, message_id TEXT NOT NULL,
              notified_by TEXT, notified_at BIGINT NOT NULL, PRIMARY KEY (issue_id, customer_id))
            """,
        ]
    }
}
