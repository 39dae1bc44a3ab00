/// Who is acting and in which workspace. Every store call takes one; there is no global tenant.
public struct Scope: Sendable, Equatable {
    public var workspaceID: String
    public var userID: String?
    public var role: Role
    public init(workspaceID: String, userID: String?, role: Role) {
        self.workspaceID = workspaceID; self.userID = userID; self.role = role
    }
}

/// Built-in roles. Permissions beyond "may write" arrive with the access issue.
public enum Role: String, Codable, Sendable, CaseIterable {
    case owner, admin
    case salesManager = "sales_manager"
    case salesRep = "sales_rep"
    case serviceAgent = "service_agent"
    case marketer, analyst
    case readOnly = "read_only"

    public var canWrite: Bool { self != .readOnly && self != .analyst }
    public var canAdminister: Bool { self == .owner || self == .admin }
}
