import Foundation
import SQLKit
import GuanxiCore

package struct LeadConversion: Codable, Sendable {
    /// Attach the lead to this existing customer instead of creating one (e.g. after a 撞单 answer).
    package var customerID: String?
    /// Create (or reuse, by exact name) the lead's company as an organisation. Default true.
    package var createOrganization: Bool?
    /// The new customer's lifecycle stage (default `lead`: qualified but not yet buying).
    package var stage: LifecycleStage?
    /// Open a deal with the customer in the same step (name defaults to the lead's company or name).
    package var deal: DealDraft?
    package init(customerID: String? = nil, createOrganization: Bool? = nil, stage: LifecycleStage? = nil, deal: DealDraft? = nil) {
        self.customerID = customerID; self.createOrganization = createOrganization; self.stage = stage; self.deal = deal
    }
    enum CodingKeys: String, CodingKey { case customerID = "customer_id", createOrganization = "create_organization", stage, deal }
}

package struct LeadConversionResult: Codable, Sendable {
    package var lead: Lead
    package var customer: Customer
    package var organization: Customer?
    package var deal: Deal?
}

extension LeadStore {
    /// Turns a lead into a customer (and its company into an organisation) in one transaction.
    /// The lead's whole history moves onto the customer's timeline; the lead stays, marked converted.
    package func convert(_ scope: Scope, id: String, _ input: LeadConversion) async throws -> LeadConversionResult {
        let now = clock.now()
        var level: AccessLevel?
        var found: [Pipeline] = []
        if var d = input.deal {
            level = try scope.require(.deals, .create)
            d.customerID = ID.make()   // placeholder: the real customer is known inside the transaction
            if d.name == nil { d.name = "?" }
            try d.validate(creating: true)
            found = try await deals.pipelines(scope)
        }
        let dealLevel = level, pipelines = found
        return try await db.write(scope, at: now) { tx in
            let sql = tx.sql
            var l = try await Self.records.load(scope, id, for: .update, sql: sql)
            switch l.status {
            case .converted: throw DomainError.conflict("this lead was already converted")
            case .disqualified: throw DomainError.conflict("a disqualified lead cannot be converted; reopen it first")
            default: break
            }
            var org: Customer?
            let customer: Customer
            if let existing = input.customerID {
                guard ID.isValid(existing) else { throw DomainError.field("customer_id", "is not a valid id") }
                customer = try await CustomerStore.load(scope, existing.lowercased(), for: .update, sql: sql)
            } else {
                if input.createOrganization ?? true, let company = l.company {
                    if let row = try await sql.raw("""
                        SELECT id FROM customers WHERE workspace_id = \(bind: scope.workspaceID) AND kind = 'organization' AND name = \(bind: company)
                        AND deleted_at IS NULL ORDER BY created_at LIMIT 1
                        """).first() {
                        org = try await CustomerStore.load(scope, try row.decode(column: "id", as: String.self), for: .read, sql: sql)
                    } else {
                        var d = CustomerDraft(); d.kind = .organization; d.name = company; d.source = .some(l.source)
                        d.ownerID = .some(l.ownerID ?? scope.userID)
                        org = try await customers.insert(d, data: ["lead_id": .string(l.id)], tx: tx)
                    }
                }
                var d = CustomerDraft()
                d.kind = .person; d.name = l.name; d.title = .some(l.title); d.source = .some(l.source)
                d.organizationID = .some(org?.id)
                d.phones = l.phone.map { [$0] } ?? []; d.emails = l.email.map { [$0] } ?? []
                if let w = l.wechat { d.identities = [Identity(kind: .wechatID, value: w)] }
                if l.province != nil || l.city != nil { d.addresses = [Address(province: l.province, city: l.city)] }
                d.stage = input.stage ?? .lead
                d.ownerID = .some(l.ownerID ?? scope.userID)
                customer = try await customers.insert(d, data: ["lead_id": .string(l.id)], tx: tx)
            }
            // the history moves with the person
            try await sql.raw("""
                UPDATE timeline SET customer_id = \(bind: customer.id) WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: l.id)
                """).run()
            var data: [String: JSONValue] = ["lead_id": .string(l.id), "channel": .string(l.channel.rawValue)]
            if let s = l.source { data["source"] = .string(s) }
            if let c = l.campaign { data["campaign"] = .string(c) }
            for (k, v) in l.utm { data[k] = .string(v) }
            try await tx.timeline(customer.id, .converted, data: data)
            l.status = .converted; l.convertedCustomerID = customer.id; l.convertedAt = now
            if l.respondedAt == nil { l.respondedAt = now }
            l.version += 1; l.updatedAt = now
            try await sql.raw("""
                UPDATE leads SET status = 'converted', converted_customer_id = \(bind: customer.id), converted_at = \(bind: now.millis),
                  responded_at = \(bind: l.respondedAt?.millis), version = \(bind: l.version), updated_at = \(bind: now.millis)
                WHERE id = \(bind: l.id)
                """).run()
            try await tx.audit("convert", "leads", l.id, detail: ["customer_id": .string(customer.id),
                                                                "organization_id": org.map { .string($0.id) } ?? .null])
            try await tx.publish(.leadConverted, l.id, l, changes: ["customer_id": .string(customer.id)])
            var deal: Deal?
            if var d = input.deal, let level = dealLevel {
                d.customerID = customer.id
                if d.name == nil { d.name = (l.company ?? l.name) + (l.productInterest.map { " · " + $0 } ?? "") }
                if d.ownerID == nil { d.ownerID = customer.ownerID ?? scope.userID }
                deal = try await deals.insert(d, level: level, pipelines: pipelines, leadID: l.id, tx: tx)
            }
            return LeadConversionResult(lead: l, customer: try await customers.present(scope, customer, sql: sql),
                                        organization: try await org.asyncMap { try await customers.present(scope, $0, sql: sql) }, deal: deal)
        }
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let w = self else { return nil }
        return try await f(w)
    }
}
