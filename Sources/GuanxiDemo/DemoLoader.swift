import Foundation
import SQLKit
import GuanxiCore
import GuanxiStore

/// Loads `DemoData` into a workspace in large transactions (the fast path the benchmarks use).
package struct DemoLoader: Sendable {
    let db: Database
    /// The demo catalogue and its orders go through the stores' own paths.
    let products: ProductStore
    let orders: OrderStore
    package init(db: Database, products: ProductStore, orders: OrderStore) { self.db = db; self.products = products; self.orders = orders }

    /// Inserts `config.customers` customers (plus the organisations they work at) with their
    /// interactions; `progress` gets the number done so far.
    package func load(_ scope: Scope, config: DemoConfig, ownerIDs: [String] = [], batchSize: Int = 5000,
                     progress: (@Sendable (Int) -> Void)? = nil) async throws -> (customers: Int, organizations: Int, interactions: Int) {
        var orgs: [String: String] = [:]
        var wechatSeen = Set<String>()   // generated WeChat ids may repeat; identities must not
        var totals = (customers: 0, organizations: 0, interactions: 0)
        var start = 0
        while start < config.customers {
            let end = min(start + batchSize, config.customers)
            var batch: [DemoCustomer] = []
            batch.reserveCapacity(end - start)
            for i in start..<end {
                var d = DemoData.customer(at: i, config: config)
                if let w = d.wechat, !wechatSeen.insert(w).inserted { d.wechat = nil }
                batch.append(d)
            }
            let known = orgs, items = batch
            let (added, counts) = try await db.write { sql in
                try await insert(scope, items, orgs: known, ownerIDs: ownerIDs, sql: sql)
            }
            orgs.merge(added) { a, _ in a }
            totals.customers += counts.0; totals.organizations += counts.1; totals.interactions += counts.2
            start = end
            progress?(end)
        }
        return totals
    }

    func insert(_ scope: Scope, _ batch: [DemoCustomer], orgs known: [String: String], ownerIDs: [String],
                sql: any SQLDatabase) async throws -> ([String: String], (Int, Int, Int)) {
        var orgs = known
        var added: [String: String] = [:]
        var rows: [(Customer, String)] = []
        var entries: [TimelineEntry] = []
        func make(_ d: DemoCustomer, kind: CustomerKind, name: String, orgID: String?, orgName: String?) -> Customer {
            let address = Address(country: d.country, province: d.province, city: d.city, district: d.district, street: d.street, postcode: d.postcode)
            var identities: [Identity] = []
            if let w = d.wechat, kind == .person { identities.append(Identity(kind: .wechatID, value: w)) }
            return Customer(
                id: ID.make(at: d.createdAt), kind: kind, name: name, organizationID: orgID, organizationName: orgName,
                title: kind == .person ? d.title : nil, stage: LifecycleStage(rawValue: d.stage) ?? .prospect, tier: d.tier,
                ownerID: ownerIDs.isEmpty ? nil : ownerIDs[d.index % ownerIDs.count], source: d.source,
                emails: kind == .person || orgID == nil ? d.emails : [], phones: kind == .person || orgID == nil ? d.phones : [],
                identities: identities, addresses: [address], birthday: kind == .person ? d.birthday : nil,
                consent: ["email": .granted, "wechat": .granted], preferredChannel: d.wechat != nil ? .wechat : .phone,
                tags: d.tags, custom: [:], version: 1, createdAt: d.createdAt, updatedAt: d.createdAt, deletedAt: nil)
        }
        var orgCount = 0
        for d in batch {
            var orgID: String?
            if d.kind == .person, let name = d.organization {
                if let id = orgs[name] { orgID = id } else {
                    var org = make(d, kind: .organization, name: name, orgID: nil, orgName: nil)
                    org.emails = []; org.phones = []; org.identities = []; org.tags = []
                    org.createdAt = d.createdAt.addingTimeInterval(-86_400); org.updatedAt = org.createdAt
                    orgs[name] = org.id; added[name] = org.id; orgID = org.id
                    rows.append((org, CustomerRows.searchDocument(org)))
                    orgCount += 1
                }
            }
            let c = d.kind == .organization
                ? make(d, kind: .organization, name: d.name, orgID: nil, orgName: nil)
                : make(d, kind: .person, name: d.name, orgID: orgID, orgName: d.organization)
            if d.kind == .organization { if orgs[d.name] == nil { orgs[d.name] = c.id; added[d.name] = c.id } }
            rows.append((c, CustomerRows.searchDocument(c)))
            entries.append(TimelineEntry(id: ID.make(at: d.createdAt), customerID: c.id, kind: .created, occurredAt: d.createdAt,
                                         data: ["name": .string(c.name)], createdAt: d.createdAt))
            for i in d.interactions {
                entries.append(TimelineEntry(id: ID.make(at: i.occurredAt), customerID: c.id, kind: .interaction, occurredAt: i.occurredAt,
                                             channel: InteractionKind(rawValue: i.kind), direction: Direction(rawValue: i.direction),
                                             subject: i.subject, body: i.body, durationSeconds: i.durationSeconds, outcome: i.outcome,
                                             authorID: c.ownerID, createdAt: i.occurredAt))
            }
        }
        var seqs: [Int64] = []
        for chunk in rows.chunked(1000) { seqs += try await CustomerRows.insert(Array(chunk), workspaceID: scope.workspaceID, sql: sql) }
        try await CustomerRows.writeDerived(zip(seqs, rows).map { ($0, $1.0, $1.1) }, workspaceID: scope.workspaceID,
                                            dialect: db.dialect, replacing: false, sql: sql)
        try await TimelineStore.append(entries, workspaceID: scope.workspaceID, sql: sql)
        return (added, (rows.count - orgCount, orgCount, entries.count - batch.count))
    }
}

