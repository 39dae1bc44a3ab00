/// What a permission is about. Later features (leads, deals, orders, tickets, campaigns) are
/// named now so roles can be configured once and those features only add their routes.
package enum AccessObject: String, Codable, Sendable, CaseIterable {
    case customers
    /// Phones, emails, WeChat ids, street addresses, birthdays and custom fields marked sensitive.
    case personalData = "personal_data"
    case leads, deals, orders, tickets, tasks, campaigns, analytics
    /// Credit control: customers' limits and payment terms, the credit report, releasing held orders.
    case credit
    /// Workspace settings: tiers, custom fields, teams, roles, users.
    case settings
    case audit
}

package enum AccessAction: String, Codable, Sendable, CaseIterable {
    case read, create, update, delete, export, assign
    /// Explicit, audited display of masked personal data.
    case reveal
}

/// How far a permission reaches: records the user owns, their teams' records, their teams' and
/// every team below them, or all records of the workspace. Ordered from narrow to wide.
package enum AccessLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case own, team
    case teamAndBelow = "team_and_below"
    case all

    package static func < (a: AccessLevel, b: AccessLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A set of grants: object × action → level. Absent means not allowed.
package struct PermissionSet: Sendable, Equatable, Hashable {
    package private(set) var grants: [String: AccessLevel]

    package init(_ grants: [String: AccessLevel] = [:]) { self.grants = grants }

    static func key(_ o: AccessObject, _ a: AccessAction) -> String { o.rawValue + "." + a.rawValue }

    package func level(_ o: AccessObject, _ a: AccessAction) -> AccessLevel? { grants[Self.key(o, a)] }
    package func allows(_ o: AccessObject, _ a: AccessAction) -> Bool { level(o, a) != nil }

    package mutating func grant(_ o: AccessObject, _ actions: [AccessAction], _ level: AccessLevel) {
        for a in actions { grants[Self.key(o, a)] = level }
    }

    /// The grants both sets hold, at the narrower level (API tokens carry a subset of their user's).
    package func intersection(_ other: PermissionSet) -> PermissionSet {
        var out: [String: AccessLevel] = [:]
        for (k, l) in grants { if let m = other.grants[k] { out[k] = min(l, m) } }
        return PermissionSet(out)
    }

    /// Parses `["customers.read:all", "customers.update:own", "audit.read"]` (level defaults to all).
    package static func parse(_ items: [String]) throws(DomainError) -> PermissionSet {
        var out = PermissionSet()
        for item in items {
            let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let oa = parts[0].split(separator: ".").map(String.init)
            guard oa.count == 2, let o = AccessObject(rawValue: oa[0]), let a = AccessAction(rawValue: oa[1]) else {
                throw DomainError.field("permissions", "'\(item)' is not object.action (e.g. customers.read)")
            }
            let level: AccessLevel
            if parts.count == 2 {
                guard let l = AccessLevel(rawValue: parts[1]) else {
                    throw DomainError.field("permissions", "'\(parts[1])' is not one of own, team, team_and_below, all")
                }
                level = l
            } else { level = .all }
            out.grant(o, [a], level)
        }
        return out
    }

    /// `["customers.read:all", …]`, sorted.
    package var items: [String] { grants.map { "\($0.key):\($0.value.rawValue)" }.sorted() }
}

/// The roles every workspace has. Custom roles are stored per workspace with their own grants.
package enum Role: String, Codable, Sendable, CaseIterable {
    case owner, admin
    case salesManager = "sales_manager"
    case salesRep = "sales_rep"
    case serviceAgent = "service_agent"
    case marketer, analyst
    case readOnly = "read_only"

    /// What each built-in role may do (docs/ACCESS.md explains the choices).
    package var permissions: PermissionSet {
        var p = PermissionSet()
        let business: [AccessObject] = [.customers, .leads, .deals, .orders, .tickets, .tasks, .campaigns]
        let crud: [AccessAction] = [.read, .create, .update, .delete]
        switch self {
        case .owner, .admin:
            for o in AccessObject.allCases { p.grant(o, AccessAction.allCases, .all) }
        case .salesManager:
            for o in business { p.grant(o, crud + [.export, .assign], .teamAndBelow) }
            p.grant(.personalData, [.read, .reveal], .teamAndBelow)
            p.grant(.analytics, [.read], .teamAndBelow)
            p.grant(.credit, [.read], .teamAndBelow)
        case .salesRep:
            for o: AccessObject in [.customers, .leads, .deals, .orders, .tasks] { p.grant(o, [.read, .create, .update, .delete], .own) }
            p.grant(.customers, [.read], .team)
            p.grant(.personalData, [.read], .own)
            p.grant(.personalData, [.reveal], .team)
            p.grant(.tickets, [.read, .create], .own)
        case .serviceAgent:
            p.grant(.customers, [.read], .all); p.grant(.customers, [.update], .all)
            // their departments' tickets (teams), those assigned to them and those they opened
            p.grant(.tickets, crud + [.assign], .team)
            p.grant(.tasks, [.read, .create, .update], .own)
            p.grant(.orders, [.read], .all)
            p.grant(.personalData, [.reveal], .all)
        case .marketer:
            p.grant(.customers, [.read, .export], .all)
            p.grant(.campaigns, crud, .all)
            p.grant(.analytics, [.read], .all)
        case .analyst:
            for o in business { p.grant(o, [.read], .all) }
            p.grant(.analytics, [.read, .export], .all)
            p.grant(.credit, [.read], .all)
        case .readOnly:
            for o in business { p.grant(o, [.read], .all) }
        }
        return p
    }
}

/// A record as the access rules see it: who owns it and who it is shared with.
package struct RecordAccess: Sendable, Equatable {
    package var ownerID: String?
    /// The acting user (or one of their teams) holds a share on the record.
    package var shared: Bool
    package init(ownerID: String?, shared: Bool = false) { self.ownerID = ownerID; self.shared = shared }
}
