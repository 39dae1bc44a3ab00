/// Sales, third part: follow-up tasks, calls and visit plans in one table (`kind`), each owned by
/// its assignee and about at most one customer, lead or deal. `alert_at` is the earlier of the
/// reminder and the due time, so "what needs me now" (the header count, my day) is one index range.
/// Check-in coordinates are integer micro-degrees: exact in both dialects.
package enum M006_FollowUp {
    package static let migration = Migration(version: 6, name: "follow_up") { _ in
        [
            """
            CREATE TABLE tasks (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), kind TEXT NOT NULL, title TEXT NOT NULL, notes TEXT,
              due_at BIGINT NOT NULL, remind_at BIGINT, alert_at BIGINT NOT NULL, priority TEXT NOT NULL, status TEXT NOT NULL, owner_id TEXT,
              subject_kind TEXT, subject_id TEXT, completed_at BIGINT, outcome TEXT, next_step TEXT, next_task_id TEXT,
              latitude_micro BIGINT, longitude_micro BIGINT, accuracy_m BIGINT, created_by TEXT,
              version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            // my day and the header count: one owner's open tasks needing attention before a moment
            "CREATE INDEX tasks_attention ON tasks (workspace_id, owner_id, status, alert_at)",
            // lists by due time (all, one owner's, one status's), keyset on (due_at, id)
            "CREATE INDEX tasks_due ON tasks (workspace_id, due_at, id)",
            "CREATE INDEX tasks_owner_due ON tasks (workspace_id, owner_id, due_at, id)",
            "CREATE INDEX tasks_status_due ON tasks (workspace_id, status, due_at, id)",
            // a record's tasks
            "CREATE INDEX tasks_subject ON tasks (workspace_id, subject_id, due_at)",
            // the weekly visit summary reads only this index
            "CREATE INDEX tasks_visits ON tasks (workspace_id, kind, due_at, owner_id, status)",
        ]
    }
}
