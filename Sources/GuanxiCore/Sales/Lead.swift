import Foundation

/// Where a lead stands. `converted` is reached only by converting it into a customer.
package enum LeadStatus: String, Codable, Sendable, CaseIterable {
    case new, contacted, qualified, disqualified, converted

    /// The moves a person may make by hand (conversion has its own operation).
    package static let moves: [LeadStatus: Set<LeadStatus>] = [
        .new: [.contacted, .qualified, .disqualified],
        .contacted: [.qualified, .disqualified],
        .qualified: [.contacted, .disqualified],
        .disqualified: [.contacted],     // reopened
        .converted: [],
    ]

    /// Throws a clear reason unless `self → to` is allowed.
    package func check(to: LeadStatus, reason: String?) throws(DomainError) {
        if to == self { return }
        if to == .converted { throw DomainError.field("status", "use conversion to turn a lead into a customer") }
        guard Self.moves[self]?.contains(to) == true else {
            throw DomainError.conflict("a \(rawValue) lead cannot become \(to.rawValue)")
        }
        if to == .disqualified && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw DomainError.field("reason", "say why the lead is disqualified")
        }
    }
}

/// How a lead arrived.
package enum LeadChannel: String, Codable, Sendable, CaseIterable {
    case api, form, webhook, `import`
}

/// A prospective customer who has not been qualified yet: captured from forms, ads, shops or by hand.
package struct Lead: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var company: String?
    package var title: String?
    /// E.164 (`+8613812345678`) and lower-cased email, normalised for the duplicate check.
    package var phone: String?
    package var email: String?
    package var wechat: String?
    package var province: String?
    package var city: String?
    package var productInterest: String?
    package var tier: String?
    package var source: String?
    package var campaign: String?
    /// utm_source, utm_medium, utm_campaign, utm_term, utm_content, as sent.
    package var utm: [String: String]
    package var message: String?
    package var channel: LeadChannel
    package var status: LeadStatus
    package var disqualifyReason: String?
    package var ownerID: String?
    /// The assignment rule that placed it (nil: placed by hand or no rule matched).
    package var ruleID: String?
    package var assignedAt: Date?
    /// First-response deadline set by the rule; `respondedAt` is the first logged contact.
    package var responseDueAt: Date?
    package var respondedAt: Date?
    /// A customer or another lead with the same phone, email or WeChat id, found at capture.
    package var duplicateOfCustomerID: String?
    package var duplicateOfLeadID: String?
    package var convertedCustomerID: String?
    package var convertedAt: Date?
    package var version: Int
    package var createdAt: Date
    package var updatedAt: Date

    package init(id: String, name: String, company: String?, title: String?, phone: String?, email: String?, wechat: String?, province: String?, city: String?, productInterest: String?, tier: String?, source: String?, campaign: String?, utm: [String: String], message: String?, channel: LeadChannel, status: LeadStatus, disqualifyReason: String?, ownerID: String?, ruleID: String?, assignedAt: Date?, responseDueAt: Date?, respondedAt: Date?, duplicateOfCustomerID: String?, duplicateOfLeadID: String?, convertedCustomerID: String?, convertedAt: Date?, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id; self.name = name; self.company = company; self.title = title; self.phone = phone; self.email = email; self.wechat = wechat; self.province = province; self.city = city; self.productInterest = productInterest; self.tier = tier; self.source = source; self.campaign = campaign; self.utm = utm; self.message = message; self.channel = channel; self.status = status; self.disqualifyReason = disqualifyReason; self.ownerID = ownerID; self.ruleID = ruleID; self.assignedAt = assignedAt; self.responseDueAt = responseDueAt; self.respondedAt = respondedAt; self.duplicateOfCustomerID = duplicateOfCustomerID; self.duplicateOfLeadID = duplicateOfLeadID; self.convertedCustomerID = convertedCustomerID; self.convertedAt = convertedAt; self.version = version; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// Open, not yet answered, and past its first-response deadline.
    package func isOverdue(at now: Date) -> Bool {
        respondedAt == nil && (status == .new) && (responseDueAt.map { $0 < now } ?? false)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, company, title, phone, email, wechat, province, city, tier, source, campaign, utm, message, channel, status, version
        case productInterest = "product_interest", disqualifyReason = "disqualify_reason", ownerID = "owner_id", ruleID = "rule_id"
        case assignedAt = "assigned_at", responseDueAt = "response_due_at", respondedAt = "responded_at"
        case duplicateOfCustomerID = "duplicate_of_customer_id", duplicateOfLeadID = "duplicate_of_lead_id"
        case convertedCustomerID = "converted_customer_id", convertedAt = "converted_at", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// What a form, webhook, import or person sends to create a lead.
package struct LeadDraft: Codable, Sendable, Equatable {
    package var name: String?
    package var company: String?
    package var title: String?
    package var phone: String?
    package var email: String?
    package var wechat: String?
    package var province: String?
    package var city: String?
    package var productInterest: String?
    package var tier: String?
    package var source: String?
    package var campaign: String?
    package var utm: [String: String]?
    package var message: String?
    package var ownerID: String?

    package init() {}

    enum CodingKeys: String, CodingKey {
        case name, company, title, phone, email, wechat, province, city, tier, source, campaign, utm, message
        case productInterest = "product_interest", ownerID = "owner_id"
    }

    package static let utmKeys = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]

    /// Sets a field by its API name (forms and webhook mappings use these names).
    package mutating func set(_ field: String, _ value: String) {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty else { return }
        switch field {
        case "name": name = v
        case "company": company = v
        case "title": title = v
        case "phone": phone = v
        case "email": email = v
        case "wechat": wechat = v
        case "province": province = v
        case "city": city = v
        case "product_interest": productInterest = v
        case "tier": tier = v
        case "source": source = v
        case "campaign": campaign = v
        case "message": message = v
        case let k where Self.utmKeys.contains(k): utm = (utm ?? [:]).merging([k: v]) { _, b in b }
        default: break
        }
    }

    package static let fields = ["name", "company", "title", "phone", "email", "wechat", "province", "city", "product_interest",
                                "tier", "source", "campaign", "message"] + utmKeys
}

package enum LeadValidator {
    /// A clean lead from a draft, or `.validation` naming every bad field.
    package static func make(_ d: LeadDraft, id: String, channel: LeadChannel, now: Date) throws(DomainError) -> Lead {
        var e = FieldErrors()
        func text(_ key: String, _ v: String?, max: Int) -> String? {
            guard let v = v.map(Text.clean), !v.isEmpty else { return nil }
            if v.count > max { e.add(key, .longerThan(max)) }
            return v
        }
        let phone = text("phone", d.phone, max: 40).flatMap { raw -> String? in
            if let p = IdentityNormalizer.phone(raw) { return p }
            e.add("phone", "'\(raw)' is not a valid phone number"); return nil
        }
        let email = text("email", d.email, max: 200).flatMap { raw -> String? in
            if let m = IdentityNormalizer.email(raw) { return m }
            e.add("email", "'\(raw)' is not a valid email address"); return nil
        }
        let wechat = text("wechat", d.wechat, max: 60)
        var name = text("name", d.name, max: 200)
        if name == nil { name = email ?? phone ?? wechat }
        if name == nil { e.add("name", "a name, email or phone is required") }
        var utm: [String: String] = [:]
        for (k, v) in d.utm ?? [:] {
            guard LeadDraft.utmKeys.contains(k) else { e.add("utm.\(k)", "is not a UTM parameter"); continue }
            if let v = text("utm.\(k)", v, max: 200) { utm[k] = v }
        }
        if let o = d.ownerID, !ID.isValid(o) { e.add("owner_id", "is not a valid id") }
        let lead = Lead(id: id, name: name ?? "", company: text("company", d.company, max: 200), title: text("title", d.title, max: 100),
                        phone: phone, email: email, wechat: wechat, province: text("province", d.province, max: 50),
                        city: text("city", d.city, max: 50), productInterest: text("product_interest", d.productInterest, max: 100),
                        tier: text("tier", d.tier, max: 20), source: text("source", d.source, max: 50), campaign: text("campaign", d.campaign, max: 100),
                        utm: utm, message: text("message", d.message, max: 5000), channel: channel, status: .new, disqualifyReason: nil,
                        ownerID: d.ownerID?.lowercased(), ruleID: nil, assignedAt: nil, responseDueAt: nil, respondedAt: nil,
                        duplicateOfCustomerID: nil, duplicateOfLeadID: nil, convertedCustomerID: nil, convertedAt: nil,
                        version: 1, createdAt: now, updatedAt: now)
        try e.throwIfAny()
        return lead
    }
}

// MARK: Fast JSON (lead capture answers thousands of these a second; a test checks it equals the Codable encoding)

extension Lead: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("assigned_at", assignedAt); w.member("campaign", campaign); w.member("channel", channel.rawValue)
            w.member("city", city); w.member("company", company); w.member("converted_at", convertedAt)
            w.member("converted_customer_id", convertedCustomerID); w.member("created_at", createdAt)
            w.member("disqualify_reason", disqualifyReason); w.member("duplicate_of_customer_id", duplicateOfCustomerID)
            w.member("duplicate_of_lead_id", duplicateOfLeadID); w.member("email", email); w.member("id", id)
            w.member("message", message); w.member("name", name); w.member("owner_id", ownerID); w.member("phone", phone)
            w.member("product_interest", productInterest); w.member("province", province); w.member("responded_at", respondedAt)
            w.member("response_due_at", responseDueAt); w.member("rule_id", ruleID); w.member("source", source)
            w.member("status", status.rawValue); w.member("tier", tier); w.member("title", title); w.member("updated_at", updatedAt)
            w.key("utm"); w.object { w in for k in utm.keys.sorted(by: JSONWriter.keyOrder) { w.key(name: k); w.string(utm[k]!) } }
            w.member("version", version); w.member("wechat", wechat)
        }
    }
}

extension LeadDraft: JSONReadable {
    /// Reads the API's JSON object as the Codable decoder would (unknown members ignored, null as absent),
    /// naming the field whose value has the wrong type.
    package init(json object: [String: JSONValue]) throws(DomainError) {
        self.init()
        func text(_ k: String) throws(DomainError) -> String? { try JSONReading.string(object, k) }
        name = try text("name"); company = try text("company"); title = try text("title"); phone = try text("phone")
        email = try text("email"); wechat = try text("wechat"); province = try text("province"); city = try text("city")
        productInterest = try text("product_interest"); tier = try text("tier"); source = try text("source")
        campaign = try text("campaign"); message = try text("message"); ownerID = try text("owner_id")
        utm = try JSONReading.stringMap(object, "utm")
    }
}
