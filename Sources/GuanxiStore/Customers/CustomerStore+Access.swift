import Foundation
import SQLKit
import GuanxiCore

/// Record- and field-level rules for customers, in one place: which customers a scope may see
/// and change, and how their personal data is shown.
extension CustomerStore {
    /// Loads a customer the scope may `action`: 404 when it may not even read it (its existence
    /// is not revealed), 403 when it may read but not do this.
    static func load(_ scope: Scope, _ id: String, for action: AccessAction, includeDeleted: Bool = false,
                     sql: any SQLDatabase) async throws -> Customer {
        let c = try await load(scope, id, includeDeleted: includeDeleted, sql: sql)
        try await authorize(scope, c, action, sql: sql)
        return c
    }

    static func authorize(_ scope: Scope, _ c: Customer, _ action: AccessAction, sql: any SQLDatabase) async throws {
        var shared: Bool?
        func isShared() async throws -> Bool {
            if let shared { return shared }
            let s = try await AccessStore.isShared(scope, object: .customers, recordID: c.id, sql: sql)
            shared = s
            return s
        }
        let record = RecordAccess(ownerID: c.ownerID)
        var readable = scope.may(.customers, .read, record)
        if !readable, scope.level(.customers, .read) != nil { readable = try await isShared() }
        guard readable else { throw DomainError.notFound("customer") }
        if action == .read { return }
        let level = try scope.require(.customers, action)
        var allowed = scope.covers(level, record)
        if !allowed { allowed = try await isShared() }
        if !allowed {
            throw DomainError.forbidden(c.ownerID == nil
                ? "this customer is in the public pool; claim it first"
                : "this customer belongs to someone else; ask its owner or a manager")
        }
    }

    /// Throws unless the scope may `action` the customer (404 when it may not see it, 403 otherwise).
    package func check(_ scope: Scope, id: String, may action: AccessAction) async throws {
        guard ID.isValid(id) else { throw DomainError.notFound("customer") }
        try await db.read { sql in _ = try await Self.load(scope, id.lowercased(), for: action, sql: sql) }
    }

    /// Customers as the scope may see them: personal data masked outside its `personal_data.read` reach.
    func present(_ scope: Scope, _ customers: [Customer], sql: any SQLDatabase) async throws -> [Customer] {
        let level = scope.level(.personalData, .read)
        if level == .all { return customers }
        let hide = customers.map { c in level.map { !scope.covers($0, RecordAccess(ownerID: c.ownerID)) } ?? true }
        guard hide.contains(true) else { return customers }
        let sensitive = Set(try await CustomFieldStore.definitions(scope.workspaceID, sql: sql).filter(\.sensitive).map(\.key))
        return zip(customers, hide).map { c, h in h ? c.masked(sensitiveKeys: sensitive) : c }
    }

    func present(_ scope: Scope, _ c: Customer, sql: any SQLDatabase) async throws -> Customer {
        try await present(scope, [c], sql: sql)[0]
    }

    /// SQL limiting `c` to the customers the scope may read.
    static func readLimit(_ scope: Scope) -> SQLQueryString {
        guard let level = scope.level(.customers, .read) else { return SQLQueryString(" AND 1 = 0") }
        return AccessStore.readLimit(scope, object: .customers, level: level, alias: "c")
    }

    /// The plain record, for someone allowed to reveal it; the reveal is audited.
    package func reveal(_ scope: Scope, id: String) async throws -> Customer {
        guard ID.isValid(id) else { throw DomainError.notFound("customer") }
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let c = try await Self.load(scope, id.lowercased(), for: .read, sql: tx.sql)
            let level = try scope.require(.personalData, .reveal)
            let readable = scope.level(.personalData, .read).map { scope.covers($0, RecordAccess(ownerID: c.ownerID)) } ?? false
            guard readable || scope.covers(level, RecordAccess(ownerID: c.ownerID)) else {
                throw DomainError.forbidden("you may not reveal this customer's personal data")
            }
            try await tx.audit("reveal", "customers", c.id)
            return c
        }
    }
}
