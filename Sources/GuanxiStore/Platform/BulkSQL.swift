import Foundation
import SQLKit
import SQLiteNIO

/// Multi-row INSERTs for bulk paths (import, demo). On SQLite they bypass SQLKit's Encodable
/// binding, which costs microseconds per value and dominated a million-row load; values are turned
/// into `SQLiteData` directly and sent on the writer connection of the current transaction.
enum BulkSQL {
    /// Runs `body` (a transaction's rewrite of most of `table`) with the table's secondary indexes
    /// dropped, then builds them again from their own definitions. On SQLite, inserting a million
    /// rows into six indexes keyed in random order reads and writes a page per key through a small
    /// cache (minutes); an index built afresh is one sort (about a second). Other servers' readers
    /// keep their snapshot, indexes and all. PostgreSQL keeps its indexes (dropping one would lock
    /// the table against readers until the commit).
    static func withIndexesRebuilt<T>(_ table: String, sql: any SQLDatabase, _ body: () async throws -> T) async throws -> T {
        guard sql is DirectSQLDatabase else { return try await body() }
        let indexes = try await sql.raw("""
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = \(bind: table) AND sql IS NOT NULL ORDER BY name
            """).all().map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "sql", as: String.self)) }
        for (name, _) in indexes { try await sql.raw("DROP INDEX \(ident: name)").run() }
        let out = try await body()
        for (_, definition) in indexes { try await sql.raw("\(unsafeRaw: definition)").run() }
        return out
    }

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
