import Foundation
import SQLKit
import GuanxiCore

/// The customers whose purchases changed since the scores last read them (`score_changes`,
/// M033). Every write that can change what an order counts for — placing it, importing it, paying,
/// refunding, returning, cancelling, shipping, confirming — notes its customer here inside its
/// own transaction, so the note exists exactly when the change does.
package enum ScoreChanges {
    /// Notes `customers` as changed (a fresh mark each, so a run that read an older mark leaves this one).
    package static func note(_ customers: some Sequence<String>, tx: Tx) async throws {
        let ids = Set(customers).sorted()
        guard !ids.isEmpty else { return }
        let (w, at) = (tx.scope.workspaceID, tx.now.millis)
        _ = try await BulkSQL.insert("score_changes", "workspace_id, customer_id, mark, changed_at", ids.map { id -> [any Encodable & Sendable] in
            [w, id, ID.make(at: tx.now), at]
        }, suffix: "ON CONFLICT (workspace_id, customer_id) DO UPDATE SET mark = excluded.mark, changed_at = excluded.changed_at", sql: tx.sql)
    }

    /// The changed customers and their marks, as a run reads them before the orders.
    static func read(_ workspaceID: String, sql: any SQLDatabase) async throws -> [String: String] {
        var out: [String: String] = [:]
        for r in try await sql.raw("SELECT customer_id, mark FROM score_changes WHERE workspace_id = \(bind: workspaceID)").all() {
            out[try r.decode(column: "customer_id", as: String.self)] = try r.decode(column: "mark", as: String.self)
        }
        return out
    }

    /// Forgets the changes a run read (only those marks: a later change keeps its row). Each slice
    /// names its customers in an `IN` list, so the rows are found by the key: with the pairs only
    /// OR-ed together SQLite read every note of the workspace for every slice (a full run after a
    /// million-customer import spent over twenty minutes here).
    static func clear(_ workspaceID: String, _ read: [String: String], sql: any SQLDatabase) async throws {
        for chunk in read.sorted(by: { $0.key < $1.key }).chunked(400) {
            var q: SQLQueryString = "DELETE FROM score_changes WHERE workspace_id = \(bind: workspaceID) AND customer_id IN (\(binds: chunk.map(\.key)))"
            q += " AND (customer_id, mark) IN (VALUES "
            for (i, (c, m)) in chunk.enumerated() { q += "\(unsafeRaw: i == 0 ? "" : ", ")(\(bind: c), \(bind: m))" }
            q += ")"
            try await sql.raw(q).run()
        }
    }
}
