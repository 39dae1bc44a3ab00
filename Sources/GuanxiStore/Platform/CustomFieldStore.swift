import Foundation
import SQLKit
import GuanxiCore

/// Custom field definitions per workspace.
package struct CustomFieldStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    /// The workspace's definitions, of one kind of record or (nil) all.
    package func list(_ scope: Scope, for target: CustomFieldTarget? = nil) async throws -> [CustomFieldDefinition] {
        try await db.read { try await Self.definitions(scope.workspaceID, for: target, sql: $0) }
    }

    static func definitions(_ workspaceID: String, for target: CustomFieldTarget? = .customers, sql: any SQLDatabase) async throws -> [CustomFieldDefinition] {
        var q = SQLQueryString("""
            SELECT key, label, type, options_json, required, sensitive, applies_to, version FROM custom_field_defs
            WHERE workspace_id = \(bind: workspaceID)
            """)
        if let target { q += " AND applies_to = \(bind: target.rawValue)" }
        q += " ORDER BY position, key"
        return try await sql.raw(q).all().map { r in
            CustomFieldDefinition(
                key: try r.decode(column: "key", as: String.self), label: try r.decode(column: "label", as: String.self),
                type: CustomFieldType(rawValue: try r.decode(column: "type", as: String.self)) ?? .text,
                options: JSONCoding.decode([String].self, try r.decode(column: "options_json", as: String.self)) ?? [],
                required: try r.decode(column: "required", as: Int.self) != 0,
                sensitive: try r.decode(column: "sensitive", as: Int.self) != 0,
                appliesTo: CustomFieldTarget(rawValue: try r.decode(column: "applies_to", as: String.self)) ?? .customers,
                version: try r.decode(column: "version", as: Int.self))
        }
    }

    package func create(_ scope: Scope, _ def: CustomFieldDefinition) async throws -> CustomFieldDefinition {
        try scope.require(.settings, .update)
        try def.validateDefinition()
        let d = { var d = def; d.version = 1; return d }()
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            if try await sql.raw("SELECT 1 AS x FROM custom_field_defs WHERE workspace_id = \(bind: scope.workspaceID) AND key = \(bind: d.key)").first() != nil {
                throw DomainError.duplicate(field: "key", existingID: d.key, message: "a custom field '\(d.key)' already exists")
            }
            let pos = try await sql.raw("SELECT COUNT(*) AS n FROM custom_field_defs WHERE workspace_id = \(bind: scope.workspaceID)").first()!.decode(column: "n", as: Int.self)
            try await sql.raw("""
                INSERT INTO custom_field_defs (workspace_id, key, label, type, options_json, required, sensitive, applies_to, position, version, created_at)
                VALUES (\(bind: scope.workspaceID), \(bind: d.key), \(bind: d.label), \(bind: d.type.rawValue), \(bind: JSONCoding.encode(d.options)),
                        \(bind: d.required ? 1 : 0), \(bind: d.sensitive ? 1 : 0), \(bind: d.appliesTo.rawValue), \(bind: pos), 1, \(bind: now.millis))
                """).run()
            try await tx.audit("create", "custom_fields", d.key, detail: AuditDetail.encoded(d))
            return d
        }
    }

    package func delete(_ scope: Scope, key: String) async throws {
        try scope.require(.settings, .update)
        try await db.write(scope, at: clock.now()) { tx in
            let gone = try await tx.sql.raw("DELETE FROM custom_field_defs WHERE workspace_id = \(bind: scope.workspaceID) AND key = \(bind: key) RETURNING key").first()
            if gone == nil { throw DomainError.notFound("custom field") }
            try await tx.audit("delete", "custom_fields", key)
        }
    }
}
