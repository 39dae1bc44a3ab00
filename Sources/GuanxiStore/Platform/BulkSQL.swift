import Foundation
import SQLKit
import SQLiteNIO

/// Multi-row INSERTs for bulk paths (import, demo). On SQLite they bypass SQLKit's Encodable
/// binding, which costs microseconds per value and dominated a million-row load; values are turned
/// into `SQLiteData` directly and sent on the writer connection of the current transaction.
enum BulkSQL {
    /// Runs `INSERT INTO table (cols) VALUES (…),(…) [suffix]` and returns the rows (for RETURNING).
    static func insert(_ table: String, _ cols: String, _ rows: [[any Encodable & Sendable]], suffix: String = "",
                       sql: any SQLDatabase) async throws -> [any SQLRow] {
        guard let width = rows.first?.count else { return [] }
        var out: [any SQLRow] = []
        for chunk in rows.chunked(max(1, 30_000 / width)) {
            if let direct = sql as? DirectSQLDatabase {
                // SQLite: the text and binds directly, without building an SQL expression per value
                let one = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
                let text = "INSERT INTO \(table) (\(cols)) VALUES " + Array(repeating: one, count: chunk.count).joined(separator: ",") + " " + suffix
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * width)
                for r in chunk { for v in r { binds.append(try DirectSQLDatabase.data(v)) } }
                try direct.connection.run(text, binds) { out.append($0) }
                continue
            }
            var q = SQLQueryString("INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: cols)) VALUES ")
            for (i, r) in chunk.enumerated() {
                if i > 0 { q += ", " }
                q += "(\(binds: r))"
            }
            q += " \(unsafeRaw: suffix)"
            out += try await sql.raw(q).all()
        }
        return out
    }
}
