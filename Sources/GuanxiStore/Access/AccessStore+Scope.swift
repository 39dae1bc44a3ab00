import Foundation
import SQLKit
import GuanxiCore

package struct Team: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    /// sales, service, marketing, logistics, product, other — free text, used for display.
    package var kind: String
    package var parentID: String?
    package var managerID: String?
    package var memberIDs: [String]
    enum CodingKeys: String, CodingKey { case id, name, kind, parentID = "parent_id", managerID = "manager_id", memberIDs = "member_ids" }
}

package struct RoleDefinition: Codable, Sendable, Equatable {
    package var key: String
    package var name: String
    package var builtIn: Bool
    package var permissions: [String]
    enum CodingKeys: String, CodingKey { case key, name, builtIn = "built_in", permissions }
}

extension AccessStore {
    /// What a member may do in a workspace: their role's grants (narrowed by a token's own list),
    /// their teams, everyone in those teams and everyone in the teams below. nil when the user is
    /// not an active member.
    package func scope(userID: String, workspaceID: String, tokenID: String? = nil,
                      tokenPermissions: PermissionSet? = nil) async throws -> Scope? {
        try await db.read { sql in try await Self.scope(userID: userID, workspaceID: workspaceID, tokenID: tokenID,
                                                       tokenPermissions: tokenPermissions, sql: sql) }
    }

    static func scope(userID: String, workspaceID: String, tokenID: String?, tokenPermissions: PermissionSet?,
                      sql: any SQLDatabase) async throws -> Scope? {
        guard let m = try await sql.raw("""
            SELECT m.role, u.is_active, u.is_server_admin FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = \(bind: workspaceID) AND m.user_id = \(bind: userID) AND m.deactivated_at IS NULL
            """).first(), try m.decode(column: "is_active", as: Int.self) != 0 else { return nil }
        let roleKey = try m.decode(column: "role", as: String.self)
        var permissions = try await rolePermissions(roleKey, workspaceID: workspaceID, sql: sql) ?? PermissionSet()
        if let t = tokenPermissions { permissions = permissions.intersection(t) }
        // Teams are few per workspace: load the tree once and walk it here.
        var parent: [String: String] = [:]
        var all: [String] = []
        var managed: Set<String> = []
        for r in try await sql.raw("SELECT id, parent_id, manager_id FROM teams WHERE workspace_id = \(bind: workspaceID)").all() {
            let id = try r.decode(column: "id", as: String.self)
            all.append(id)
            if let p = try r.decode(column: "parent_id", as: String?.self) { parent[id] = p }
            if try r.decode(column: "manager_id", as: String?.self) == userID { managed.insert(id) }
        }
        var mine = managed
        for r in try await sql.raw("SELECT team_id FROM team_members WHERE workspace_id = \(bind: workspaceID) AND user_id = \(bind: userID)").all() {
            mine.insert(try r.decode(column: "team_id", as: String.self))
        }
        var below: Set<String> = []
        for t in all where !mine.contains(t) {
            var p = parent[t]
            var hops = 0
            while let q = p, hops < 64 {
                if mine.contains(q) { below.insert(t); break }
                p = parent[q]; hops += 1
            }
        }
        func members(_ teams: Set<String>) async throws -> Set<String> {
            guard !teams.isEmpty else { return [] }
            var out = Set(try await sql.raw("""
                SELECT user_id FROM team_members WHERE workspace_id = \(bind: workspaceID) AND team_id IN (\(binds: teams.sorted()))
                """).all().map { try $0.decode(column: "user_id", as: String.self) })
            for r in try await sql.raw("""
                SELECT manager_id FROM teams WHERE workspace_id = \(bind: workspaceID) AND id IN (\(binds: teams.sorted())) AND manager_id IS NOT NULL
                """).all() { out.insert(try r.decode(column: "manager_id", as: String.self)) }
            return out
        }
        var scope = Scope(workspaceID: workspaceID, userID: userID, roleKey: roleKey, permissions: permissions,
                          teamIDs: mine, teamUserIDs: try await members(mine), subtreeUserIDs: try await members(below), tokenID: tokenID)
        // A token narrowed below settings cannot create workspaces either.
        scope.serverAdmin = try m.decode(column: "is_server_admin", as: Int.self) != 0 && (tokenPermissions == nil || permissions.allows(.settings, .update))
        return scope
    }

    static func rolePermissions(_ key: String, workspaceID: String, sql: any SQLDatabase) async throws -> PermissionSet? {
        if let r = Role(rawValue: key) { return r.permissions }
        guard let row = try await sql.raw("""
            SELECT permissions_json FROM roles WHERE workspace_id = \(bind: workspaceID) AND key = \(bind: key)
            """).first() else { return nil }
        return try? PermissionSet.parse(JSONCoding.decode([String].self, try row.decode(column: "permissions_json", as: String.self)) ?? [])
    }

    // MARK: Roles

    /// Built-in roles, then the workspace's own.
    package func roles(_ scope: Scope) async throws -> [RoleDefinition] {
        try scope.require(.settings, .read)
        let custom = try await db.read { sql in
            try await sql.raw("SELECT key, name, permissions_json FROM roles WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY key").all()
        }.map { r in
            RoleDefinition(key: try r.decode(column: "key", as: String.self), name: try r.decode(column: "name", as: String.self), builtIn: false,
                           permissions: JSONCoding.decode([String].self, try r.decode(column: "permissions_json", as: String.self)) ?? [])
        }
        return Role.allCases.map { RoleDefinition(key: $0.rawValue, name: $0.rawValue, builtIn: true, permissions: $0.permissions.items) } + custom
    }

    /// Creates or replaces a custom role. Built-in keys cannot be redefined.
    package func saveRole(_ scope: Scope, key: String, name: String, permissions: [String]) async throws -> RoleDefinition {
        try scope.require(.settings, .update)
        var e = FieldErrors()
        if key.range(of: Self.roleKeyPattern, options: .regularExpression) == nil { e.add("key", "use a-z, 0-9 and _ (at most 40, starting with a letter)") }
        if Role(rawValue: key) != nil { e.add("key", "is a built-in role") }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { e.add("name", "is required") }
        try e.throwIfAny()
        let set = try PermissionSet.parse(permissions)
        let def = RoleDefinition(key: key, name: name, builtIn: false, permissions: set.items)
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let old = try await sql.raw("SELECT permissions_json FROM roles WHERE workspace_id = \(bind: scope.workspaceID) AND key = \(bind: key)").first()
            if old == nil {
                try await sql.raw("""
                    INSERT INTO roles (workspace_id, key, name, permissions_json, created_at, updated_at)
                    VALUES (\(bind: scope.workspaceID), \(bind: key), \(bind: name), \(bind: JSONCoding.encode(def.permissions)), \(bind: now.millis), \(bind: now.millis))
                    """).run()
            } else {
                try await sql.raw("""
                    UPDATE roles SET name = \(bind: name), permissions_json = \(bind: JSONCoding.encode(def.permissions)), updated_at = \(bind: now.millis)
                    WHERE workspace_id = \(bind: scope.workspaceID) AND key = \(bind: key)
                    """).run()
            }
            let before: JSONValue = try old.map { .string(try $0.decode(column: "permissions_json", as: String.self)) } ?? .null
            try await tx.audit(old == nil ? "create" : "update", "roles", key,
                               detail: ["before": before, "after": .string(JSONCoding.encode(def.permissions))])
        }
        await cache.clearEverywhere(db)
        return def
    }

    /// Gives a member another role (built-in or custom). The last owner cannot be demoted.
    /// What a role key looks like (built-in and custom).
    package static let roleKeyPattern = "^[a-z][a-z0-9_]{0,39}$"

    package func setRole(_ scope: Scope, userID: String, roleKey: String) async throws {
        try scope.require(.settings, .update)
        // Neither can name anything when malformed (and PostgreSQL refuses a NUL in text: a 500).
        guard ID.isValid(userID) else { throw DomainError.notFound("user") }
        guard roleKey.range(of: Self.roleKeyPattern, options: .regularExpression) != nil else { throw DomainError.field("role", "no such role") }
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            guard try await Self.rolePermissions(roleKey, workspaceID: scope.workspaceID, sql: sql) != nil else {
                throw DomainError.field("role", "no such role")
            }
            guard let row = try await sql.raw("""
                SELECT role FROM memberships WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: userID)
                """).first() else { throw DomainError.notFound("user") }
            let old = try row.decode(column: "role", as: String.self)
            if old == Role.owner.rawValue && roleKey != old {
                let owners = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM memberships WHERE workspace_id = \(bind: scope.workspaceID) AND role = 'owner'
                    """).first()!.decode(column: "n", as: Int.self)
                if owners <= 1 { throw DomainError.conflict("the workspace needs at least one owner") }
            }
            if roleKey == Role.owner.rawValue && scope.roleKey != Role.owner.rawValue {
                throw DomainError.forbidden("only an owner can make someone an owner")
            }
            try await sql.raw("""
                UPDATE memberships SET role = \(bind: roleKey) WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: userID)
                """).run()
            try await tx.audit("role_change", "users", userID, detail: ["before": .string(old), "after": .string(roleKey)])
        }
        await cache.clearEverywhere(db)
    }

    // MARK: Teams

    package func teams(_ scope: Scope) async throws -> [Team] {
        try await db.read { sql in
            let members = try await sql.raw("SELECT team_id, user_id FROM team_members WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY user_id").all()
            var byTeam: [String: [String]] = [:]
            for r in members { byTeam[try r.decode(column: "team_id", as: String.self), default: []].append(try r.decode(column: "user_id", as: String.self)) }
            return try await sql.raw("SELECT id, name, kind, parent_id, manager_id FROM teams WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY name, id").all().map { r in
                let id = try r.decode(column: "id", as: String.self)
                return Team(id: id, name: try r.decode(column: "name", as: String.self), kind: try r.decode(column: "kind", as: String.self),
                            parentID: try r.decode(column: "parent_id", as: String?.self), managerID: try r.decode(column: "manager_id", as: String?.self),
                            memberIDs: byTeam[id] ?? [])
            }
        }
    }

    /// Creates a team, or changes one when `id` is given. Members are replaced by `memberIDs`.
    package func saveTeam(_ scope: Scope, id: String? = nil, name: String, kind: String, parentID: String?, managerID: String?,
                         memberIDs: [String]) async throws -> Team {
        try scope.require(.settings, .update)
        var e = FieldErrors()
        if name.trimmingCharacters(in: .whitespaces).isEmpty { e.add("name", "is required") }
        try e.throwIfAny()
        let now = clock.now()
        let team = Team(id: id ?? ID.make(at: now), name: name, kind: kind.isEmpty ? "other" : kind, parentID: parentID, managerID: managerID,
                        memberIDs: Array(Set(memberIDs)).sorted())
        try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let teams = try await sql.raw("SELECT id, parent_id FROM teams WHERE workspace_id = \(bind: scope.workspaceID)").all()
            var parent: [String: String] = [:]
            var known: Set<String> = []
            for r in teams {
                let t = try r.decode(column: "id", as: String.self)
                known.insert(t)
                if let p = try r.decode(column: "parent_id", as: String?.self) { parent[t] = p }
            }
            if let id, !known.contains(id) { throw DomainError.notFound("team") }
            if let p = parentID {
                guard known.contains(p) else { throw DomainError.field("parent_id", "no such team") }
                var at: String? = p
                var hops = 0
                while let x = at, hops < 1000 {
                    if x == team.id { throw DomainError.field("parent_id", "would make the team its own ancestor") }
                    at = parent[x]; hops += 1
                }
            }
            for u in team.memberIDs + [managerID].compactMap({ $0 }) {
                let ok = try await sql.raw("SELECT 1 AS x FROM memberships WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: u)").first()
                if ok == nil { throw DomainError.field(u == managerID ? "manager_id" : "member_ids", "\(u) is not a user of this workspace") }
            }
            if id == nil {
                try await sql.raw("""
                    INSERT INTO teams (id, workspace_id, name, kind, parent_id, manager_id, created_at)
                    VALUES (\(bind: team.id), \(bind: scope.workspaceID), \(bind: team.name), \(bind: team.kind), \(bind: parentID), \(bind: managerID), \(bind: now.millis))
                    """).run()
            } else {
                try await sql.raw("""
                    UPDATE teams SET name = \(bind: team.name), kind = \(bind: team.kind), parent_id = \(bind: parentID), manager_id = \(bind: managerID)
                    WHERE id = \(bind: team.id) AND workspace_id = \(bind: scope.workspaceID)
                    """).run()
                try await sql.raw("DELETE FROM team_members WHERE team_id = \(bind: team.id) AND workspace_id = \(bind: scope.workspaceID)").run()
            }
            for u in team.memberIDs {
                try await sql.raw("""
                    INSERT INTO team_members (workspace_id, team_id, user_id, created_at) VALUES (\(bind: scope.workspaceID), \(bind: team.id), \(bind: u), \(bind: now.millis))
                    """).run()
            }
            try await tx.audit(id == nil ? "create" : "update", "teams", team.id, detail: AuditDetail.encoded(team))
        }
        await cache.clearEverywhere(db)
        return team
    }

    // MARK: Shares

    /// Shares a record with a user or a team: they may read and change it as if it were theirs.
    package func share(_ scope: Scope, object: AccessObject, recordID: String, userID: String?, teamID: String?) async throws {
        guard (userID == nil) != (teamID == nil) else { throw DomainError.field("user_id", "give either user_id or team_id") }
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            if let u = userID, try await sql.raw("SELECT 1 AS x FROM memberships WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: u)").first() == nil {
                throw DomainError.field("user_id", "is not a user of this workspace")
            }
            if let t = teamID, try await sql.raw("SELECT 1 AS x FROM teams WHERE workspace_id = \(bind: scope.workspaceID) AND id = \(bind: t)").first() == nil {
                throw DomainError.field("team_id", "no such team")
            }
            try await sql.raw("""
                INSERT INTO record_shares (workspace_id, object, record_id, user_id, team_id, created_by, created_at)
                VALUES (\(bind: scope.workspaceID), \(bind: object.rawValue), \(bind: recordID), \(bind: userID), \(bind: teamID), \(bind: scope.userID), \(bind: now.millis))
                """).run()
            try await tx.audit("share", object.rawValue, recordID, detail: ["user_id": userID.map(JSONValue.string) ?? .null,
                                                                          "team_id": teamID.map(JSONValue.string) ?? .null])
        }
    }

    /// True when the record is shared with the acting user or one of their teams.
    package static func isShared(_ scope: Scope, object: AccessObject, recordID: String, sql: any SQLDatabase) async throws -> Bool {
        guard let me = scope.userID else { return false }
        var q = SQLQueryString("""
            SELECT 1 AS x FROM record_shares WHERE workspace_id = \(bind: scope.workspaceID) AND object = \(bind: object.rawValue)
            AND record_id = \(bind: recordID) AND (user_id = \(bind: me)
            """)
        if !scope.teamIDs.isEmpty { q += " OR team_id IN (\(binds: scope.teamIDs.sorted()))" }
        q += ") LIMIT 1"
        return try await sql.raw(q).first() != nil
    }

    /// SQL that limits `alias`'s rows to what the scope may read (owner within reach, unowned, or shared); empty for `.all`.
    package static func readLimit(_ scope: Scope, object: AccessObject, level: AccessLevel, alias: String) -> SQLQueryString {
        guard let owners = scope.ownerLimit(level) else { return SQLQueryString("") }
        var q = SQLQueryString(" AND (\(unsafeRaw: alias).owner_id IS NULL")
        if !owners.isEmpty { q += " OR \(unsafeRaw: alias).owner_id IN (\(binds: owners.sorted()))" }
        if let me = scope.userID {
            q += " OR \(unsafeRaw: alias).id IN (SELECT record_id FROM record_shares WHERE workspace_id = \(bind: scope.workspaceID) AND object = \(bind: object.rawValue) AND (user_id = \(bind: me)"
            if !scope.teamIDs.isEmpty { q += " OR team_id IN (\(binds: scope.teamIDs.sorted()))" }
            q += "))"
        }
        q += ")"
        return q
    }
}
