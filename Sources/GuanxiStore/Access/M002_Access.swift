/// Access and trust: custom roles, teams, record shares, token permissions and the hash-chained
/// audit log (append-only: the database itself refuses to change or delete an entry).
package enum M002_Access {
    package static let migration = Migration(version: 2, name: "access") { dialect in
        var s = [
            """
            CREATE TABLE roles (
              workspace_id TEXT NOT NULL REFERENCES workspaces(id), key TEXT NOT NULL, name TEXT NOT NULL,
              permissions_json TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
              PRIMARY KEY (workspace_id, key))
            """,
            """
            CREATE TABLE teams (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id), name TEXT NOT NULL,
              kind TEXT NOT NULL, parent_id TEXT, manager_id TEXT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX teams_workspace ON teams (workspace_id, parent_id)",
            """
            CREATE TABLE team_members (
              workspace_id TEXT NOT NULL, team_id TEXT NOT NULL, user_id TEXT NOT NULL, created_at BIGINT NOT NULL,
              PRIMARY KEY (team_id, user_id))
            """,
            "CREATE INDEX team_members_user ON team_members (workspace_id, user_id)",
            """
            CREATE TABLE record_shares (
              workspace_id TEXT NOT NULL, object TEXT NOT NULL, record_id TEXT NOT NULL,
              user_id TEXT, team_id TEXT, created_by TEXT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX record_shares_record ON record_shares (workspace_id, object, record_id)",
            "CREATE INDEX record_shares_user ON record_shares (workspace_id, user_id)",
            "CREATE INDEX record_shares_team ON record_shares (workspace_id, team_id)",
            "ALTER TABLE api_tokens ADD COLUMN permissions_json TEXT",
            // Saved list views: a name and the list's filters, per user.
            """
            CREATE TABLE saved_views (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL, query TEXT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX saved_views_user ON saved_views (workspace_id, user_id, name)",
            // The import wizard keeps an uploaded file between its steps (a day at most).
            """
            CREATE TABLE import_uploads (
              id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, user_id TEXT, filename TEXT NOT NULL, data_b64 TEXT NOT NULL,
              created_at BIGINT NOT NULL)
            """,
            "ALTER TABLE memberships ADD COLUMN deactivated_at BIGINT",
            // Sign-in: sessions (hashed ids), attempts for lockout and rate limits, reset links, TOTP.
            """
            CREATE TABLE sessions (
              id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, workspace_id TEXT NOT NULL, csrf TEXT NOT NULL,
              created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, address TEXT, revoked_at BIGINT)
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            "CREATE TABLE sign_in_attempts (key TEXT NOT NULL, at BIGINT NOT NULL, ok BIGINT NOT NULL)",
            "CREATE INDEX sign_in_attempts_key ON sign_in_attempts (key, at)",
            """
            CREATE TABLE password_resets (
              token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)
            """,
            "ALTER TABLE users ADD COLUMN totp_secret TEXT",
            "ALTER TABLE users ADD COLUMN totp_enabled BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE users ADD COLUMN recovery_json TEXT",
            "ALTER TABLE users ADD COLUMN locked_until BIGINT",
            // Server administrators create workspaces; the first user of an installation is one.
            "ALTER TABLE users ADD COLUMN is_server_admin BIGINT NOT NULL DEFAULT 0",
            // 公海: per-workspace caps on owned customers (by role) and days without follow-up (by tier).
            """
            CREATE TABLE pool_rules (
              workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id), caps_json TEXT NOT NULL, recycle_days_json TEXT NOT NULL,
              updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE audit_log (
              workspace_id TEXT NOT NULL, seq BIGINT NOT NULL, id TEXT NOT NULL, at BIGINT NOT NULL,
              actor_user_id TEXT, actor_token_id TEXT, action TEXT NOT NULL, object TEXT NOT NULL, object_id TEXT,
              detail_json TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
              PRIMARY KEY (workspace_id, seq))
            """,
            "CREATE INDEX audit_log_object ON audit_log (workspace_id, object, object_id, seq)",
            "CREATE INDEX audit_log_actor ON audit_log (workspace_id, actor_user_id, seq)",
            "CREATE INDEX audit_log_at ON audit_log (workspace_id, at)",
            """
            CREATE TABLE audit_heads (
              workspace_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)
            """,
        ]
        switch dialect {
        case .sqlite:
            s += [
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            ]
        case .postgres:
            s += [
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
                """,
                "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
                "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
            ]
        }
        return s
    }
}
