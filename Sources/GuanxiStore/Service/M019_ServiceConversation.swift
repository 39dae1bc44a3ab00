/// The agent's daily tools. `canned_replies` are the workspace's ready-made answers, a body per
/// language in `bodies_json`. `ticket_viewers` is who has a ticket's page open (one row per ticket
/// and user, touched on each view, pruned after a few minutes), in the database so every server
/// instance sees it.
package enum M019_ServiceConversation {
    package static let migration = Migration(version: 19, name: "service_conversation") { _ in
        [
            """
            CREATE TABLE canned_replies (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), title TEXT NOT NULL, bodies_json TEXT NOT NULL,
              ticket_type TEXT, active BIGINT NOT NULL, version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX canned_replies_workspace ON canned_replies (workspace_id, title, id)",
            """
            CREATE TABLE ticket_viewers (
              workspace_id TEXT NOT NULL, ticket_id TEXT NOT NULL, user_id TEXT NOT NULL, since BIGINT NOT NULL, seen_at BIGINT NOT NULL,
              replying BIGINT NOT NULL, PRIMARY KEY (ticket_id, user_id))
            """,
            "CREATE INDEX ticket_viewers_seen ON ticket_viewers (workspace_id, seen_at)",
        ]
    }
}
