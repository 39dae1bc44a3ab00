import Foundation
import SQLKit
import GuanxiCore

/// The customer database: create, read, change, delete and restore customers, with identities,
/// tags, custom fields, relationships and the timeline entries those changes produce.
package struct CustomerStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock

    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    // MARK: Rules

    /// Tiers and custom field definitions of the workspace.
    package func rules(_ scope: Scope, sql: (any SQLDatabase)? = nil) async throws -> WorkspaceRules {
        @Sendable func load(_ sql: any SQLDatabase) async throws -> WorkspaceRules {
            let tiers = try await sql.raw("SELECT tiers_json FROM workspaces WHERE id = \(bind: scope.workspaceID)").first()
                .map { JSONCoding.decode([String].self, try $0.decode(column: "tiers_json", as: String.self)) ?? [] }
            return WorkspaceRules(tiers: tiers ?? WorkspaceRules.defaultTiers,
                                  customFields: try await CustomFieldStore.definitions(scope.workspaceID, sql: sql))
        }
        if let sql { return try await load(sql) }
        return try await db.read(load)
    }

    // MARK: Read

    package func get(_ scope: Scope, id: String, includeDeleted: Bool = false) async throws -> Customer {
        guard ID.isValid(id) else { throw DomainError.notFound("customer") }
        return try await db.read { sql in
            try await present(scope, try await Self.load(scope, id.lowercased(), for: .read, includeDeleted: includeDeleted, sql: sql), sql: sql)
        }
    }

    /// `get`'s customer as the API writes it, and its version (the ETag): rendered where it is read
    /// (`renderRows`) for a scope that may read every customer's personal data unmasked, decoded and
    /// encoded otherwise.
    package func getJSON(_ scope: Scope, id: String, includeDeleted: Bool = false) async throws -> (json: RenderedJSON, version: Int) {
        guard ID.isValid(id) else { throw DomainError.notFound("customer") }
        if scope.level(.customers, .read) == .all, scope.level(.personalData, .read) == .all,
           let rows = try await db.read({ sql in try await Self.renderRows(Self.byID(scope, id.lowercased()), sql: sql) }) {
            guard let c = rows.first, includeDeleted || !c.keys.deleted else { throw DomainError.notFound("customer") }
            return (RenderedJSON(Array(c.json)), c.keys.version)
        }
        let c = try await get(scope, id: id, includeDeleted: includeDeleted)
        return (RenderedJSON(c.jsonBytes()), c.version)
    }

    static func byID(_ scope: Scope, _ id: String) -> SQLQueryString {
        "SELECT \(unsafeRaw: CustomerRows.columns) \(unsafeRaw: CustomerRows.from) WHERE c.id = \(bind: id) AND c.workspace_id = \(bind: scope.workspaceID)"
    }

    /// The row by id within the workspace, without access checks (callers check; see `load(_:_:for:)`).
    static func load(_ scope: Scope, _ id: String, includeDeleted: Bool = false, sql: any SQLDatabase) async throws -> Customer {
        guard let row = try await sql.raw(byID(scope, id)).first() else { throw DomainError.notFound("customer") }
        let c = try CustomerRows.decode(row)
        if c.deletedAt != nil && !includeDeleted { throw DomainError.notFound("customer") }
        return c
    }

    static func seq(_ id: String, sql: any SQLDatabase) async throws -> Int64 {
        try await sql.raw("SELECT seq FROM customers WHERE id = \(bind: id)").first()!.decode(column: "seq", as: Int64.self)
    }

    // MARK: Create

    /// Creates a customer. An identity that already belongs to someone answers `.duplicate` naming them.
    package func create(_ scope: Scope, _ draft: CustomerDraft) async throws -> Customer {
        let level = try scope.require(.customers, .create)
        // Someone who may not reach every record owns what they create, or they could not see it again.
        let draft = { var d = draft; if d.ownerID == nil, level != .all, let me = scope.userID { d.ownerID = .some(me) }; return d }()
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            try await present(scope, try await insert(draft, tx: tx), sql: tx.sql)
        }
    }

    /// Creates a customer inside the caller's transaction (lead conversion uses it too).
    func insert(_ draft: CustomerDraft, data: [String: JSONValue] = [:], tx: Tx) async throws -> Customer {
        try await insertMany([draft], data: data, tx: tx)[0].get()
    }

    /// Creates customers inside the caller's transaction with a fixed number of statements whatever
    /// their count (shops pushing orders bring new buyers by the hundred). Each one is validated and
    /// checked on its own: an identity held by an existing customer, or by an earlier one of the same
    /// call, fails that one with `.duplicate`; the others are created.
    func insertMany(_ drafts: [CustomerDraft], data: [String: JSONValue] = [:], tx: Tx) async throws -> [Result<Customer, DomainError>] {
        let (scope, now, sql) = (tx.scope, tx.now, tx.sql)
        let rules = try await rules(scope, sql: sql)
        var out = [Result<Customer, DomainError>](repeating: .failure(.badRequest("not created")), count: drafts.count)
        var ready: [(Int, Customer)] = []
        for (i, d) in drafts.enumerated() {
            do {
                var c = try CustomerValidator.apply(d, to: nil, rules: rules, id: ID.make(at: now), now: now)
                c.version = 1
                try checkAssignment(scope, from: nil, to: c.ownerID)
                try await checkReferences(scope, &c, previous: nil, sql: sql)
                ready.append((i, c))
            } catch let e as DomainError { out[i] = .failure(e) }
        }
        // identities: held already, or by an earlier customer of this call
        let holders = try await identityHolders(scope, ready.flatMap { $0.1.allIdentities }, sql: sql)
        var taken: [String: String] = [:]
        var created: [(Customer, String)] = []
        for (i, c) in ready {
            let keys = c.allIdentities.map { $0.kind.rawValue + ":" + $0.uniqueKey }
            if let h = keys.lazy.compactMap({ holders[$0] }).first {
                out[i] = .failure(h); continue
            }
            if let k = keys.first(where: { taken[$0] != nil }) {
                out[i] = .failure(.duplicate(field: Self.field(of: String(k.prefix { $0 != ":" })), existingID: taken[k]!,
                                             message: "\(k.drop { $0 != ":" }.dropFirst()) already belongs to another customer"))
                continue
            }
            for k in keys { taken[k] = c.id }
            created.append((c, CustomerRows.searchDocument(c)))
            out[i] = .success(c)
        }
        guard !created.isEmpty else { return out }
        let seqs = try await CustomerRows.insert(created, workspaceID: scope.workspaceID, sql: sql)
        try await CustomerRows.writeDerived(zip(seqs, created).map { ($0, $1.0, $1.1) }, workspaceID: scope.workspaceID, dialect: tx.dialect,
                                            replacing: false, sql: sql)
        try await tx.timeline(created.map { c, _ in
            tx.event(c.id, .created, data: data.merging(["name": .string(c.name), "stage": .string(c.stage.rawValue)]) { a, _ in a })
        })
        try await tx.audit(created.map { c, _ in AuditEvent("create", "customers", c.id, detail: ["after": AuditDetail.snapshot(c)]) })
        try await tx.publish(.customerCreated, created.map { (id: $0.0.id, data: $0.0) })
        return out
    }

    // MARK: Update

    /// Applies a partial change. `ifVersion` (from If-Match) makes a stale write fail with `.staleVersion`.
    package func update(_ scope: Scope, id: String, _ draft: CustomerDraft, ifVersion: Int?) async throws -> Customer {
        try await update(scope, id: id, ifVersion: ifVersion) { _ in draft }
    }

    /// Changes a customer with a draft computed from the stored (unmasked) record, in one transaction:
    /// adding or removing one identity or tag cannot lose a concurrent change.
    /// `also` writes what else the change means inside its transaction (old, new), when it changed anything.
    package func update(_ scope: Scope, id: String, ifVersion: Int?,
                       _ change: @escaping @Sendable (Customer) throws -> CustomerDraft,
                       also: (@Sendable (Customer, Customer, Tx) async throws -> Void)? = nil) async throws -> Customer {
        guard ID.isValid(id) else { throw DomainError.notFound("customer") }
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let old = try await Self.load(scope, id.lowercased(), for: .update, sql: sql)
            if let v = ifVersion, v != old.version { throw DomainError.staleVersion(current: old.version) }
            let rules = try await rules(scope, sql: sql)
            var c = try CustomerValidator.apply(try change(old), to: old, rules: rules, id: old.id, now: now)
            if c == old { return try await present(scope, old, sql: sql) }
            c.version = old.version + 1
            c.updatedAt = now
            if c.ownerID != old.ownerID { try checkAssignment(scope, from: old.ownerID, to: c.ownerID) }
            try await checkReferences(scope, &c, previous: old, sql: sql)
            try await checkIdentities(scope, c.allIdentities, ownID: c.id, sql: sql)
            try await save(scope, c, sql: sql)
            try await tx.timeline(Self.changeEvents(old: old, new: c, tx: tx))
            try await also?(old, c, tx)
            if c.kind == .organization && c.name != old.name { try await reindexMembers(scope, orgID: c.id, sql: sql) }
            try await tx.audit("update", "customers", c.id, detail: AuditDetail.changes(old, c))
            try await tx.publish(.customerUpdated, c.id, c)
            return try await present(scope, c, sql: sql)
        }
    }

    /// Writes the row and its derived rows; the caller has validated `c`.
    func save(_ scope: Scope, _ c: Customer, sql: any SQLDatabase) async throws {
        let doc = CustomerRows.searchDocument(c)
        let v = CustomerRows.values(c, workspaceID: scope.workspaceID, searchText: doc)
        let cols = CustomerRows.insertColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var q = SQLQueryString("UPDATE customers SET ")
        for (i, (col, val)) in zip(cols, v).enumerated() where col != "id" && col != "workspace_id" {
            if i > 2 { q += ", " }
            q += "\(unsafeRaw: col) = \(bind: val)"
        }
        q += ", merged_into = NULL WHERE id = \(bind: c.id) AND workspace_id = \(bind: scope.workspaceID) RETURNING seq"
        guard let seq = try await sql.raw(q).first()?.decode(column: "seq", as: Int64.self) else {
            throw DomainError.notFound("customer")
        }
        try await CustomerRows.writeDerived([(seq, c, doc)], workspaceID: scope.workspaceID, dialect: db.dialect, replacing: true, sql: sql)
    }

    func reindexMembers(_ scope: Scope, orgID: String, sql: any SQLDatabase) async throws {
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: CustomerRows.columns) \(unsafeRaw: CustomerRows.from)
            WHERE c.workspace_id = \(bind: scope.workspaceID) AND c.organization_id = \(bind: orgID) AND c.deleted_at IS NULL
            """).all()
        for r in rows { try await save(scope, try CustomerRows.decode(r), sql: sql) }
    }

    // MARK: Delete / restore

    package func delete(_ scope: Scope, id: String, ifVersion: Int?) async throws {
        guard ID.isValid(id) else { throw DomainError.notFound("customer") }
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            let old = try await Self.load(scope, id.lowercased(), for: .delete, sql: tx.sql)
            if let v = ifVersion, v != old.version { throw DomainError.staleVersion(current: old.version) }
            try await tx.sql.raw("""
                UPDATE customers SET deleted_at = \(bind: now.millis), version = version + 1, updated_at = \(bind: now.millis)
                WHERE id = \(bind: old.id) AND workspace_id = \(bind: scope.workspaceID)
                """).run()
            try await tx.timeline(old.id, .deleted)
            try await tx.audit("delete", "customers", old.id, detail: ["before": AuditDetail.snapshot(old)])
        }
    }

    package func restore(_ scope: Scope, id: String) async throws -> Customer {
        guard ID.isValid(id) else { throw DomainError.notFound("customer") }
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let old = try await Self.load(scope, id.lowercased(), for: .delete, includeDeleted: true, sql: sql)
            guard old.deletedAt != nil else { return try await present(scope, old, sql: sql) }
            let merged = try await sql.raw("SELECT merged_into FROM customers WHERE id = \(bind: old.id)").first()?
                .decode(column: "merged_into", as: String?.self)
            if merged != nil { throw DomainError.conflict("this customer was merged; undo the merge instead of restoring") }
            try await sql.raw("""
                UPDATE customers SET deleted_at = NULL, version = version + 1, updated_at = \(bind: now.millis)
                WHERE id = \(bind: old.id) AND workspace_id = \(bind: scope.workspaceID)
                """).run()
            try await tx.timeline(old.id, .restored)
            try await tx.audit("restore", "customers", old.id)
            return try await present(scope, try await Self.load(scope, old.id, sql: sql), sql: sql)
        }
    }

    // MARK: Checks

    /// Giving a customer to someone else (or taking it) needs `customers.assign` reaching both owners.
    func checkAssignment(_ scope: Scope, from old: String?, to new: String?) throws {
        if new == scope.userID && old == nil && scope.level(.customers, .create) != nil && new != nil { return }
        if new == old { return }
        let level = try scope.require(.customers, .assign)
        for owner in [old, new] where owner != nil && !scope.covers(level, RecordAccess(ownerID: owner)) {
            throw DomainError.field("owner_id", "you may not assign customers to or from this user")
        }
    }

    /// Organisation and owner must exist in the same workspace.
    func checkReferences(_ scope: Scope, _ c: inout Customer, previous: Customer?, sql: any SQLDatabase) async throws {
        if let org = c.organizationID, org != previous?.organizationID || c.organizationName == nil {
            guard let row = try await sql.raw("""
                SELECT name, kind FROM customers WHERE id = \(bind: org) AND workspace_id = \(bind: scope.workspaceID) AND deleted_at IS NULL
                """).first() else { throw DomainError.field("organization_id", "no such organisation") }
            guard try row.decode(column: "kind", as: String.self) == CustomerKind.organization.rawValue else {
                throw DomainError.field("organization_id", "is not an organisation")
            }
            c.organizationName = try row.decode(column: "name", as: String.self)
        }
        if let owner = c.ownerID, owner != previous?.ownerID {
            let member = try await sql.raw("""
                SELECT 1 AS x FROM memberships WHERE workspace_id = \(bind: scope.workspaceID) AND user_id = \(bind: owner)
                """).first()
            if member == nil { throw DomainError.field("owner_id", "is not a user of this workspace") }
        }
    }

    /// Refuses identities held by another customer of the workspace.
    func checkIdentities(_ scope: Scope, _ ids: [Identity], ownID: String?, sql: any SQLDatabase) async throws {
        let holders = try await identityHolders(scope, ids, sql: sql, except: ownID)
        if let e = ids.lazy.compactMap({ holders[$0.kind.rawValue + ":" + $0.uniqueKey] }).first { throw e }
    }

    static func field(of kind: String) -> String { kind == "email" ? "emails" : kind == "phone" ? "phones" : "identities" }

    /// For each identity (`kind:uniqueKey`) held by a customer of the workspace (other than
    /// `except`), the `.duplicate` error to answer with. 撞单: it says whose customer it is (by name
    /// only) so the two salespeople can talk, without showing the record.
    func identityHolders(_ scope: Scope, _ ids: [Identity], sql: any SQLDatabase, except ownID: String? = nil) async throws -> [String: DomainError] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT i.kind, i.value, i.customer_id, c.owner_id, u.name AS owner_name FROM customer_identities i
            JOIN customers c ON c.id = i.customer_id LEFT JOIN users u ON u.id = c.owner_id
            WHERE i.workspace_id = \(bind: scope.workspaceID) AND i.kind IN (\(binds: Set(ids.map(\.kind.rawValue)).sorted()))
            AND i.value IN (\(binds: Set(ids.map(\.uniqueKey)).sorted()))
            """).all()
        var out: [String: DomainError] = [:]
        for r in rows {
            let holder = try r.decode(column: "customer_id", as: String.self)
            let kind = try r.decode(column: "kind", as: String.self)
            let value = try r.decode(column: "value", as: String.self)
            guard holder != ownID else { continue }
            let ownerID = try r.decode(column: "owner_id", as: String?.self)
            let message: DomainMessage = switch ownerID {
            case nil: "\(value) already belongs to a customer in the public pool"
            case scope.userID: "\(value) already belongs to one of your customers"
            default: "\(value) already belongs to a customer owned by \(try r.decode(column: "owner_name", as: String?.self) ?? "another user")"
            }
            out[kind + ":" + value] = .duplicate(field: Self.field(of: kind), existingID: holder, message: message)
        }
        return out
    }

    // MARK: Timeline events

    static func changeEvents(old: Customer, new: Customer, tx: Tx) -> [TimelineEntry] {
        var out: [TimelineEntry] = []
        func change(_ kind: TimelineKind, _ from: String?, _ to: String?) {
            guard from != to else { return }
            out.append(tx.event(new.id, kind, data: ["from": from.map(JSONValue.string) ?? .null, "to": to.map(JSONValue.string) ?? .null]))
        }
        change(.stageChanged, old.stage.rawValue, new.stage.rawValue)
        change(.tierChanged, old.tier, new.tier)
        change(.ownerChanged, old.ownerID, new.ownerID)
        return out
    }
}
