/// Routing and hand-offs across departments. `routing_rules` are tried by position; a rule's
/// `turn` is its round-robin cursor. `agent_skills` are what the skill strategy matches tickets
/// against. `ticket_steps` are a ticket's hand-off chain, child tasks and approvals, each with its
/// department, deadline (`due_at`, once active) and completion; an overdue step's alarm is kept in
/// `sla_alarms` under the target `step:<id>`, once per due time.
package enum M013_ServiceRouting {
    package static let migration = Migration(version: 13, name: "service_routing") { _ in
        [
            """
            CREATE TABLE routing_rules (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), name TEXT NOT NULL, position BIGINT NOT NULL,
              active BIGINT NOT NULL, conditions_json TEXT NOT NULL, team_id TEXT NOT NULL, strategy TEXT NOT NULL, turn BIGINT NOT NULL,
              version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX routing_rules_workspace ON routing_rules (workspace_id, position, id)",
            """
            CREATE TABLE agent_skills (
              workspace_id TEXT NOT NULL, user_id TEXT NOT NULL, skills TEXT NOT NULL, updated_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, user_id))
            """,
            """
            CREATE TABLE ticket_steps (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, ticket_id TEXT NOT NULL, position BIGINT NOT NULL, kind TEXT NOT NULL,
              state TEXT NOT NULL, team_id TEXT, title TEXT NOT NULL, assignee_id TEXT, approver_id TEXT, approver_role TEXT, minutes BIGINT,
              activated_at BIGINT, due_at BIGINT, completed_by TEXT, completed_at BIGINT, note TEXT, created_by TEXT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX ticket_steps_ticket ON ticket_steps (ticket_id, state)",
            // the overdue scan reads active steps by deadline
            "CREATE INDEX ticket_steps_due ON ticket_steps (state, due_at)",
            // least-loaded routing counts each candidate's open tickets
            "CREATE INDEX tickets_assignee_status ON tickets (workspace_id, assignee_id, status)",
        ]
    }
}
