import Foundation
import SQLKit
import GuanxiCore

/// The workspace's ordered lead-assignment rules (settings.update to change them).
package struct AssignmentRuleStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    static func rules(_ workspaceID: String, sql: any SQLDatabase) async throws -> [AssignmentRule] {
        try await sql.raw("""
            SELECT id, name, position, active, conditions_json, method, team_id, user_id, response_minutes, version
            FROM assignment_rules WHERE workspace_id = \(bind: workspaceID) ORDER BY position, id
            """).all().map { r in
            AssignmentRule(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                           position: try r.decode(column: "position", as: Int.self), active: try r.decode(column: "active", as: Int.self) != 0,
                           conditions: LeadConditions(json: (try? JSONParser.parse(try r.decode(column: "conditions_json", as: String.self))) ?? .null),
                           method: AssignmentMethod(rawValue: try r.decode(column: "method", as: String.self)) ?? .pool,
                           teamID: try r.decode(column: "team_id", as: String?.self), userID: try r.decode(column: "user_id", as: String?.self),
                           responseMinutes: try r.decode(column: "response_minutes", as: Int?.self), version: try r.decode(column: "version", as: Int.self))
        }
    }

    /// Active members of a team, the people round-robin and least-loaded choose among.
    static func activeMembers(team: String, _ workspaceID: String, sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("""
            SELECT tm.user_id FROM team_members tm JOIN memberships m ON m.workspace_id = tm.workspace_id AND m.user_id = tm.user_id
            JOIN users u ON u.id = tm.user_id
            WHERE tm.workspace_id = \(bind: workspaceID) AND tm.team_id = \(bind: team) AND m.deactivated_at IS NULL AND u.is_active = 1
            ORDER BY tm.user_id
            """).all().map { try $0.decode(column: "user_id", as: String.self) }
    }

    package func list(_ scope: Scope) async throws -> [AssignmentRule] {
        _ = try scope.require(.leads, .read)
        return try await db.read { try await Self.rules(scope.workspaceID, sql: $0) }
    }

    /// Creates (id nil) or replaces a rule; its team or user must belong to the workspace.
    package func save(_ scope: Scope, _ rule: AssignmentRule) async throws -> AssignmentRule {
        _ = try scope.require(.settings, .update)
        try rule.validate()
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            var r = rule
            r.name = Text.clean(r.name)
            if let t = r.teamID {
                guard try await sql.raw("SELECT 1 AS x FROM teams WHERE id = \(bind: t) AND workspace_id = \(bind: scope.workspaceID)").first() != nil else {
                    throw DomainError.field("team_id", "no such team")
                }
            }
            if let u = r.userID, r.method == .user, !(try await AccessStore.activeMember(u, scope.workspaceID, sql: sql)) {
                throw DomainError.field("user_id", "\(u) is not an active user of this workspace")
            }
            let existing = try await sql.raw("SELECT version FROM assignment_rules WHERE id = \(bind: r.id) AND workspace_id = \(bind: scope.workspaceID)")
                .first()?.decode(column: "version", as: Int.self)
            let conditions = JSONCoding.encode(r.conditions)
            if let v = existing {
                r.version = v + 1
                try await sql.raw("""
                    UPDATE assignment_rules SET name = \(bind: r.name), position = \(bind: r.position), active = \(bind: r.active ? 1 : 0),
                      conditions_json = \(bind: conditions), method = \(bind: r.method.rawValue), team_id = \(bind: r.teamID), user_id = \(bind: r.userID),
                      response_minutes = \(bind: r.responseMinutes), version = \(bind: r.version), updated_at = \(bind: now.millis)
                    WHERE id = \(bind: r.id)
                    """).run()
            } else {
                r.version = 1
                try await sql.raw("""
                    INSERT INTO assignment_rules (id, workspace_id, name, position, active, conditions_json, method, team_id, user_id,
                      response_minutes, turn, version, created_at, updated_at)
                    VALUES (\(bind: r.id), \(bind: scope.workspaceID), \(bind: r.name), \(bind: r.position), \(bind: r.active ? 1 : 0),
                      \(bind: conditions), \(bind: r.method.rawValue), \(bind: r.teamID), \(bind: r.userID), \(bind: r.responseMinutes), 0, 1,
                      \(bind: now.millis), \(bind: now.millis))
                    """).run()
            }
            try await tx.audit(existing == nil ? "create" : "update", "assignment_rules", r.id, detail: AuditDetail.encoded(r))
            return r
        }
    }

    package func delete(_ scope: Scope, id: String) async throws {
        _ = try scope.require(.settings, .update)
        try await db.write(scope, at: clock.now()) { tx in
            guard try await tx.sql.raw("SELECT 1 AS x FROM assignment_rules WHERE id = \(bind: id) AND workspace_id = \(bind: scope.workspaceID)").first() != nil else {
                throw DomainError.notFound("assignment rule")
            }
            try await tx.sql.raw("DELETE FROM assignment_rules WHERE id = \(bind: id)").run()
            try await tx.audit("delete", "assignment_rules", id)
        }
    }
}
