import Foundation

package enum CustomerKind: String, Codable, Sendable, CaseIterable { case person, organization }

/// Where a customer stands in the relationship; changes are recorded on the timeline.
package enum LifecycleStage: String, Codable, Sendable, CaseIterable {
    case prospect, lead, customer
    case repeatCustomer = "repeat"
    case loyal
    case atRisk = "at_risk"
    case lost
}

/// Channels a customer can be reached on, each with its own consent.
package enum ContactChannel: String, Codable, Sendable, CaseIterable { case email, sms, phone, wechat }

package enum ConsentStatus: String, Codable, Sendable, CaseIterable { case granted, denied, unknown }

/// Kinds of identity; each (workspace, kind, value) belongs to at most one customer.
package enum IdentityKind: String, Codable, Sendable, CaseIterable {
    case email, phone
    case wechatID = "wechat_id"
    case wechatOpenID = "wechat_openid"
    case wechatUnionID = "wechat_unionid"
    case external
}

package enum RelationKind: String, Codable, Sendable, CaseIterable {
    case worksAt = "works_at"
    case family
    case referredBy = "referred_by"
    case other
}

package enum InteractionKind: String, Codable, Sendable, CaseIterable {
    case call, email, meeting, visit, chat, wechat, sms, web, app, store, social
}

package enum Direction: String, Codable, Sendable, CaseIterable { case inbound, outbound }

/// Everything that can appear on a customer's timeline. Later features (orders, tickets,
/// behaviour events) add cases here and write rows to the same table.
package enum TimelineKind: String, Codable, Sendable, CaseIterable {
    case note, interaction, created
    case stageChanged = "stage_changed"
    case tierChanged = "tier_changed"
    case ownerChanged = "owner_changed"
    case merged
    case mergeUndone = "merge_undone"
    case deleted, restored, imported
    /// A lead's status moved (new → contacted → qualified, or disqualified with a reason).
    case statusChanged = "status_changed"
    /// A lead became this customer; its history moved here with it.
    case converted
    /// A deal with this customer was opened, or moved to another stage (won and lost included).
    case dealOpened = "deal_opened"
    case dealMoved = "deal_moved"
    /// A quote for this customer was opened, sent, accepted, rejected or revised (`data.step`).
    case quote
    /// An order step: placed, paid, refunded, shipped, delivered, confirmed, cancelled, returned (`data.step`).
    case order
    /// A follow-up task about this customer or lead was planned, or completed (visits log an interaction instead).
    case taskCreated = "task_created"
    case taskDone = "task_done"
    /// A service ticket of this customer was opened or changed status (`data.step`).
    case ticket
    /// A telephone call with this customer ended, was missed, or its recording arrived (`data.step`).
    case call
}

package struct Address: Codable, Sendable, Equatable {
    package var label: String?
    package var country: String?
    package var province: String?
    package var city: String?
    package var district: String?
    package var street: String?
    package var postcode: String?
    package init(label: String? = nil, country: String? = nil, province: String? = nil, city: String? = nil,
                district: String? = nil, street: String? = nil, postcode: String? = nil) {
        self.label = label; self.country = country; self.province = province; self.city = city
        self.district = district; self.street = street; self.postcode = postcode
    }
}

/// A normalised identity value. `namespace` is set for external ids only (e.g. "shop", "erp").
package struct Identity: Codable, Sendable, Hashable {
    package var kind: IdentityKind
    package var value: String
    package var namespace: String?
    package init(kind: IdentityKind, value: String, namespace: String? = nil) {
        self.kind = kind; self.value = value; self.namespace = namespace
    }
    /// The key that must be unique per workspace.
    package var uniqueKey: String { namespace.map { "\($0):\(value)" } ?? value }
}

/// A customer as stored and returned by the API.
package struct Customer: Codable, Sendable, Equatable {
    package var id: String
    package var kind: CustomerKind
    package var name: String
    package var organizationID: String?
    package var organizationName: String?
    package var title: String?
    package var stage: LifecycleStage
    package var tier: String?
    package var ownerID: String?
    package var source: String?
    package var emails: [String]
    package var phones: [String]
    package var identities: [Identity]
    package var addresses: [Address]
    package var birthday: String?
    package var consent: [String: ConsentStatus]
    package var preferredChannel: ContactChannel?
    package var tags: [String]
    package var custom: [String: JSONValue]
    package var version: Int
    package var createdAt: Date
    package var updatedAt: Date
    package var deletedAt: Date?
    /// Set when personal data in this copy is masked for the reader (absent otherwise).
    package var masked: Bool? = nil

    package init(id: String, kind: CustomerKind, name: String, organizationID: String?, organizationName: String?,
                title: String?, stage: LifecycleStage, tier: String?, ownerID: String?, source: String?,
                emails: [String], phones: [String], identities: [Identity], addresses: [Address], birthday: String?,
                consent: [String: ConsentStatus], preferredChannel: ContactChannel?, tags: [String],
                custom: [String: JSONValue], version: Int, createdAt: Date, updatedAt: Date, deletedAt: Date?) {
        self.id = id; self.kind = kind; self.name = name; self.organizationID = organizationID
        self.organizationName = organizationName; self.title = title; self.stage = stage; self.tier = tier
        self.ownerID = ownerID; self.source = source; self.emails = emails; self.phones = phones
        self.identities = identities; self.addresses = addresses; self.birthday = birthday; self.consent = consent
        self.preferredChannel = preferredChannel; self.tags = tags; self.custom = custom; self.version = version
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.deletedAt = deletedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, name, title, stage, tier, source, emails, phones, identities, addresses, birthday
        case consent, tags, custom, version, masked
        case organizationID = "organization_id", organizationName = "organization_name"
        case ownerID = "owner_id", preferredChannel = "preferred_channel"
        case createdAt = "created_at", updatedAt = "updated_at", deletedAt = "deleted_at"
    }
}

/// The fields a client may send to create or change a customer. Every field is optional here;
/// `CustomerValidator` decides what a create requires. Arrays replace the stored list.
package struct CustomerDraft: Codable, Sendable, Equatable {
    package var kind: CustomerKind?
    package var name: String?
    package var organizationID: String??
    package var title: String??
    package var stage: LifecycleStage?
    package var tier: String??
    package var ownerID: String??
    package var source: String??
    package var emails: [String]?
    package var phones: [String]?
    package var identities: [Identity]?
    package var addresses: [Address]?
    package var birthday: String??
    package var consent: [String: ConsentStatus]?
    package var preferredChannel: ContactChannel??
    package var tags: [String]?
    package var custom: [String: JSONValue]?

    package init() {}

    enum CodingKeys: String, CodingKey {
        case kind, name, title, stage, tier, source, emails, phones, identities, addresses, birthday
        case consent, tags, custom
        case organizationID = "organization_id", ownerID = "owner_id", preferredChannel = "preferred_channel"
    }

    // Double optionals distinguish "absent" (leave as is) from `null` (clear the field).
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func dbl<T: Decodable>(_ k: CodingKeys, _ t: T.Type) throws -> T?? {
            guard c.contains(k) else { return .none }
            if try c.decodeNil(forKey: k) { return .some(nil) }
            return .some(try c.decode(T.self, forKey: k))
        }
        kind = try c.decodeIfPresent(CustomerKind.self, forKey: .kind)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        organizationID = try dbl(.organizationID, String.self)
        title = try dbl(.title, String.self)
        stage = try c.decodeIfPresent(LifecycleStage.self, forKey: .stage)
        tier = try dbl(.tier, String.self)
        ownerID = try dbl(.ownerID, String.self)
        source = try dbl(.source, String.self)
        emails = try c.decodeIfPresent([String].self, forKey: .emails)
        phones = try c.decodeIfPresent([String].self, forKey: .phones)
        identities = try c.decodeIfPresent([Identity].self, forKey: .identities)
        addresses = try c.decodeIfPresent([Address].self, forKey: .addresses)
        birthday = try dbl(.birthday, String.self)
        consent = try c.decodeIfPresent([String: ConsentStatus].self, forKey: .consent)
        preferredChannel = try dbl(.preferredChannel, ContactChannel.self)
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        custom = try c.decodeIfPresent([String: JSONValue].self, forKey: .custom)
    }
}

// MARK: Fast JSON (the API's hot answers; a test checks it equals the Codable encoding)

extension Customer: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.key("addresses"); w.write(addresses)
            w.member("birthday", birthday)
            w.key("consent"); w.object { w in
                for k in consent.keys.sorted(by: JSONWriter.keyOrder) { w.key(name: k); w.string(consent[k]!.rawValue) }
            }
            w.member("created_at", createdAt)
            w.key("custom"); w.value(.object(custom))
            w.member("deleted_at", deletedAt)
            w.member("emails", emails)
            w.member("id", id)
            w.key("identities"); w.write(identities)
            w.member("kind", kind.rawValue)
            if let masked { w.key("masked"); w.bool(masked) }
            w.member("name", name)
            w.member("organization_id", organizationID)
            w.member("organization_name", organizationName)
            w.member("owner_id", ownerID)
            w.member("phones", phones)
            w.member("preferred_channel", preferredChannel?.rawValue)
            w.member("source", source)
            w.member("stage", stage.rawValue)
            w.member("tags", tags)
            w.member("tier", tier)
            w.member("title", title)
            w.member("updated_at", updatedAt)
            w.member("version", version)
        }
    }
}

extension Address: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("city", city); w.member("country", country); w.member("district", district)
            w.member("label", label); w.member("postcode", postcode); w.member("province", province)
            w.member("street", street)
        }
    }

    /// From the string members of a stored JSON object (unknown members ignored, the last of a repeated one wins).
    package init(members: [(String, String)]) {
        self.init()
        for (k, v) in members {
            switch k {
            case "label": label = v
            case "country": country = v
            case "province": province = v
            case "city": city = v
            case "district": district = v
            case "street": street = v
            case "postcode": postcode = v
            default: continue
            }
        }
    }

    /// From the stored JSON object (unknown members ignored).
    package init(json: JSONValue) {
        let o = json.objectValue ?? [:]
        self.init(label: o["label"]?.stringValue, country: o["country"]?.stringValue, province: o["province"]?.stringValue,
                  city: o["city"]?.stringValue, district: o["district"]?.stringValue, street: o["street"]?.stringValue,
                  postcode: o["postcode"]?.stringValue)
    }
}

extension Identity: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.object { w in w.member("kind", kind.rawValue); w.member("namespace", namespace); w.member("value", value) }
    }

    /// From the stored JSON object; nil when it is not an identity.
    package init?(json: JSONValue) {
        guard let o = json.objectValue, let k = o["kind"]?.stringValue.flatMap(IdentityKind.init(rawValue:)),
              let v = o["value"]?.stringValue else { return nil }
        self.init(kind: k, value: v, namespace: o["namespace"]?.stringValue)
    }
}
