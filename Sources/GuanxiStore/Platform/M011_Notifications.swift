/// In-application notifications per user (SLA warnings and escalations, hand-offs), mailed as
/// well when an outgoing mailer is configured (`mailed_at`).
package enum M011_Notifications {
    package static let migration = Migration(version: 11, name: "notifications") { _ in
        [
            """
            CREATE TABLE notifications (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, user_id TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, link TEXT,
              created_at BIGINT NOT NULL, read_at BIGINT, mailed_at BIGINT)
            """,
            "CREATE INDEX notifications_user ON notifications (workspace_id, user_id, created_at)",
            "CREATE INDEX notifications_unmailed ON notifications (mailed_at, created_at)",
        ]
    }
}
