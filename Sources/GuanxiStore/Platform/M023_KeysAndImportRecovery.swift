/// Idempotency keys belong to the credential that used them (a user's session or one API token),
/// not to the whole workspace; an API import keeps its upload and names the process running it,
/// which beats a heartbeat, so a job whose process died is found and run again at the next start.
package enum M023_KeysAndImportRecovery {
    package static let migration = Migration(version: 23, name: "keys_and_import_recovery") { _ in
        [
            // Stored answers cannot be attributed to a credential after the fact; they are a day's
            // retries at most, so the table starts again.
            "DROP TABLE idempotency_keys",
            """
            CREATE TABLE idempotency_keys (
              workspace_id TEXT NOT NULL, credential TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status BIGINT NOT NULL,
              body TEXT NOT NULL, headers_json TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, credential, key))
            """,
            "ALTER TABLE import_jobs ADD COLUMN upload_id TEXT",
            "ALTER TABLE import_jobs ADD COLUMN mapping_json TEXT",
            "ALTER TABLE import_jobs ADD COLUMN token_id TEXT",
            "ALTER TABLE import_jobs ADD COLUMN runner TEXT",
            "ALTER TABLE import_jobs ADD COLUMN heartbeat_at BIGINT",
            "CREATE INDEX import_jobs_status ON import_jobs (status, heartbeat_at)",
        ]
    }
}
