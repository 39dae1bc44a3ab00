/// Who is acting and in which workspace, with what they may do. Every store call takes one;
/// there is no global tenant. Built once per request from the token or session (and cached).
package struct Scope: Sendable, Equatable {
    package var workspaceID: String
    /// nil for system work (CLI maintenance, background jobs).
    package var userID: String?
    /// A built-in role's raw value or a custom role's key.
    package var roleKey: String
    package var permissions: PermissionSet
    /// The teams the user belongs to (for shares made to a team).
    package var teamIDs: Set<String>
    /// Everyone in the user's teams, the user included ("team" level).
    package var teamUserIDs: Set<String>
    /// Everyone in the user's teams and every team below them ("team and below" level).
    package var subtreeUserIDs: Set<String>
    /// Set when the request came with an API token (the audit log names it).
    package var tokenID: String?
    /// May create workspaces (installation-wide, not a workspace role).
    package var serverAdmin = false

    package init(workspaceID: String, userID: String?, roleKey: String, permissions: PermissionSet,
                teamIDs: Set<String> = [], teamUserIDs: Set<String> = [], subtreeUserIDs: Set<String> = [], tokenID: String? = nil) {
        self.workspaceID = workspaceID; self.userID = userID; self.roleKey = roleKey; self.permissions = permissions
        self.teamIDs = teamIDs; self.teamUserIDs = teamUserIDs; self.subtreeUserIDs = subtreeUserIDs; self.tokenID = tokenID
    }

    /// A scope with a built-in role and no teams (CLI, tests).
    package init(workspaceID: String, userID: String?, role: Role) {
        self.init(workspaceID: workspaceID, userID: userID, roleKey: role.rawValue, permissions: role.permissions)
    }

    package func level(_ o: AccessObject, _ a: AccessAction) -> AccessLevel? { permissions.level(o, a) }

    /// The level granted, or `.forbidden` saying what is missing.
    @discardableResult
    package func require(_ o: AccessObject, _ a: AccessAction) throws(DomainError) -> AccessLevel {
        guard let l = level(o, a) else { throw DomainError.forbidden("your role may not \(a.rawValue) \(o.rawValue.replacingOccurrences(of: "_", with: " "))") }
        return l
    }

    /// True when a grant at `level` reaches the record.
    package func covers(_ level: AccessLevel, _ r: RecordAccess) -> Bool {
        if level == .all || r.shared { return true }
        guard let owner = r.ownerID, let me = userID else { return false }
        switch level {
        case .own: return owner == me
        case .team: return owner == me || teamUserIDs.contains(owner)
        case .teamAndBelow: return owner == me || teamUserIDs.contains(owner) || subtreeUserIDs.contains(owner)
        case .all: return true
        }
    }

    /// True when the user may act on the record. Unowned records (the public pool) are readable
    /// by anyone who may read the object at all, so they can be found and claimed.
    package func may(_ o: AccessObject, _ a: AccessAction, _ r: RecordAccess) -> Bool {
        guard let l = level(o, a) else { return false }
        if a == .read && r.ownerID == nil { return true }
        return covers(l, r)
    }

    /// The one rule for an owned record (lead, deal…): `.notFound` when the user may not even read
    /// it (its existence is not revealed), `.forbidden` when they may read it but not `action` it.
    package func authorize(_ o: AccessObject, _ action: AccessAction, ownerID: String?, name: String,
                          forbidden: @autoclosure () -> DomainMessage) throws(DomainError) {
        let record = RecordAccess(ownerID: ownerID)
        guard may(o, .read, record) else { throw DomainError.notFound(name) }
        guard action != .read else { return }
        guard covers(try require(o, action), record) else { throw DomainError.forbidden(forbidden()) }
    }

    /// Owners outside which the user sees nothing (nil: no limit) for a read at `level`.
    /// Lists and search turn this into SQL.
    package func ownerLimit(_ level: AccessLevel) -> Set<String>? {
        switch level {
        case .all: return nil
        case .own: return userID.map { [$0] } ?? []
        case .team: return teamUserIDs.union(userID.map { [$0] } ?? [])
        case .teamAndBelow: return teamUserIDs.union(subtreeUserIDs).union(userID.map { [$0] } ?? [])
        }
    }
}
