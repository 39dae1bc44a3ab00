import Foundation

/// Workspace-level settings that validation depends on.
package struct WorkspaceRules: Sendable {
    package var tiers: [String]
    package var customFields: [CustomFieldDefinition]
    package init(tiers: [String] = WorkspaceRules.defaultTiers, customFields: [CustomFieldDefinition] = []) {
        self.tiers = tiers; self.customFields = customFields
    }
    package static let defaultTiers = ["VIP", "A", "B", "C"]
}

extension Customer {
    /// Every identity the customer holds, emails and phones included: what must be unique.
    package var allIdentities: [Identity] {
        emails.map { Identity(kind: .email, value: $0) } + phones.map { Identity(kind: .phone, value: $0) } + identities
    }
}

/// The one place that decides whether a customer's fields are acceptable, and normalises them.
package enum CustomerValidator {
    package static let maxTags = 50
    package static let maxIdentitiesPerKind = 20

    /// Applies `draft` on top of `base` (nil for a create) and returns the resulting customer,
    /// or throws `.validation` naming every bad field.
    package static func apply(_ draft: CustomerDraft, to base: Customer?, rules: WorkspaceRules,
                             id: String, now: Date) throws(DomainError) -> Customer {
        var e = FieldErrors()
        var c = base ?? Customer(
            id: id, kind: draft.kind ?? .person, name: "", organizationID: nil, organizationName: nil, title: nil,
            stage: .prospect, tier: nil, ownerID: nil, source: nil, emails: [], phones: [], identities: [],
            addresses: [], birthday: nil, consent: [:], preferredChannel: nil, tags: [], custom: [:],
            version: 0, createdAt: now, updatedAt: now, deletedAt: nil)

        if base == nil && draft.kind == nil { e.add("kind", "is required: person or organization") }
        if let k = draft.kind, let b = base, k != b.kind { e.add("kind", "cannot be changed after creation") }
        if let k = draft.kind { c.kind = k }

        if let name = draft.name {
            let n = Text.clean(name)
            if n.isEmpty { e.add("name", "is required") }
            else if n.count > 200 { e.add("name", .longerThan(200)) }
            c.name = n
        } else if base == nil { e.add("name", "is required") }

        if let t = draft.title { c.title = t.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
            if (c.title?.count ?? 0) > 100 { e.add("title", .longerThan(100)) } }
        if let o = draft.organizationID {
            if let o, !ID.isValid(o) { e.add("organization_id", "is not a valid id") }
            c.organizationID = o?.lowercased()
            if c.organizationID == nil { c.organizationName = nil }
        }
        if c.kind == .organization && c.organizationID != nil { e.add("organization_id", "an organisation cannot work at an organisation") }
        if c.organizationID != nil && c.organizationID == c.id { e.add("organization_id", "cannot point to itself") }
        if let s = draft.stage { c.stage = s }
        if let t = draft.tier {
            let v = t.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
            if let v, !rules.tiers.contains(v) { e.add("tier", .oneOf(rules.tiers)) }
            c.tier = v
        }
        if let o = draft.ownerID {
            if let o, !ID.isValid(o) { e.add("owner_id", "is not a valid id") }
            c.ownerID = o?.lowercased()
        }
        if let s = draft.source {
            c.source = s.map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
            if (c.source?.count ?? 0) > 50 { e.add("source", .longerThan(50)) }
        }
        if let list = draft.emails {
            c.emails = normalizeList(list, field: "emails", errors: &e) { IdentityNormalizer.email($0) }
        }
        if let list = draft.phones {
            c.phones = normalizeList(list, field: "phones", errors: &e) { IdentityNormalizer.phone($0) }
        }
        if let ids = draft.identities {
            var out: [Identity] = []
            for (i, id) in ids.enumerated() {
                switch id.kind {
                case .email, .phone:
                    e.add("identities[\(i)]", "send emails and phones in the emails and phones fields")
                case .wechatID:
                    if let v = IdentityNormalizer.wechatID(id.value) { out.append(Identity(kind: .wechatID, value: v)) }
                    else { e.add("identities[\(i)]", "is not a valid WeChat id") }
                case .wechatOpenID, .wechatUnionID:
                    let v = id.value.trimmingCharacters(in: .whitespaces)
                    if v.range(of: "^[A-Za-z0-9_-]{6,64}$", options: .regularExpression) != nil { out.append(Identity(kind: id.kind, value: v)) }
                    else { e.add("identities[\(i)]", "is not a valid WeChat openid/unionid") }
                case .external:
                    if let n = IdentityNormalizer.externalID(namespace: id.namespace ?? "", value: id.value) {
                        out.append(Identity(kind: .external, value: n.value, namespace: n.namespace))
                    } else { e.add("identities[\(i)]", "an external id needs a namespace (a-z, 0-9, _ . -) and a value") }
                }
            }
            var seen = Set<String>()
            c.identities = out.filter { seen.insert("\($0.kind.rawValue)|\($0.uniqueKey)").inserted }
        }
        if let addrs = draft.addresses {
            if addrs.count > 10 { e.add("addresses", "at most 10 addresses") }
            c.addresses = addrs.map { a in
                var a = a
                for kp in [\Address.label, \.country, \.province, \.city, \.district, \.street, \.postcode] {
                    a[keyPath: kp] = a[keyPath: kp].map(Text.clean).flatMap { $0.isEmpty ? nil : $0 }
                    if (a[keyPath: kp]?.count ?? 0) > 200 { e.add("addresses", "an address field is longer than 200 characters") }
                }
                a.country = a.country?.uppercased()
                return a
            }
        }
        if let b = draft.birthday {
            if let b {
                if let d = Dates.parseDay(b), d <= Self.day(now) { c.birthday = d } else { e.add("birthday", "must be a past date (YYYY-MM-DD)") }
            } else { c.birthday = nil }
        }
        if let consent = draft.consent {
            for (k, v) in consent {
                guard ContactChannel(rawValue: k) != nil else { e.add("consent", "unknown channel '\(k)'"); continue }
                c.consent[k] = v
            }
        }
        if let p = draft.preferredChannel { c.preferredChannel = p }
        if let tags = draft.tags {
            let cleaned = tags.map(Text.clean).filter { !$0.isEmpty }
            if cleaned.contains(where: { $0.count > 50 }) { e.add("tags", "a tag is longer than 50 characters") }
            var seen = Set<String>()
            c.tags = cleaned.filter { seen.insert($0).inserted }
            if c.tags.count > maxTags { e.add("tags", "at most \(maxTags) tags") }
        }
        c.custom = CustomFieldDefinition.apply(draft.custom, to: c.custom, definitions: rules.customFields,
                                               requireAll: base == nil || draft.custom != nil, errors: &e)
        try e.throwIfAny()
        return c
    }

    static func normalizeList(_ list: [String], field: String, errors e: inout FieldErrors,
                              _ normalize: (String) -> String?) -> [String] {
        var out: [String] = []
        for (i, raw) in list.enumerated() where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            if let v = normalize(raw) { if !out.contains(v) { out.append(v) } }
            else { e.add("\(field)[\(i)]", "'\(raw.prefix(80))' is not a valid \(field == "emails" ? "email address" : "phone number")") }
        }
        if out.count > maxIdentitiesPerKind { e.add(field, "at most \(maxIdentitiesPerKind)") }
        return out
    }

    static func day(_ d: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
