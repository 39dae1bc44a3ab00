import Foundation
import SQLKit
import GuanxiCore

/// How an export is written: CSV (UTF-8 with a BOM, a header row, text neutralised where a
/// spreadsheet would take it for a formula) or NDJSON (one JSON object per line, what warehouse
/// loaders read).
package enum ExportFormat: String, Sendable, CaseIterable {
    case csv, ndjson
    package var contentType: String { self == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8" }
}

/// One exported column: its name, and its value in a row as text (CSV) and JSON (NDJSON).
struct ExportColumn: Sendable {
    enum Kind: Sendable { case text, integer, number, time }
    let name: String
    let kind: Kind
}

/// Orders and scores for a data team's warehouse (`guanxi export orders|scores`, the API's
/// downloads): read a page at a time by id, each page written as it is read, so neither the
/// server nor the CLI holds the whole table; the export is audited with its row count.
package struct RecordExporter: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    static let page = 1_000

    static let orderColumns: [ExportColumn] = [
        .init(name: "id", kind: .text), .init(name: "number", kind: .text), .init(name: "source", kind: .text), .init(name: "external_id", kind: .text),
        .init(name: "status", kind: .text), .init(name: "customer_id", kind: .text), .init(name: "owner_id", kind: .text), .init(name: "currency", kind: .text),
        .init(name: "total", kind: .integer), .init(name: "paid", kind: .integer), .init(name: "refunded", kind: .integer),
        .init(name: "placed_at", kind: .time), .init(name: "paid_at", kind: .time), .init(name: "shipped_at", kind: .time),
        .init(name: "delivered_at", kind: .time), .init(name: "confirmed_at", kind: .time), .init(name: "closed_at", kind: .time),
        .init(name: "updated_at", kind: .time),
    ]

    static let scoreColumns: [ExportColumn] = [
        .init(name: "customer_id", kind: .text), .init(name: "run_id", kind: .text), .init(name: "recency_days", kind: .integer),
        .init(name: "purchases", kind: .integer), .init(name: "monetary", kind: .integer), .init(name: "r", kind: .integer), .init(name: "f", kind: .integer),
        .init(name: "m", kind: .integer), .init(name: "rfm_segment", kind: .text), .init(name: "expected_purchases_90d", kind: .number),
        .init(name: "p_alive", kind: .number), .init(name: "churn_risk", kind: .text), .init(name: "clv_12m", kind: .integer),
        .init(name: "value_tier", kind: .text), .init(name: "class", kind: .text), .init(name: "scored_at", kind: .time),
    ]

    /// The orders the scope may read, oldest id first (money in minor units; times ISO 8601).
    /// NDJSON rows carry their lines too. Needs `orders.export`.
    @discardableResult
    package func orders(_ scope: Scope, format: ExportFormat, write: (Data) async throws -> Void) async throws -> Int {
        try scope.require(.orders, .export)
        let reach = try OrderStore.records.readLimit(scope)
        return try await export(scope, "orders", Self.orderColumns, format: format, write: write) { after, sql in
            var q = SQLQueryString("SELECT \(unsafeRaw: Self.orderColumns.map { "o." + $0.name }.joined(separator: ", ")) FROM orders o WHERE o.workspace_id = \(bind: scope.workspaceID)")
            if let after { q += " AND o.id > \(bind: after)" }
            q += reach
            q += " ORDER BY o.id LIMIT \(literal: Self.page)"
            return try await sql.raw(q).all()
        } extra: { rows, sql in
            let lines = try await OrderStore.lines(orderIDs: rows.map { try $0.decode(column: "id", as: String.self) }, sql: sql)
            return try rows.map { r in
                let id = try r.decode(column: "id", as: String.self)
                return ["lines": (try? JSONParser.parse(JSONCoding.encode(lines[id] ?? []))) ?? .array([])]
            }
        }
    }

    /// Every customer's scores from the last run, for the customers the scope may read. Needs
    /// `analytics.export`.
    @discardableResult
    package func scores(_ scope: Scope, format: ExportFormat, write: (Data) async throws -> Void) async throws -> Int {
        try scope.require(.analytics, .export)
        let reach = CustomerStore.readLimit(scope)
        return try await export(scope, "customer_scores", Self.scoreColumns, format: format, write: write) { after, sql in
            var q = SQLQueryString("""
                SELECT \(unsafeRaw: Self.scoreColumns.map { "s." + $0.name }.joined(separator: ", ")), s.cross_sell_json, u.currency
                FROM customer_scores s JOIN customers c ON c.id = s.customer_id JOIN score_runs u ON u.id = s.run_id
                WHERE s.workspace_id = \(bind: scope.workspaceID) AND c.deleted_at IS NULL
                """)
            if let after { q += " AND s.customer_id > \(bind: after)" }
            q += reach
            q += " ORDER BY s.customer_id LIMIT \(literal: Self.page)"
            return try await sql.raw(q).all()
        } extra: { rows, _ in
            try rows.map { r in
                ["currency": .string(try r.decode(column: "currency", as: String.self)),
                 "cross_sell": (try? JSONParser.parse(try r.decode(column: "cross_sell_json", as: String.self))) ?? .array([])]
            }
        }
    }

    /// Pages of `read` written in `format`, then one audit entry.
    private func export(_ scope: Scope, _ object: String, _ columns: [ExportColumn], format: ExportFormat, write: (Data) async throws -> Void,
                        read: @escaping @Sendable (String?, any SQLDatabase) async throws -> [any SQLRow],
                        extra: @escaping @Sendable ([any SQLRow], any SQLDatabase) async throws -> [[String: JSONValue]]) async throws -> Int {
        let key = columns[0].name
        let extraNames = ["orders": ["lines"], "customer_scores": ["currency", "cross_sell"]][object] ?? []
        if format == .csv {
            try await write(Data([0xEF, 0xBB, 0xBF]) + Data(CSVWriter.row(columns.map(\.name) + extraNames.filter { $0 != "lines" }).utf8))
        }
        var after: String?
        var count = 0
        repeat {
            let cursor = after
            let (rows, more) = try await db.read { sql -> ([any SQLRow], [[String: JSONValue]]) in
                let rows = try await read(cursor, sql)
                return (rows, try await extra(rows, sql))
            }
            var chunk = ""
            for (r, added) in zip(rows, more) {
                switch format {
                case .csv:
                    var cells = try columns.map { c in try Self.cell(r, c) }
                    for name in extraNames where name != "lines" {
                        switch added[name] {
                        case .string(let s)?: cells.append(.text(s))
                        case .array(let a)?: cells.append(.text(a.compactMap(\.stringValue).joined(separator: ";")))
                        default: cells.append(.text(""))
                        }
                    }
                    chunk += CSVWriter.row(cells: cells)
                case .ndjson:
                    var o: [String: JSONValue] = [:]
                    for c in columns { o[c.name] = try Self.json(r, c) }
                    o.merge(added) { a, _ in a }
                    chunk += JSONCoding.encode(JSONValue.object(o)) + "\n"
                }
            }
            count += rows.count
            if !chunk.isEmpty { try await write(Data(chunk.utf8)) }
            after = try rows.last.map { try $0.decode(column: key, as: String.self) }
            if rows.count < Self.page { after = nil }
        } while after != nil
        let now = clock.now()
        try await db.write(scope, at: now) { [count] tx in
            try await tx.audit("export", object, nil, detail: ["rows": .number(Double(count)), "format": .string(format.rawValue)])
        }
        return count
    }

    static func cell(_ r: any SQLRow, _ c: ExportColumn) throws -> CSVWriter.Cell {
        if try r.decodeNil(column: c.name) { return .text("") }
        switch c.kind {
        case .text: return .text(try r.decode(column: c.name, as: String.self))
        case .integer: return .number(String(try r.decode(column: c.name, as: Int64.self)))
        case .number: return .number(String(try r.decode(column: c.name, as: Double.self)))
        case .time: return .text(Timestamp.iso8601(Date(millis: try r.decode(column: c.name, as: Int64.self))))
        }
    }

    static func json(_ r: any SQLRow, _ c: ExportColumn) throws -> JSONValue {
        if try r.decodeNil(column: c.name) { return .null }
        switch c.kind {
        case .text: return .string(try r.decode(column: c.name, as: String.self))
        case .integer: return .number(Double(try r.decode(column: c.name, as: Int64.self)))
        case .number: return .number(try r.decode(column: c.name, as: Double.self))
        case .time: return .string(Timestamp.iso8601(Date(millis: try r.decode(column: c.name, as: Int64.self))))
        }
    }
}
