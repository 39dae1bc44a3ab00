/// The backups this installation wrote (`guanxi backup`, scheduled backups): the status page's
/// "last backup", and what an operator checks before trusting one.
package enum M021_Backups {
    package static let migration = Migration(version: 21, name: "backups") { _ in
        [
            """
            CREATE TABLE backups (
              id TEXT PRIMARY KEY, started_at BIGINT NOT NULL, finished_at BIGINT NOT NULL, file TEXT NOT NULL, bytes BIGINT,
              sha256 TEXT, schema_version INTEGER, error TEXT)
            """,
            "CREATE INDEX backups_finished ON backups (finished_at)",
        ]
    }
}
