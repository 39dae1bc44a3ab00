import Foundation
import SQLKit
import GuanxiCore

/// A named set of list filters a user keeps ("华东 VIP 线索").
package struct SavedView: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    /// The list's query string, only the filter parameters (`stage=lead&tag=VIP`).
    package var query: String
}

package struct SavedViewStore: Sendable {
    let db: Database
    package init(db: Database) { self.db = db }

    package static let parameters = ["q", "stage", "tier", "tag", "source", "owner_id", "sort"]

    package func list(_ scope: Scope) async throws -> [SavedView] {
        guard let me = scope.userID else { return [] }
        return try await db.read { sql in
            try await sql.raw("""
                SELECT id, name, query FROM saved_views WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: me) ORDER BY name
                """).all().map { SavedView(id: try $0.decode(column: "id", as: String.self), name: try $0.decode(column: "name", as: String.self),
                                           query: try $0.decode(column: "query", as: String.self)) }
        }
    }

    /// Keeps only the filter parameters of `query`; a view of the same name is replaced.
    package func save(_ scope: Scope, name: String, query: [URLQueryItem]) async throws -> SavedView {
        guard let me = scope.userID else { throw DomainError.forbidden("only users keep views") }
        let name = Text.clean(name)
        if name.isEmpty { throw DomainError.field("name", "is required") }
        if name.count > 60 { throw DomainError.field("name", "must be at most 60 characters") }
        var comps = URLComponents()
        comps.queryItems = query.filter { Self.parameters.contains($0.name) && !($0.value ?? "").isEmpty }
        let view = SavedView(id: ID.make(), name: name, query: comps.percentEncodedQuery ?? "")
        try await db.write { sql in
            try await sql.raw("DELETE FROM saved_views WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: me) AND name = \(bind: name)").run()
            try await sql.raw("""
                INSERT INTO saved_views (id, workspace_id, user_id, name, query, created_at)
                VALUES (\(bind: view.id), \(bind: scope.workspaceID), \(bind: me), \(bind: name), \(bind: view.query), \(bind: Date().millis))
                """).run()
        }
        return view
    }

    package func delete(_ scope: Scope, id: String) async throws {
        guard let me = scope.userID else { return }
        try await db.write { sql in
            try await sql.raw("DELETE FROM saved_views WHERE id = \(bind: id) AND workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: me)").run()
        }
    }
}
