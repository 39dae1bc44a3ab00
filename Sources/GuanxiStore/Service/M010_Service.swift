/// The service desk: tickets with their conversation, business calendars and SLA policies.
/// A ticket keeps its SLA clock in its own row (dues, when it was answered and resolved, the open
/// pause and the ended ones), so queue views, due times and the breach scan read one table.
package enum M010_Service {
    package static let migration = Migration(version: 10, name: "service_desk") { _ in
        [
            """
            CREATE TABLE business_calendars (
              workspace_id TEXT NOT NULL REFERENCES workspaces(id), name TEXT NOT NULL, spec_json TEXT NOT NULL,
              updated_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, name))
            """,
            """
            CREATE TABLE sla_policies (
              workspace_id TEXT NOT NULL REFERENCES workspaces(id), id TEXT NOT NULL, name TEXT NOT NULL, position BIGINT NOT NULL,
              types TEXT NOT NULL, channels TEXT NOT NULL, tiers TEXT NOT NULL, targets_json TEXT NOT NULL, calendar TEXT,
              active BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, id))
            """,
            """
            CREATE TABLE tickets (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), number BIGINT NOT NULL, customer_id TEXT NOT NULL,
              subject TEXT NOT NULL, type TEXT NOT NULL, priority TEXT NOT NULL, status TEXT NOT NULL, channel TEXT NOT NULL,
              team_id TEXT, assignee_id TEXT, order_id TEXT, tags TEXT NOT NULL, policy_id TEXT,
              first_response_due_at BIGINT, first_responded_at BIGINT, awaiting_reply_since BIGINT, next_response_due_at BIGINT,
              resolution_due_at BIGINT, resolved_at BIGINT, paused_since BIGINT, pauses_json TEXT NOT NULL,
              created_by TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX tickets_number ON tickets (workspace_id, number)",
            "CREATE INDEX tickets_status ON tickets (workspace_id, status, created_at, id)",
            // queues: one person's or one department's tickets, newest first (a status filter reads along them)
            "CREATE INDEX tickets_assignee ON tickets (workspace_id, assignee_id, created_at)",
            "CREATE INDEX tickets_team ON tickets (workspace_id, team_id, created_at)",
            "CREATE INDEX tickets_customer ON tickets (workspace_id, customer_id, created_at)",
            """
            CREATE TABLE ticket_messages (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, ticket_id TEXT NOT NULL, kind TEXT NOT NULL, author_id TEXT,
              body TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, created_at, id)",
            // the breach scan reads tickets by due time, one index per target
            "CREATE INDEX tickets_first_response_due ON tickets (first_response_due_at)",
            "CREATE INDEX tickets_next_response_due ON tickets (next_response_due_at)",
            "CREATE INDEX tickets_resolution_due ON tickets (resolution_due_at)",
            // each warning and escalation once per target and due time
            """
            CREATE TABLE sla_alarms (
              ticket_id TEXT NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL, due_at BIGINT NOT NULL, raised_at BIGINT NOT NULL,
              PRIMARY KEY (ticket_id, target, kind, due_at))
            """,
        ]
    }
}
