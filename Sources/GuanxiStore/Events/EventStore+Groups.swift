import Foundation
import SQLKit
import GuanxiCore

extension EventStore {
    /// A stored `group` call: the organisation it names is found (by the group id, then the traits'
    /// email or phone held by an organisation) or made (`OrganisationLink.choose`), and the person
    /// whose call it is — when someone knows who they are — is put at it unless they are at another
    /// (`OrganisationLink.join`). Changes are saved, audited and published as a staff member's are;
    /// what was done is recorded among the person's link decisions (reason `group`, or
    /// `group_kept` when their organisation stayed), which the organisation's page lists too.
    static func group(_ m: EventMessage, person: String?, key: SourceKey, tx: Tx, clock: any GuanxiCore.Clock) async throws {
        let ws = key.workspaceID, scope = tx.scope, sql = tx.sql
        guard let gid = OrganisationLink.groupID(m.event) else { return }
        let traits: [String: JSONValue] = { if case .object(let o) = m.properties { return o }; return [:] }()
        // a person whose events were deleted on request is not put anywhere
        if let person, !(try await suppressed(ws, [suppressionKey(person)], sql: sql).isEmpty) { return }
        var facts = OrganisationLink.Facts()
        facts.groupCustomer = try await holder("external", OrganisationLink.namespace + ":" + gid, ws, sql)?.id
        let (email, phone) = TraitMerge.identities(traits)
        if let email { facts.emailCustomer = try await holder("email", email, ws, sql) }
        if let phone { facts.phoneCustomer = try await holder("phone", phone, ws, sql) }
        let customers = CustomerStore(db: tx.db, clock: clock)
        let groupIdentity = Identity(kind: .external, value: gid, namespace: OrganisationLink.namespace)
        let organisation: String
        var changed = false
        switch OrganisationLink.choose(facts) {
        case .existing(let id, let addGroupID):
            organisation = id
            if addGroupID {
                changed = try await change(id, scope: scope, tx: tx, customers: customers, message: m, key: key) { old in
                    var d = CustomerDraft(); d.identities = old.identities + [groupIdentity]; return d
                } == .changed
            }
        case .create(let withEmail, let withPhone):
            var d = CustomerDraft()
            d.kind = .organization
            d.name = OrganisationLink.name(traits: traits, groupID: gid)
            d.identities = [groupIdentity]
            d.source = .some("events")
            if withEmail, let email { d.emails = [email] }
            if withPhone, let phone { d.phones = [phone] }
            let made: Customer
            do { made = try await customers.insert(d, tx: tx) } catch is DomainError {
                // a name or trait the customer database refuses: the group id alone
                var bare = CustomerDraft(); bare.kind = .organization; bare.name = String(gid.prefix(200)); bare.identities = [groupIdentity]
                bare.source = .some("events")
                guard let m2 = try? await customers.insert(bare, tx: tx) else { return }
                made = m2
            }
            organisation = made.id
            changed = true
        }
        var reason = IdentityLink.Reason.group
        if let person, let p = try? await CustomerStore.load(scope, person, sql: sql) {
            switch OrganisationLink.join(personIsOrganisation: p.kind == .organization, personID: p.id, current: p.organizationID, organisation: organisation) {
            case .set:
                let joined = try await change(person, scope: scope, tx: tx, customers: customers, message: m, key: key) { _ in
                    var d = CustomerDraft(); d.organizationID = .some(organisation); return d
                }
                if joined == .changed { changed = true }
            case .kept: reason = .groupKept; changed = true
            case .same, .notAPerson: break
            }
        }
        guard changed else { return }
        try await sql.raw("""
            INSERT INTO event_link_decisions (id, workspace_id, customer_id, other_customer_id, reason, anonymous_id, user_id, linked_json,
                                              source_id, message_id, decided_at)
            VALUES (\(bind: ID.make(at: tx.now)), \(bind: ws), \(bind: person), \(bind: organisation), \(bind: reason.rawValue),
                    \(bind: m.anonymousID), \(bind: m.userID), \(bind: JSONCoding.encode([gid])), \(bind: key.sourceID), \(bind: m.messageID),
                    \(bind: tx.now.millis))
            """).run()
    }

    /// A visitor just became a customer: the latest group call their ids made puts them at its organisation.
    static func groupAfterLink(_ ws: String, ids: [String], customer: String, key: SourceKey, tx: Tx, clock: any GuanxiCore.Clock) async throws {
        guard !ids.isEmpty, let r = try await tx.sql.raw("""
            SELECT message_id, event, anonymous_id, user_id, occurred_at, properties_json FROM events
            WHERE workspace_id = \(bind: ws) AND customer_id = \(bind: customer) AND type = 'group'
              AND (anonymous_id IN (\(binds: ids)) OR user_id IN (\(binds: ids)))
            ORDER BY occurred_at DESC, seq DESC LIMIT 1
            """).first() else { return }
        let m = EventMessage(type: .group, event: try r.decode(column: "event", as: String?.self), messageID: try r.decode(column: "message_id", as: String.self),
                             anonymousID: try r.decode(column: "anonymous_id", as: String?.self), userID: try r.decode(column: "user_id", as: String?.self),
                             timestamp: Date(millis: try r.decode(column: "occurred_at", as: Int64.self)),
                             properties: (try? JSONParser.parse(try r.decode(column: "properties_json", as: String.self))) ?? .object([:]))
        try await group(m, person: customer, key: key, tx: tx, clock: clock)
    }

    /// The live customer holding a normalised identity, and whether it is an organisation.
    static func holder(_ kind: String, _ value: String, _ ws: String, _ sql: any SQLDatabase) async throws -> (id: String, organisation: Bool)? {
        guard let r = try await sql.raw("""
            SELECT i.customer_id, c.kind FROM customer_identities i JOIN customers c ON c.id = i.customer_id
            WHERE i.workspace_id = \(bind: ws) AND i.kind = \(bind: kind) AND i.value = \(bind: value)
              AND c.deleted_at IS NULL AND c.merged_into IS NULL
            """).first() else { return nil }
        return (try r.decode(column: "customer_id", as: String.self), try r.decode(column: "kind", as: String.self) == CustomerKind.organization.rawValue)
    }

    /// What a change made by events did to a customer.
    enum Applied { case changed, unchanged, refused }

    /// A change made by events to a customer (a group's organisation, an identify's traits), saved as a
    /// staff member's is: validated, its references and identities checked, audited by `events`,
    /// published. A change the customer database refuses changes nothing and says so.
    static func change(_ id: String, scope: Scope, tx: Tx, customers: CustomerStore, message m: EventMessage, key: SourceKey,
                       _ draft: (Customer) -> CustomerDraft) async throws -> Applied {
        guard let old = try? await CustomerStore.load(scope, id, sql: tx.sql) else { return .refused }
        do {
            let rules = WorkspaceRules(customFields: try await CustomFieldStore.definitions(scope.workspaceID, sql: tx.sql))
            var c = try CustomerValidator.apply(draft(old), to: old, rules: rules, id: old.id, now: tx.now)
            guard c != old else { return .unchanged }
            try await customers.checkReferences(scope, &c, previous: old, sql: tx.sql)
            try await customers.checkIdentities(scope, c.allIdentities, ownID: c.id, sql: tx.sql)
            c.version = old.version + 1
            c.updatedAt = tx.now
            try await customers.save(scope, c, sql: tx.sql)
            try await tx.audit("update", "customers", c.id, detail: .object([
                "by": .string("events"), "source_id": .string(key.sourceID), "message_id": .string(m.messageID),
                "changes": AuditDetail.changes(old, c)]))
            try await tx.publish(.customerUpdated, c.id, c)
            return .changed
        } catch is DomainError {
            return .refused
        }
    }
}
