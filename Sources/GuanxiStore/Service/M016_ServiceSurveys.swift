/// Satisfaction surveys: one per resolution of a ticket (`resolved_at` tells resolutions apart),
/// reached by the SHA-256 of its link's token (the token itself is only in the mail), with the
/// nonce its form must send back, the answer, and for negative feedback the reply's due time and
/// when the first reply after it came.
package enum M016_ServiceSurveys {
    package static let migration = Migration(version: 16, name: "service_surveys") { _ in
        [
            """
            CREATE TABLE ticket_surveys (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, ticket_id TEXT NOT NULL, resolved_at BIGINT NOT NULL,
              token_hash TEXT NOT NULL, nonce TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
              answered_at BIGINT, rating BIGINT, nps BIGINT, comment TEXT, reply_due_at BIGINT, replied_at BIGINT)
            """,
            "CREATE UNIQUE INDEX ticket_surveys_token ON ticket_surveys (token_hash)",
            "CREATE UNIQUE INDEX ticket_surveys_resolution ON ticket_surveys (ticket_id, resolved_at)",
            "CREATE INDEX ticket_surveys_workspace ON ticket_surveys (workspace_id, ticket_id, created_at)",
        ]
    }
}
