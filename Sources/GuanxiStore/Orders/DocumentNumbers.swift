import Foundation
import SQLKit
import GuanxiCore

/// Human numbers for quotes and orders (QT-2026-000042, SO-2026-000123): a counter per workspace,
/// kind and year, advanced inside the writer's transaction, so numbers never repeat and a batch
/// takes its whole range with one statement.
enum DocumentNumbers {
    static func take(_ count: Int, prefix: String, workspaceID: String, year: Int, sql: any SQLDatabase) async throws -> [String] {
        guard count > 0 else { return [] }
        try await sql.raw("""
            INSERT INTO doc_counters (workspace_id, kind, year, next) VALUES (\(bind: workspaceID), \(bind: prefix), \(bind: year), 1)
            ON CONFLICT (workspace_id, kind, year) DO NOTHING
            """).run()
        let row = try await sql.raw("""
            UPDATE doc_counters SET next = next + \(bind: count) WHERE workspace_id = \(bind: workspaceID) AND kind = \(bind: prefix) AND year = \(bind: year)
            RETURNING next
            """).first()!
        let end = try row.decode(column: "next", as: Int.self)
        return (end - count..<end).map { prefix + "-" + String(year) + "-" + String(format: "%06d", $0) }
    }

    /// The workspace's calendar day and year for `now` (its time zone; Asia/Shanghai by default).
    static func today(_ workspaceID: String, now: Date, sql: any SQLDatabase) async throws -> String {
        let tz = try await sql.raw("SELECT time_zone FROM workspaces WHERE id = \(bind: workspaceID)").first()?
            .decode(column: "time_zone", as: String?.self) ?? nil
        return Dates.day(now, timeZone: tz ?? "Asia/Shanghai")
    }
}
