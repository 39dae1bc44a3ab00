import Foundation
import SQLKit
import GuanxiCore

/// Which record's value to keep for each field when merging; unnamed fields keep the survivor's
/// value unless it is empty. Lists (emails, phones, identities, tags) are always united.
package struct MergeChoices: Codable, Sendable {
    package var fields: [String: MergeSide]
    package init(fields: [String: MergeSide] = [:]) { self.fields = fields }
    package static let choosable = ["name", "title", "organization_id", "stage", "tier", "owner_id", "source",
                                   "birthday", "preferred_channel", "addresses"]
}
package enum MergeSide: String, Codable, Sendable { case survivor, merged }

package struct MergeRecord: Codable, Sendable {
    package var id: String
    package var survivorID: String
    package var mergedID: String
    package var createdAt: Date
    package var undoneAt: Date?
    enum CodingKeys: String, CodingKey {
        case id, survivorID = "survivor_id", mergedID = "merged_id", createdAt = "created_at", undoneAt = "undone_at"
    }
}

/// What undo needs to put both records back exactly.
struct MergeSnapshot: Codable {
    var survivor: Customer
    var merged: Customer
    var movedTimeline: [String]
    var movedRelationsFrom: [String]
    var movedRelationsTo: [String]
    var movedMembers: [String]
}

/// A pair of customers that may be the same person or company.
package struct DuplicateCandidate: Codable, Sendable {
    package var customer: Customer
    package var other: Customer
    package var reason: String
}

extension CustomerStore {
    /// Merges `mergedID` into `survivorID`. The merged record is hidden (not destroyed), and
    /// everything needed to undo is kept with the merge.
    package func merge(_ scope: Scope, survivorID: String, mergedID: String, choices: MergeChoices) async throws -> (Customer, MergeRecord) {
        guard ID.isValid(survivorID), ID.isValid(mergedID) else { throw DomainError.notFound("customer") }
        if survivorID.lowercased() == mergedID.lowercased() { throw DomainError.field("merged_id", "cannot merge a customer into itself") }
        for k in choices.fields.keys where !MergeChoices.choosable.contains(k) && !k.hasPrefix("custom.") {
            throw DomainError.field("fields.\(k)", "cannot be chosen; choose among \(MergeChoices.choosable.joined(separator: ", ")) or custom.<key>")
        }
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let s = try await Self.load(scope, survivorID.lowercased(), for: .update, sql: sql)
            let m = try await Self.load(scope, mergedID.lowercased(), for: .delete, sql: sql)
            if s.kind != m.kind { throw DomainError.conflict("a person and an organisation cannot be merged") }
            var r = s
            func pick<T>(_ key: String, _ kp: WritableKeyPath<Customer, T>, empty: (T) -> Bool) {
                switch choices.fields[key] {
                case .merged: r[keyPath: kp] = m[keyPath: kp]
                case .survivor: break
                case nil: if empty(s[keyPath: kp]) { r[keyPath: kp] = m[keyPath: kp] }
                }
            }
            pick("name", \.name) { $0.isEmpty }
            pick("title", \.title) { $0 == nil }
            pick("organization_id", \.organizationID) { $0 == nil }
            pick("stage", \.stage) { _ in false }
            pick("tier", \.tier) { $0 == nil }
            pick("owner_id", \.ownerID) { $0 == nil }
            pick("source", \.source) { $0 == nil }
            pick("birthday", \.birthday) { $0 == nil }
            pick("preferred_channel", \.preferredChannel) { $0 == nil }
            pick("addresses", \.addresses) { $0.isEmpty }
            if r.organizationID == s.id || r.organizationID == m.id { r.organizationID = nil }
            if r.organizationID != s.organizationID { r.organizationName = m.organizationName }
            r.emails = unite(s.emails, m.emails)
            r.phones = unite(s.phones, m.phones)
            r.identities = unite(s.identities, m.identities)
            r.tags = unite(s.tags, m.tags)
            r.consent = s.consent.merging(m.consent) { a, _ in a }
            for (k, v) in m.custom where s.custom[k] == nil || choices.fields["custom.\(k)"] == .merged { r.custom[k] = v }
            r.version = s.version + 1
            r.updatedAt = now

            let movedTimeline = try await sql.raw("SELECT id FROM timeline WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: m.id)")
                .all().map { try $0.decode(column: "id", as: String.self) }
            let relFrom = try await ids("SELECT id FROM relationships WHERE workspace_id = \(bind: scope.workspaceID) AND from_id = \(bind: m.id)", sql)
            let relTo = try await ids("SELECT id FROM relationships WHERE workspace_id = \(bind: scope.workspaceID) AND to_id = \(bind: m.id)", sql)
            let members = try await ids("SELECT id FROM customers WHERE workspace_id = \(bind: scope.workspaceID) AND organization_id = \(bind: m.id)", sql)
            let snapshot = MergeSnapshot(survivor: s, merged: m, movedTimeline: movedTimeline, movedRelationsFrom: relFrom,
                                         movedRelationsTo: relTo, movedMembers: members)

            // The merged record gives up its identities first, so the survivor can hold them.
            try await sql.raw("DELETE FROM customer_identities WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: m.id)").run()
            try await sql.raw("DELETE FROM customer_tags WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: m.id)").run()
            try await sql.raw("""
                UPDATE customers SET deleted_at = \(bind: now.millis), merged_into = \(bind: s.id), version = version + 1, updated_at = \(bind: now.millis)
                WHERE id = \(bind: m.id)
                """).run()
            try await save(scope, r, sql: sql)
            try await sql.raw("UPDATE timeline SET customer_id = \(bind: s.id) WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: m.id)").run()
            try await sql.raw("UPDATE relationships SET from_id = \(bind: s.id) WHERE workspace_id = \(bind: scope.workspaceID) AND from_id = \(bind: m.id)").run()
            try await sql.raw("UPDATE relationships SET to_id = \(bind: s.id) WHERE workspace_id = \(bind: scope.workspaceID) AND to_id = \(bind: m.id)").run()
            try await sql.raw("UPDATE customers SET organization_id = \(bind: s.id) WHERE workspace_id = \(bind: scope.workspaceID) AND organization_id = \(bind: m.id)").run()
            if !members.isEmpty { try await reindexMembers(scope, orgID: s.id, sql: sql) }

            let record = MergeRecord(id: ID.make(at: now), survivorID: s.id, mergedID: m.id, createdAt: now, undoneAt: nil)
            try await sql.raw("""
                INSERT INTO merges (id, workspace_id, survivor_id, merged_id, snapshot_json, survivor_version, actor_id, created_at)
                VALUES (\(bind: record.id), \(bind: scope.workspaceID), \(bind: s.id), \(bind: m.id), \(bind: JSONCoding.encode(snapshot)),
                        \(bind: r.version), \(bind: scope.userID), \(bind: now.millis))
                """).run()
            try await tx.timeline(s.id, .merged, data: ["merge_id": .string(record.id), "merged_id": .string(m.id), "merged_name": .string(m.name)])
            try await tx.audit("merge", "customers", s.id, detail: ["merge_id": .string(record.id), "merged_id": .string(m.id),
                                                                  "merged": AuditDetail.snapshot(m), "survivor_before": AuditDetail.snapshot(s)])
            try await tx.publish(.customerMerged, s.id, r, changes: ["merged_id": .string(m.id), "merge_id": .string(record.id)])
            return (try await present(scope, try await Self.load(scope, s.id, sql: sql), sql: sql), record)
        }
    }

    /// Puts both customers back exactly as they were before the merge. Refused when the survivor
    /// changed after the merge, because undo would silently drop that change.
    package func undoMerge(_ scope: Scope, mergeID: String) async throws -> (survivor: Customer, restored: Customer) {
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            guard let row = try await sql.raw("""
                SELECT survivor_id, merged_id, snapshot_json, survivor_version, undone_at FROM merges
                WHERE id = \(bind: mergeID.lowercased()) AND workspace_id = \(bind: scope.workspaceID)
                """).first() else { throw DomainError.notFound("merge") }
            if try row.decode(column: "undone_at", as: Int64?.self) != nil { throw DomainError.conflict("this merge was already undone") }
            guard let snap = JSONCoding.decode(MergeSnapshot.self, try row.decode(column: "snapshot_json", as: String.self)) else {
                throw DomainError.conflict("the merge record is unreadable")
            }
            let current = try await Self.load(scope, snap.survivor.id, for: .update, sql: sql)
            try await Self.authorize(scope, snap.merged, .delete, sql: sql)
            if current.version != (try row.decode(column: "survivor_version", as: Int.self)) {
                throw DomainError.conflict("the surviving customer was changed after the merge; undoing would lose that change")
            }
            let w = scope.workspaceID
            try await sql.raw("DELETE FROM customer_identities WHERE workspace_id = \(bind: w) AND customer_id = \(bind: snap.survivor.id)").run()
            try await save(scope, snap.survivor, sql: sql)
            try await save(scope, snap.merged, sql: sql)
            if !snap.movedTimeline.isEmpty {
                for chunk in snap.movedTimeline.chunked(5000) {
                    try await sql.raw("UPDATE timeline SET customer_id = \(bind: snap.merged.id) WHERE workspace_id = \(bind: w) AND id IN (\(binds: Array(chunk)))").run()
                }
            }
            if !snap.movedRelationsFrom.isEmpty {
                try await sql.raw("UPDATE relationships SET from_id = \(bind: snap.merged.id) WHERE workspace_id = \(bind: w) AND id IN (\(binds: snap.movedRelationsFrom))").run()
            }
            if !snap.movedRelationsTo.isEmpty {
                try await sql.raw("UPDATE relationships SET to_id = \(bind: snap.merged.id) WHERE workspace_id = \(bind: w) AND id IN (\(binds: snap.movedRelationsTo))").run()
            }
            if !snap.movedMembers.isEmpty {
                try await sql.raw("UPDATE customers SET organization_id = \(bind: snap.merged.id) WHERE workspace_id = \(bind: w) AND id IN (\(binds: snap.movedMembers))").run()
                try await reindexMembers(scope, orgID: snap.merged.id, sql: sql)
            }
            try await sql.raw("UPDATE merges SET undone_at = \(bind: now.millis) WHERE id = \(bind: mergeID.lowercased())").run()
            let data: [String: JSONValue] = ["merge_id": .string(mergeID.lowercased())]
            try await tx.timeline([tx.event(snap.survivor.id, .mergeUndone, data: data), tx.event(snap.merged.id, .mergeUndone, data: data)])
            try await tx.audit("merge_undo", "customers", snap.survivor.id, detail: ["merge_id": .string(mergeID.lowercased()),
                                                                                   "restored_id": .string(snap.merged.id)])
            return (try await present(scope, try await Self.load(scope, snap.survivor.id, sql: sql), sql: sql),
                    try await present(scope, try await Self.load(scope, snap.merged.id, sql: sql), sql: sql))
        }
    }

    package func merges(_ scope: Scope, customerID: String) async throws -> [MergeRecord] {
        _ = try await get(scope, id: customerID)
        return try await db.read { sql in
            try await sql.raw("""
                SELECT id, survivor_id, merged_id, created_at, undone_at FROM merges
                WHERE workspace_id = \(bind: scope.workspaceID) AND (survivor_id = \(bind: customerID.lowercased()) OR merged_id = \(bind: customerID.lowercased()))
                ORDER BY created_at DESC
                """).all().map { r in
                MergeRecord(id: try r.decode(column: "id", as: String.self), survivorID: try r.decode(column: "survivor_id", as: String.self),
                            mergedID: try r.decode(column: "merged_id", as: String.self),
                            createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)),
                            undoneAt: try r.decode(column: "undone_at", as: Int64?.self).map(Date.init(millis:)))
            }
        }
    }

    /// Likely duplicates of one customer: the same name in the same organisation (or both without
    /// one), or a name one edit away within the same organisation.
    package func duplicates(_ scope: Scope, of id: String, limit: Int = 50) async throws -> [DuplicateCandidate] {
        let c = try await get(scope, id: id)
        return try await db.read { sql in
            // Names first (an organisation can have hundreds of people); whole records only for the matches.
            var q = SQLQueryString("SELECT c.id, c.name, c.organization_id FROM customers c WHERE c.workspace_id = \(bind: scope.workspaceID) AND c.deleted_at IS NULL AND c.id <> \(bind: c.id) AND c.kind = \(bind: c.kind.rawValue)")
            q += Self.readLimit(scope)
            if let org = c.organizationID { q += " AND (c.organization_id = \(bind: org) OR c.name = \(bind: c.name))" }
            else { q += " AND c.name = \(bind: c.name)" }
            q += " LIMIT 500"
            let folded = Self.fold(c.name)
            var matches: [(id: String, reason: String)] = []
            for r in try await sql.raw(q).all() {
                let name = try r.decode(column: "name", as: String.self)
                let org = try r.decode(column: "organization_id", as: String?.self)
                let same = Self.fold(name) == folded
                let reason: String? =
                    if same && org == c.organizationID { org == nil ? "same_name" : "same_name_same_organization" }
                    else if same { "same_name" }
                    else if c.organizationID != nil && min(name.count, c.name.count) >= 2 && Self.editDistance(Self.fold(name), folded) <= 1 {
                        "similar_name_same_organization"
                    } else { nil }
                if let reason { matches.append((try r.decode(column: "id", as: String.self), reason)) }
                if matches.count == limit { break }
            }
            guard !matches.isEmpty else { return [] }
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: CustomerRows.columns) \(unsafeRaw: CustomerRows.from) WHERE c.id IN (\(binds: matches.map(\.id)))
                """).all().map(CustomerRows.decode)
            let byID = Dictionary(try await present(scope, rows, sql: sql).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            return matches.compactMap { m in byID[m.id].map { DuplicateCandidate(customer: c, other: $0, reason: m.reason) } }
        }
    }

    /// Workspace-wide duplicate pairs with the same folded name (and organisation), newest first.
    package func duplicatePairs(_ scope: Scope, limit: Int = 50) async throws -> [DuplicateCandidate] {
        let limit = min(max(limit, 1), 200)
        return try await db.read { sql in
            let rows = try await sql.raw("""
                SELECT a.id AS a_id, b.id AS b_id FROM customers a JOIN customers b
                  ON b.workspace_id = a.workspace_id AND b.name = a.name AND b.kind = a.kind AND b.id > a.id
                 AND (b.organization_id = a.organization_id OR (b.organization_id IS NULL AND a.organization_id IS NULL))
                WHERE a.workspace_id = \(bind: scope.workspaceID) AND a.deleted_at IS NULL AND b.deleted_at IS NULL
                ORDER BY a.created_at DESC LIMIT \(literal: limit)
                """).all()
            var out: [DuplicateCandidate] = []
            for r in rows {
                let a = try await Self.load(scope, try r.decode(column: "a_id", as: String.self), sql: sql)
                let b = try await Self.load(scope, try r.decode(column: "b_id", as: String.self), sql: sql)
                let visible = try await present(scope, [a, b].filter { scope.may(.customers, .read, RecordAccess(ownerID: $0.ownerID)) }, sql: sql)
                guard visible.count == 2, let a = visible.first, let b = visible.last else { continue }
                out.append(DuplicateCandidate(customer: a, other: b, reason: a.organizationID == nil ? "same_name" : "same_name_same_organization"))
            }
            return out
        }
    }

    static func fold(_ s: String) -> String {
        SearchText.foldForIndex(s).replacingOccurrences(of: " ", with: "")
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }

    private func ids(_ q: SQLQueryString, _ sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw(q).all().map { try $0.decode(column: "id", as: String.self) }
    }

    private func unite<T: Equatable>(_ a: [T], _ b: [T]) -> [T] { a + b.filter { !a.contains($0) } }

    // MARK: Relationships

    package func relationships(_ scope: Scope, customerID: String) async throws -> [Relationship] {
        _ = try await get(scope, id: customerID)
        return try await db.read { sql in
            try await sql.raw("""
                SELECT id, from_id, to_id, kind, title, created_at FROM relationships
                WHERE workspace_id = \(bind: scope.workspaceID) AND (from_id = \(bind: customerID.lowercased()) OR to_id = \(bind: customerID.lowercased()))
                ORDER BY created_at
                """).all().map { r in
                Relationship(id: try r.decode(column: "id", as: String.self), fromID: try r.decode(column: "from_id", as: String.self),
                             toID: try r.decode(column: "to_id", as: String.self),
                             kind: RelationKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .other,
                             title: try r.decode(column: "title", as: String?.self),
                             createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)))
            }
        }
    }

    package func addRelationship(_ scope: Scope, fromID: String, toID: String, kind: RelationKind, title: String?) async throws -> Relationship {
        guard ID.isValid(fromID) else { throw DomainError.notFound("customer") }
        guard ID.isValid(toID) else { throw DomainError.field("to_id", "is not a valid id") }
        if fromID.lowercased() == toID.lowercased() { throw DomainError.field("to_id", "a customer cannot be related to itself") }
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            let a = try await Self.load(scope, fromID.lowercased(), for: .update, sql: sql)
            let b: Customer
            do { b = try await Self.load(scope, toID.lowercased(), for: .read, sql: sql) } catch DomainError.notFound { throw DomainError.field("to_id", "no such customer") }
            if kind == .worksAt && b.kind != .organization { throw DomainError.field("to_id", "works_at must point to an organisation") }
            let rel = Relationship(id: ID.make(at: now), fromID: a.id, toID: b.id, kind: kind,
                                   title: title.map(Text.clean).flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }, createdAt: now)
            try await sql.raw("""
                INSERT INTO relationships (id, workspace_id, from_id, to_id, kind, title, created_at)
                VALUES (\(bind: rel.id), \(bind: scope.workspaceID), \(bind: rel.fromID), \(bind: rel.toID), \(bind: kind.rawValue), \(bind: rel.title), \(bind: now.millis))
                """).run()
            try await tx.audit("create", "relationships", rel.id, detail: ["from_id": .string(rel.fromID), "to_id": .string(rel.toID),
                                                                         "kind": .string(kind.rawValue)])
            return rel
        }
    }

    package func deleteRelationship(_ scope: Scope, customerID: String, relationshipID: String) async throws {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            _ = try await Self.load(scope, customerID.lowercased(), for: .update, sql: tx.sql)
            let gone = try await tx.sql.raw("""
                DELETE FROM relationships WHERE workspace_id = \(bind: scope.workspaceID) AND id = \(bind: relationshipID.lowercased())
                AND (from_id = \(bind: customerID.lowercased()) OR to_id = \(bind: customerID.lowercased())) RETURNING id
                """).first()
            if gone == nil { throw DomainError.notFound("relationship") }
            try await tx.audit("delete", "relationships", relationshipID.lowercased())
        }
    }
}
