import Foundation
import Hummingbird
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1` access operations: who am I, roles, teams, shares, reveals, tokens and the audit log.
struct AccessAPI {
    let access: AccessStore
    let customers: CustomerStore
    let audit: AuditLog
    let pool: PublicPool

    struct Me: Encodable, Sendable {
        var userID: String?; var workspaceID: String; var role: String; var permissions: [String]; var teamIDs: [String]
        enum CodingKeys: String, CodingKey { case userID = "user_id", workspaceID = "workspace_id", role, permissions, teamIDs = "team_ids" }
    }
    struct WorkspaceEntry: Encodable, Sendable { var id: String; var name: String; var slug: String; var role: String }
    struct WorkspaceInput: Decodable { var name: String; var slug: String }
    struct RoleInput: Decodable { var name: String; var permissions: [String] }
    struct RoleAssignment: Decodable { var role: String }
    struct TeamInput: Decodable {
        var name: String; var kind: String?; var parentID: String?; var managerID: String?; var memberIDs: [String]?
        enum CodingKeys: String, CodingKey { case name, kind, parentID = "parent_id", managerID = "manager_id", memberIDs = "member_ids" }
    }
    struct ShareInput: Decodable {
        var userID: String?; var teamID: String?
        enum CodingKeys: String, CodingKey { case userID = "user_id", teamID = "team_id" }
    }
    struct TokenInput: Decodable {
        var name: String; var expiresAt: Date?; var permissions: [String]?
        enum CodingKeys: String, CodingKey { case name, expiresAt = "expires_at", permissions }
    }
    struct NewToken: Encodable, Sendable { var id: String; var token: String }
    struct HandoverInput: Decodable {
        var toUserIDs: [String]?; var toManager: Bool?; var deactivate: Bool?
        enum CodingKeys: String, CodingKey { case toUserIDs = "to_user_ids", toManager = "to_manager", deactivate }
    }

    func register(_ t: RouteTable) {
        t.on(APIRoute(method: .get, path: "/me", operationID: "me", summary: "The caller: workspace, role, permissions, teams", tag: "Access",
                      needs: .member, responseSchema: "Me")) { _, _, scope in
            .json(Me(userID: scope.userID, workspaceID: scope.workspaceID, role: scope.roleKey, permissions: scope.permissions.items,
                     teamIDs: scope.teamIDs.sorted()))
        }

        // Workspaces and members
        t.on(APIRoute(method: .get, path: "/workspaces", operationID: "listWorkspaces", summary: "The workspaces you belong to, with your role in each",
                      tag: "Access", needs: .member, responseSchema: "WorkspaceList")) { _, _, scope in
            guard let me = scope.userID else { return .json(Items<WorkspaceEntry>(items: [])) }
            return .json(Items(items: try await access.workspaces(userID: me).map { WorkspaceEntry(id: $0.workspace.id, name: $0.workspace.name,
                                                                                                    slug: $0.workspace.slug, role: $0.role) }))
        }
        t.on(APIRoute(method: .post, path: "/workspaces", operationID: "createWorkspace", summary: "Create a workspace (server administrators; you become its owner)",
                      tag: "Access", needs: .member, requestSchema: "WorkspaceInput", responseSchema: "WorkspaceEntry", status: 201, idempotent: true)) { req, _, scope in
            let i = try await APIBody.json(WorkspaceInput.self, req)
            let w = try await access.createWorkspace(scope, name: i.name, slug: i.slug)
            return .json(WorkspaceEntry(id: w.id, name: w.name, slug: w.slug, role: Role.owner.rawValue), status: .created)
        }
        t.on(APIRoute(method: .get, path: "/users", operationID: "listUsers", summary: "The workspace's members and their roles",
                      tag: "Access", needs: .can(.read, .settings), responseSchema: "MemberList")) { _, _, scope in
            .json(Items(items: try await access.members(scope)))
        }

        // Roles
        t.on(APIRoute(method: .get, path: "/roles", operationID: "listRoles", summary: "Built-in and custom roles with their permissions", tag: "Access",
                      needs: .can(.read, .settings), responseSchema: "RoleList")) { _, _, scope in
            .json(Items(items: try await access.roles(scope)))
        }
        t.on(APIRoute(method: .put, path: "/roles/{key}", operationID: "saveRole", summary: "Create or change a custom role", tag: "Access",
                      needs: .can(.update, .settings), requestSchema: "RoleInput", responseSchema: "Role", queryValues: ["key": .matching("^[a-z][a-z0-9_]{0,39}$")])) { req, ctx, scope in
            let input = try await APIBody.json(RoleInput.self, req)
            return .json(try await access.saveRole(scope, key: try ctx.parameters.require("key"), name: input.name, permissions: input.permissions))
        }
        t.on(APIRoute(method: .put, path: "/users/{id}/role", operationID: "setUserRole", summary: "Give a member another role", tag: "Access",
                      needs: .can(.update, .settings), requestSchema: "RoleAssignment", status: 204)) { req, ctx, scope in
            let input = try await APIBody.json(RoleAssignment.self, req)
            try await access.setRole(scope, userID: try ctx.parameters.require("id").lowercased(), roleKey: input.role)
            return .noContent
        }

        // Teams
        t.on(APIRoute(method: .get, path: "/teams", operationID: "listTeams", summary: "Teams and departments", tag: "Access",
                      needs: .member, responseSchema: "TeamList")) { _, _, scope in
            .json(Items(items: try await access.teams(scope)))
        }
        t.on(APIRoute(method: .post, path: "/teams", operationID: "createTeam", summary: "Create a team (with manager, parent and members)", tag: "Access",
                      needs: .can(.update, .settings), requestSchema: "TeamInput", responseSchema: "Team", status: 201, idempotent: true)) { req, _, scope in
            let i = try await APIBody.json(TeamInput.self, req)
            return .json(try await access.saveTeam(scope, name: i.name, kind: i.kind ?? "other", parentID: i.parentID, managerID: i.managerID,
                                                   memberIDs: i.memberIDs ?? []), status: .created)
        }
        t.on(APIRoute(method: .put, path: "/teams/{id}", operationID: "updateTeam", summary: "Change a team (members are replaced)", tag: "Access",
                      needs: .can(.update, .settings), requestSchema: "TeamInput", responseSchema: "Team")) { req, ctx, scope in
            let i = try await APIBody.json(TeamInput.self, req)
            return .json(try await access.saveTeam(scope, id: try ctx.parameters.require("id").lowercased(), name: i.name, kind: i.kind ?? "other",
                                                   parentID: i.parentID, managerID: i.managerID, memberIDs: i.memberIDs ?? []))
        }

        // Record sharing and personal data
        t.on(APIRoute(method: .post, path: "/customers/{id}/shares", operationID: "shareCustomer", summary: "Share a customer with a user or a team",
                      tag: "Access", needs: .can(.update, .customers), requestSchema: "ShareInput", status: 204, idempotent: true)) { req, ctx, scope in
            let i = try await APIBody.json(ShareInput.self, req)
            let id = try ctx.parameters.require("id")
            try await customers.check(scope, id: id, may: .update)
            try await access.share(scope, object: .customers, recordID: id.lowercased(), userID: i.userID?.lowercased(), teamID: i.teamID?.lowercased())
            return .noContent
        }
        t.on(APIRoute(method: .post, path: "/customers/{id}/reveal", operationID: "revealCustomer", summary: "Show a customer's personal data unmasked (audited)",
                      tag: "Access", needs: .can(.reveal, .personalData), responseSchema: "Customer")) { _, ctx, scope in
            let c = try await customers.reveal(scope, id: try ctx.parameters.require("id"))
            return .json(c, etag: c.version)
        }

        // Handover and the public pool
        t.on(APIRoute(method: .post, path: "/users/{id}/handover", operationID: "handover",
                      summary: "Move everything a user owns to other users (round-robin) or their manager; optionally deactivate them",
                      tag: "Access", needs: .can(.update, .settings), requestSchema: "HandoverInput", responseSchema: "HandoverResult")) { req, ctx, scope in
            let i = try await APIBody.json(HandoverInput.self, req)
            let target: HandoverTarget
            if i.toManager == true {
                if i.toUserIDs != nil { throw DomainError.field("to_manager", "give either to_user_ids or to_manager") }
                target = .manager
            } else {
                target = .users(i.toUserIDs ?? [])
            }
            return .json(try await access.handover(scope, from: try ctx.parameters.require("id").lowercased(), to: target, deactivate: i.deactivate ?? false))
        }
        t.on(APIRoute(method: .get, path: "/pool/rules", operationID: "getPoolRules", summary: "Public pool caps (by role) and recycling days (by tier)",
                      tag: "Public pool", needs: .can(.read, .customers), responseSchema: "PoolRules")) { _, _, scope in
            .json(try await pool.rules(scope))
        }
        t.on(APIRoute(method: .put, path: "/pool/rules", operationID: "savePoolRules", summary: "Change the public pool rules",
                      tag: "Public pool", needs: .can(.update, .settings), requestSchema: "PoolRules", responseSchema: "PoolRules")) { req, _, scope in
            .json(try await pool.saveRules(scope, try await APIBody.json(PoolRules.self, req)))
        }
        t.on(APIRoute(method: .post, path: "/customers/{id}/claim", operationID: "claimCustomer", summary: "Take a customer from the public pool (up to your role's cap)",
                      tag: "Public pool", needs: .can(.update, .customers), status: 204)) { _, ctx, scope in
            try await pool.claim(scope, customerID: try ctx.parameters.require("id"))
            return .noContent
        }
        t.on(APIRoute(method: .post, path: "/customers/{id}/release", operationID: "releaseCustomer", summary: "Give a customer back to the public pool",
                      tag: "Public pool", needs: .can(.update, .customers), status: 204)) { _, ctx, scope in
            try await pool.release(scope, customerID: try ctx.parameters.require("id"))
            return .noContent
        }

        // API tokens
        t.on(APIRoute(method: .get, path: "/tokens", operationID: "listTokens", summary: "Your API tokens (everyone's with settings.read); never the secrets",
                      tag: "Access", needs: .member, responseSchema: "TokenList")) { _, _, scope in
            .json(Items(items: try await access.tokens(scope)))
        }
        t.on(APIRoute(method: .post, path: "/tokens", operationID: "createToken", summary: "Issue yourself a token, optionally narrower and expiring (shown once)",
                      tag: "Access", needs: .member, requestSchema: "TokenInput", responseSchema: "NewToken", status: 201)) { req, _, scope in
            guard let me = scope.userID else { throw DomainError.forbidden("only users have tokens") }
            let i = try await APIBody.json(TokenInput.self, req)
            // A token never holds more than whoever made it (a token made by a token inherits its narrowing).
            var granted: [String]? = scope.tokenID == nil ? nil : scope.permissions.items
            if let asked = i.permissions {
                let set = try PermissionSet.parse(asked)
                guard set.intersection(scope.permissions) == set else {
                    throw DomainError.field("permissions", "a token cannot hold permissions its creator lacks")
                }
                granted = set.items
            }
            let issued = try await access.createToken(userID: me, workspaceID: scope.workspaceID, name: i.name, expiresAt: i.expiresAt,
                                                      permissions: granted)
            return .json(NewToken(id: issued.id, token: issued.secret), status: .created)
        }
        t.on(APIRoute(method: .delete, path: "/tokens/{id}", operationID: "revokeToken", summary: "Revoke a token", tag: "Access",
                      needs: .member, status: 204, ifMatch: false)) { _, ctx, scope in
            try await access.revokeToken(scope, id: try ctx.parameters.require("id").lowercased())
            return .noContent
        }

        // Audit
        t.on(APIRoute(method: .get, path: "/audit", operationID: "listAudit", summary: "Audit entries, newest first, by actor, object, record and time",
                      tag: "Audit", needs: .can(.read, .audit), query: ["actor_id", "object", "object_id", "from", "to", "cursor", "limit"],
                      responseSchema: "AuditPage", queryValues: ["from": .dateTime, "to": .dateTime, "actor_id": .text, "object_id": .text])) { req, _, scope in
            var e = FieldErrors()
            func date(_ name: String) -> Date? {
                guard let v = req.query(name) else { return nil }
                if let d = Timestamp.parse(v) { return d }
                e.add(name, "must be an ISO 8601 date-time"); return nil
            }
            let from = date("from"), to = date("to")
            var before: Int64?
            if let c = req.query("cursor") { if let n = Int64(c), n > 0 { before = n } else { e.add("cursor", "is not a cursor this server issued") } }
            try e.throwIfAny()
            return .json(try await audit.list(scope, actorUserID: req.query("actor_id"), object: req.query("object"), objectID: req.query("object_id"),
                                              from: from, to: to, before: before, limit: try APIPaging.limit(req, default: 50)))
        }
        t.on(APIRoute(method: .get, path: "/audit/verify", operationID: "verifyAudit", summary: "Recompute the workspace's audit hash chain",
                      tag: "Audit", needs: .can(.read, .audit), responseSchema: "AuditVerification")) { _, _, scope in
            .json(try await audit.verify(workspaceID: scope.workspaceID).first
                  ?? AuditLog.Verification(workspaceID: scope.workspaceID, entries: 0, ok: true))
        }
    }
}
