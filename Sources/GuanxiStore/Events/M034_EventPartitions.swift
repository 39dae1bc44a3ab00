import Foundation
import SQLKit
import GuanxiCore

/// On PostgreSQL the events table becomes range-partitioned by the month each event was received
/// (`received_month`, the first millisecond of that month in UTC; `EventMonths`), so retention
/// drops a month whole instead of deleting row by row. A unique key on a partitioned table must
/// hold the partition key, so a message is unique per source, message id and month; the writer
/// looks into the month before too while a retry may still come (`EventMonths.lookBack`). The
/// rows already there are copied into their months' partitions; months from the oldest event to
/// two ahead get a partition, and a default partition catches an event no month was made for.
/// SQLite keeps its one table and its unique message ids.
package enum M034_EventPartitions {
    package static let migration = Migration(version: 34, name: "event_partitions", backfill: { sql, dialect in
        guard dialect == .postgres else { return }
        let bounds = try await sql.raw("SELECT MIN(received_at) AS lo, MAX(received_at) AS hi FROM events_unpartitioned").first()
        let now = Date().millis
        let lo = try bounds?.decode(column: "lo", as: Int64?.self) ?? now
        let hi = max(try bounds?.decode(column: "hi", as: Int64?.self) ?? now, now)
        for m in EventMonths.span(from: lo, to: hi) {
            try await sql.raw(SQLQueryString(EventPartitionSQL.create(m))).run()
        }
        try await sql.raw("""
            INSERT INTO events (seq, workspace_id, source_id, message_id, type, event, anonymous_id, user_id, customer_id, occurred_at, received_at,
                                properties_json, context_json, received_month)
            SELECT seq, workspace_id, source_id, message_id, type, event, anonymous_id, user_id, customer_id, occurred_at, received_at,
                   properties_json, context_json, \(unsafeRaw: EventPartitionSQL.monthOf("received_at"))
            FROM events_unpartitioned
            """).run()
        try await sql.raw("DROP TABLE events_unpartitioned").run()
        try await sql.raw("ALTER SEQUENCE events_seq_seq OWNED BY events.seq").run()
    }) { dialect in
        guard dialect == .postgres else { return [] }
        return [
            "ALTER SEQUENCE events_seq_seq OWNED BY NONE",
            "ALTER TABLE events RENAME TO events_unpartitioned",
            "ALTER TABLE events_unpartitioned ALTER COLUMN seq DROP DEFAULT",
            "DROP INDEX events_customer", "DROP INDEX events_anonymous", "DROP INDEX events_user", "DROP INDEX events_workspace_time",
            """
            CREATE TABLE events (
              seq BIGINT NOT NULL DEFAULT nextval('events_seq_seq'), workspace_id TEXT NOT NULL, source_id TEXT NOT NULL, message_id TEXT NOT NULL,
              type TEXT NOT NULL, event TEXT, anonymous_id TEXT, user_id TEXT, customer_id TEXT, occurred_at BIGINT NOT NULL, received_at BIGINT NOT NULL,
              properties_json TEXT NOT NULL, context_json TEXT, received_month BIGINT NOT NULL,
              CONSTRAINT events_message UNIQUE (source_id, message_id, received_month)) PARTITION BY RANGE (received_month)
            """,
            "CREATE TABLE events_default PARTITION OF events DEFAULT",
            "CREATE INDEX events_customer ON events (workspace_id, customer_id, occurred_at, seq) WHERE customer_id IS NOT NULL",
            "CREATE INDEX events_anonymous ON events (workspace_id, anonymous_id) WHERE customer_id IS NULL",
            "CREATE INDEX events_user ON events (workspace_id, user_id) WHERE customer_id IS NULL",
            "CREATE INDEX events_workspace_time ON events (workspace_id, occurred_at, seq)",
        ]
    }
}

/// The statements a month's partition takes (the migration and the job making them ahead share them).
package enum EventPartitionSQL {
    /// A month's partition, unless it is there already.
    static func create(_ month: Int64) -> String {
        "CREATE TABLE IF NOT EXISTS \(EventMonths.name(month)) PARTITION OF events FOR VALUES FROM (\(month)) TO (\(EventMonths.next(month)))"
    }

    /// The first millisecond (UTC) of the month of a millisecond column, in SQL.
    static func monthOf(_ column: String) -> String {
        "(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(\(column) / 1000.0) AT TIME ZONE 'UTC')) * 1000)::BIGINT"
    }
}
