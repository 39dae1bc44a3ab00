import Foundation
import SQLKit
import SQLiteNIO

/// Multi-row INSERTs for bulk paths (import, demo). On SQLite they bypass SQLKit's Encodable
/// binding, which costs microseconds per value and dominated a million-row load; values are turned
/// into `SQLiteData` directly and sent on the writer connection of the current transaction.
enum BulkSQL {
    /// The SQLite writer connection while `Database.write` runs (nil on PostgreSQL and for reads).
    @TaskLocal static var sqliteWriter: SQLiteConnection?

    /// Runs `INSERT INTO table (cols) VALUES (…),(…) [suffix]` and returns the rows (for RETURNING).
    static func insert(_ table: String, _ cols: String, _ rows: [[any Encodable & Sendable]], suffix: String = "",
                       sql: any SQLDatabase) async throws -> [any SQLRow] {
        guard let width = rows.first?.count else { return [] }
        var out: [any SQLRow] = []
        for chunk in rows.chunked(max(1, 30_000 / width)) {
            if let conn = sqliteWriter, let binds = sqliteBinds(chunk) {
                let one = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
                let text = "INSERT INTO \(table) (\(cols)) VALUES " + Array(repeating: one, count: chunk.count).joined(separator: ",") + " " + suffix
                out += try await conn.query(text, binds).map { $0 as any SQLRow }
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

    static func sqliteBinds(_ rows: ArraySlice<[any Encodable & Sendable]>) -> [SQLiteData]? {
        var out: [SQLiteData] = []
        out.reserveCapacity(rows.count * (rows.first?.count ?? 0))
        for r in rows {
            for v in r {
                guard let d = sqliteValue(v) else { return nil }
                out.append(d)
            }
        }
        return out
    }

    static func sqliteValue(_ v: any Encodable & Sendable) -> SQLiteData? {
        switch v {
        case let s as String: return .text(s)
        case let i as Int: return .integer(i)
        case let i as Int64: return .integer(Int(i))
        case let d as Double: return .float(d)
        case let o as any OptionalValue where o.isNone: return .null
        case let b as Bool: return .integer(b ? 1 : 0)
        default: return nil
        }
    }
}

/// Lets a bind of `nil` (an Optional boxed in `any Encodable`) be recognised without `Mirror`.
protocol OptionalValue { var isNone: Bool { get } }
extension Optional: OptionalValue { var isNone: Bool { self == nil } }
