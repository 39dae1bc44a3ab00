import Foundation
import SQLKit
import GuanxiCore

/// The events table's monthly partitions on PostgreSQL (M034): made ahead of time, and dropped
/// whole by retention. SQLite has one table and deletes in batches.
extension EventStore {
    /// The month partitions there are now (PostgreSQL; empty on SQLite).
    package func partitions() async throws -> [Int64] {
        guard db.dialect == .postgres else { return [] }
        return try await db.read { sql in
            try await sql.raw("""
                SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'events'::regclass
                """).all().compactMap { EventMonths.month(ofPartition: try $0.decode(column: "name", as: String.self)) }.sorted()
        }
    }

    /// Makes the partitions of this month and the next `EventMonths.ahead` ones; an event that
    /// landed in the default partition meanwhile moves into its month's. Answers the months made.
    @discardableResult
    package func preparePartitions() async throws -> [Int64] {
        guard db.dialect == .postgres else { return [] }
        let have = Set(try await partitions())
        let now = clock.now().millis
        var made: [Int64] = []
        for m in EventMonths.span(from: now, to: now) where !have.contains(m) {
            let name = EventMonths.name(m), end = EventMonths.next(m)
            try await db.write { sql in
                let strays = try await sql.raw("""
                    SELECT 1 AS x FROM events_default WHERE received_month >= \(bind: m) AND received_month < \(bind: end) LIMIT 1
                    """).first() != nil
                if strays {
                    try await sql.raw("CREATE TABLE \(unsafeRaw: name) (LIKE events INCLUDING DEFAULTS)").run()
                    try await sql.raw("""
                        WITH moved AS (DELETE FROM events_default WHERE received_month >= \(bind: m) AND received_month < \(bind: end) RETURNING *)
                        INSERT INTO \(unsafeRaw: name) SELECT * FROM moved
                        """).run()
                    try await sql.raw("ALTER TABLE events ATTACH PARTITION \(unsafeRaw: name) FOR VALUES FROM (\(unsafeRaw: String(m))) TO (\(unsafeRaw: String(end)))").run()
                } else {
                    try await sql.raw(SQLQueryString(EventPartitionSQL.create(m))).run()
                }
            }
            made.append(m)
        }
        return made
    }

    /// Drops the months whose every event is past its workspace's retention (PostgreSQL): a month
    /// ends before the cutoff of every workspace with events in it, which the partition's index
    /// answers a workspace at a time. Answers the events dropped.
    func dropExpiredPartitions(cutoffs: [String: Int64]) async throws -> Int {
        guard db.dialect == .postgres, let latest = cutoffs.values.max() else { return 0 }
        var dropped = 0
        for m in try await partitions() where EventMonths.next(m) <= latest {
            let name = EventMonths.name(m)
            let n = try await db.write { sql -> Int in
                // the workspaces with events in the month: a walk over the index, one step a workspace
                let present = try await sql.raw("""
                    WITH RECURSIVE w(ws) AS (
                      (SELECT workspace_id FROM \(unsafeRaw: name) ORDER BY workspace_id LIMIT 1)
                      UNION ALL
                      SELECT (SELECT workspace_id FROM \(unsafeRaw: name) WHERE workspace_id > w.ws ORDER BY workspace_id LIMIT 1) FROM w WHERE w.ws IS NOT NULL)
                    SELECT ws FROM w WHERE ws IS NOT NULL
                    """).all().map { try $0.decode(column: "ws", as: String.self) }
                guard EventMonths.droppable(month: m, workspaces: Set(present), cutoffs: cutoffs) else { return -1 }
                let count = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: name)").first()?.decode(column: "n", as: Int.self) ?? 0
                try await sql.raw("ALTER TABLE events DETACH PARTITION \(unsafeRaw: name)").run()
                try await sql.raw("DROP TABLE \(unsafeRaw: name)").run()
                return count
            }
            if n >= 0 { dropped += n }
        }
        return dropped
    }
}
