import Foundation
import SQLKit
import GuanxiCore

/// A service agent as routing sees them: their departments, skills and open tickets.
package struct ServiceAgent: Sendable, Encodable, Equatable {
    package var id: String
    package var name: String
    package var teamIDs: [String]
    package var skills: [String]
    package var openTickets: Int
    enum CodingKeys: String, CodingKey { case id, name, skills, teamIDs = "team_ids", openTickets = "open_tickets" }
}

/// The workspace's ordered routing rules and its agents' skills (administrators change them), and
/// routing itself: a ticket opened without a department or assignee gets both from the first rule
/// that matches (`TicketRouter` decides; this store reads and writes).
package struct RoutingStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    // MARK: Rules

    package func rules(_ scope: Scope) async throws -> [RoutingRule] {
        try scope.require(.settings, .read)
        return try await db.read { try await Self.rules(scope.workspaceID, sql: $0) }
    }

    static func rules(_ workspaceID: String, sql: any SQLDatabase) async throws -> [RoutingRule] {
        try await sql.raw("""
            SELECT id, name, position, active, conditions_json, team_id, strategy, version FROM routing_rules
            WHERE workspace_id = \(bind: workspaceID) ORDER BY position, id
            """).all().map { r in
            RoutingRule(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                        position: try r.decode(column: "position", as: Int.self), active: try r.decode(column: "active", as: Int.self) != 0,
                        conditions: (try? JSONDecoder().decode(RoutingConditions.self, from: Data(try r.decode(column: "conditions_json", as: String.self).utf8)))
                            ?? RoutingConditions(),
                        teamID: try r.decode(column: "team_id", as: String.self),
                        strategy: RoutingStrategy(rawValue: try r.decode(column: "strategy", as: String.self)) ?? .leastLoaded,
                        version: try r.decode(column: "version", as: Int.self))
        }
    }

    /// Creates a rule (a new id) or, with `id`, changes one (If-Match: `ifVersion`).
    package func save(_ scope: Scope, _ rule: RoutingRule, id: String? = nil, ifVersion: Int? = nil) async throws -> RoutingRule {
        try requireSettings(scope)
        let valid = try rule.validated()
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            var r = valid
            // another workspace's rule is not found, whatever the change says
            let current: Int? = if let id {
                try await tx.sql.raw("""
                    SELECT version FROM routing_rules WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: scope.workspaceID)
                    """).first()?.decode(column: "version", as: Int.self)
            } else { nil }
            if let id, !ID.isValid(id) || current == nil { throw DomainError.notFound("routing rule") }
            try await TicketStore.requireTeam(r.teamID, scope.workspaceID, sql: tx.sql)
            if let id, let v = current {
                if let ifVersion, ifVersion != v { throw DomainError.staleVersion(current: v) }
                r.id = id.lowercased(); r.version = v + 1
                try await tx.sql.raw("""
                    UPDATE routing_rules SET name = \(bind: r.name), position = \(bind: r.position), active = \(bind: r.active ? 1 : 0),
                      conditions_json = \(bind: JSONCoding.encode(r.conditions)), team_id = \(bind: r.teamID), strategy = \(bind: r.strategy.rawValue),
                      version = \(bind: r.version), updated_at = \(bind: now.millis)
                    WHERE id = \(bind: r.id)
                    """).run()
            } else {
                r.id = ID.make(at: now); r.version = 1
                try await tx.sql.raw("""
                    INSERT INTO routing_rules (id, workspace_id, name, position, active, conditions_json, team_id, strategy, turn, version,
                      created_at, updated_at)
                    VALUES (\(bind: r.id), \(bind: scope.workspaceID), \(bind: r.name), \(bind: r.position), \(bind: r.active ? 1 : 0),
                      \(bind: JSONCoding.encode(r.conditions)), \(bind: r.teamID), \(bind: r.strategy.rawValue), 0, 1, \(bind: now.millis),
                      \(bind: now.millis))
                    """).run()
            }
            try await tx.audit(id == nil ? "create" : "update", "routing_rules", r.id, detail: AuditDetail.encoded(r))
            return r
        }
    }

    package func delete(_ scope: Scope, id: String) async throws {
        try requireSettings(scope)
        try await db.write(scope, at: clock.now()) { tx in
            guard ID.isValid(id), try await tx.sql.raw("""
                SELECT 1 AS x FROM routing_rules WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: scope.workspaceID)
                """).first() != nil else { throw DomainError.notFound("routing rule") }
            try await tx.sql.raw("DELETE FROM routing_rules WHERE id = \(bind: id.lowercased())").run()
            try await tx.audit("delete", "routing_rules", id.lowercased())
        }
    }

    // MARK: Agents

    /// The workspace's active members with their departments, skills and open tickets.
    package func agents(_ scope: Scope) async throws -> [ServiceAgent] {
        try scope.require(.settings, .read)
        return try await db.read { sql in
            let ws = scope.workspaceID
            var teams: [String: [String]] = [:]
            for r in try await sql.raw("SELECT team_id, user_id FROM team_members WHERE workspace_id = \(bind: ws) ORDER BY team_id").all() {
                teams[try r.decode(column: "user_id", as: String.self), default: []].append(try r.decode(column: "team_id", as: String.self))
            }
            let members = try await sql.raw("""
                SELECT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.workspace_id = \(bind: ws) AND m.deactivated_at IS NULL AND u.is_active = 1 ORDER BY u.name, u.id
                """).all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self)) }
            let ids = members.map(\.0)
            let skills = try await Self.skills(ids, ws, sql: sql), load = try await Self.loads(ids, ws, sql: sql)
            return members.map { id, name in
                ServiceAgent(id: id, name: name, teamIDs: teams[id] ?? [], skills: skills[id] ?? [], openTickets: load[id] ?? 0)
            }
        }
    }

    /// Replaces a member's skills.
    package func saveSkills(_ scope: Scope, userID raw: String, skills: [String]) async throws -> [String] {
        try requireSettings(scope)
        let list = try TicketRouter.skills(skills)
        let now = clock.now(), userID = raw.lowercased()
        try await db.write(scope, at: now) { tx in
            guard ID.isValid(userID), try await AccessStore.activeMember(userID, scope.workspaceID, sql: tx.sql) else {
                throw DomainError.notFound("user")
            }
            try await tx.sql.raw("""
                INSERT INTO agent_skills (workspace_id, user_id, skills, updated_at)
                VALUES (\(bind: scope.workspaceID), \(bind: userID), \(bind: list.joined(separator: "\n")), \(bind: now.millis))
                ON CONFLICT (workspace_id, user_id) DO UPDATE SET skills = excluded.skills, updated_at = excluded.updated_at
                """).run()
            try await tx.audit("skills", "users", userID, detail: .array(list.map(JSONValue.string)))
        }
        return list
    }

    static func skills(_ users: [String], _ workspaceID: String, sql: any SQLDatabase) async throws -> [String: [String]] {
        guard !users.isEmpty else { return [:] }
        var out: [String: [String]] = [:]
        for r in try await sql.raw("""
            SELECT user_id, skills FROM agent_skills WHERE workspace_id = \(bind: workspaceID) AND user_id IN (\(binds: users))
            """).all() {
            let s = try r.decode(column: "skills", as: String.self)
            out[try r.decode(column: "user_id", as: String.self)] = s.isEmpty ? [] : s.split(separator: "\n").map(String.init)
        }
        return out
    }

    /// Open tickets (not resolved or closed) per user.
    static func loads(_ users: [String], _ workspaceID: String, sql: any SQLDatabase) async throws -> [String: Int] {
        guard !users.isEmpty else { return [:] }
        let open = TicketStatus.allCases.filter { !$0.isDone }.map(\.rawValue)
        var out: [String: Int] = [:]
        for r in try await sql.raw("""
            SELECT assignee_id, COUNT(*) AS n FROM tickets WHERE workspace_id = \(bind: workspaceID) AND assignee_id IN (\(binds: users))
              AND status IN (\(binds: open)) GROUP BY assignee_id
            """).all() {
            out[try r.decode(column: "assignee_id", as: String.self)] = try r.decode(column: "n", as: Int.self)
        }
        return out
    }

    private func requireSettings(_ scope: Scope) throws {
        guard scope.level(.settings, .update) != nil else { throw DomainError.forbidden("only administrators change service settings") }
    }

    // MARK: Routing

    /// The first matching rule's department and the agent its strategy picks, inside the opening
    /// ticket's transaction (a round-robin rule's cursor moves on). Nil when no rule matches.
    static func route(_ facts: RoutingFacts, workspaceID: String, sql: any SQLDatabase) async throws -> (rule: RoutingRule, assigneeID: String?)? {
        guard let rule = TicketRouter.rule(for: facts, in: try await rules(workspaceID, sql: sql)) else { return nil }
        let members = try await AssignmentRuleStore.activeMembers(team: rule.teamID, workspaceID, sql: sql)
        guard !members.isEmpty else { return (rule, nil) }
        var turn: Int64 = 0
        var candidates = members.map { RoutingCandidate(userID: $0) }
        switch rule.strategy {
        case .roundRobin:
            // the cursor is read and moved in one statement, so two tickets opened at once take two turns
            turn = try await sql.raw("UPDATE routing_rules SET turn = turn + 1 WHERE id = \(bind: rule.id) RETURNING turn")
                .first()!.decode(column: "turn", as: Int64.self) - 1
        case .leastLoaded, .skill:
            let load = try await loads(members, workspaceID, sql: sql)
            let skills = rule.strategy == .skill ? try await Self.skills(members, workspaceID, sql: sql) : [:]
            candidates = members.map { RoutingCandidate(userID: $0, skills: skills[$0] ?? [], load: load[$0] ?? 0) }
        }
        return (rule, TicketRouter.agent(rule, facts: facts, candidates: candidates, turn: turn))
    }

    /// The SKU and name of the ticket's product and those of its order's lines (what product conditions and skills match).
    static func products(orderID: String?, productID: String? = nil, _ workspaceID: String, sql: any SQLDatabase) async throws -> [String] {
        var out: [String] = []
        if let productID, ID.isValid(productID) {
            out += try await sql.raw("""
                SELECT sku, name FROM products WHERE workspace_id = \(bind: workspaceID) AND id = \(bind: productID.lowercased())
                """).all().flatMap { r in [try r.decode(column: "sku", as: String.self), try r.decode(column: "name", as: String.self)] }
        }
        guard let orderID, ID.isValid(orderID) else { return out }
        return out + (try await sql.raw("""
            SELECT sku, name FROM order_lines WHERE workspace_id = \(bind: workspaceID) AND order_id = \(bind: orderID.lowercased()) ORDER BY position
            """).all().flatMap { r in [try r.decode(column: "sku", as: String?.self), try r.decode(column: "name", as: String.self)].compactMap { $0 } })
    }
}
