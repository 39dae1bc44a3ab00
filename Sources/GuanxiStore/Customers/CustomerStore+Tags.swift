import Foundation
import SQLKit
import GuanxiCore

package struct TagRename: Codable, Sendable, Equatable {
    /// Customers now carrying the new name instead of the old one.
    package var changed: Int
    /// Customers with the old tag the user may not change (they keep it).
    package var skipped: Int
}

extension CustomerStore {
    /// Renames a tag on every customer that has it; when the new name is already in use the two
    /// tags merge. Each customer changes through `update`, so reach, versions, the timeline and
    /// the audit log treat it exactly like an edit by hand.
    package func renameTag(_ scope: Scope, from: String, to: String) async throws -> TagRename {
        guard scope.level(.settings, .update) != nil else { throw DomainError.forbidden("renaming tags needs the settings permission") }
        let from = Text.clean(from), to = Text.clean(to)
        var errors = FieldErrors()
        if from.isEmpty { errors.add("from", "is required") }
        if to.isEmpty { errors.add("to", "is required") }
        if to.count > 50 { errors.add("to", "a tag is longer than 50 characters") }
        try errors.throwIfAny()
        var result = TagRename(changed: 0, skipped: 0)
        guard from != to else { return result }
        var after = ""
        while true {
            let start = after
            let ids = try await db.read { sql in
                try await sql.raw("""
                    SELECT customer_id FROM customer_tags WHERE workspace_id = \(bind: scope.workspaceID) AND tag = \(bind: from)
                    AND customer_id > \(bind: start) ORDER BY customer_id LIMIT 500
                    """).all().map { try $0.decode(column: "customer_id", as: String.self) }
            }
            guard let last = ids.last else { return result }
            after = last
            for id in ids {
                do {
                    _ = try await update(scope, id: id, ifVersion: nil) { c in
                        var d = CustomerDraft(); d.tags = c.tags.map { $0 == from ? to : $0 }; return d
                    }
                    result.changed += 1
                } catch DomainError.notFound, DomainError.forbidden {
                    result.skipped += 1
                }
            }
        }
    }
}
