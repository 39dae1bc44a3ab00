import Foundation

public enum CustomerKind: String, Codable, Sendable, CaseIterable { case person, organization }

/// Where a customer stands in the relationship; changes are recorded on the timeline.
public enum LifecycleStage: String, Codable, Sendable, CaseIterable {
    case prospect, lead, customer
    case repeatCustomer = "repeat"
    case loyal
    case atRisk = "at_risk"
    case lost
}

/// Channels a customer can be reached on, each with its own consent.
public enum ContactChannel: String, Codable, Sendable, CaseIterable { case email, sms, phone, wechat }

public enum ConsentStatus: String, Codable, Sendable, CaseIterable { case granted, denied, unknown }

/// Kinds of identity; each (workspace, kind, value) belongs to at most one customer.
public enum IdentityKind: String, Codable, Sendable, CaseIterable {
    case email, phone
    case wechatID = "wechat_id"
    case wechatOpenID = "wechat_openid"
    case wechatUnionID = "wechat_unionid"
    case external
}

public enum RelationKind: String, Codable, Sendable, CaseIterable {
    case worksAt = "works_at"
    case family
    case referredBy = "referred_by"
    case other
}

public enum InteractionKind: String, Codable, Sendable, CaseIterable {
    case call, email, meeting, visit, chat, wechat, sms, web, app, store, social
}

public enum Direction: String, Codable, Sendable, CaseIterable { case inbound, outbound }

/// Everything that can appear on a customer's timeline. Later features (orders, tickets,
/// behaviour events) add cases here and write rows to the same table.
public enum TimelineKind: String, Codable, Sendable, CaseIterable {
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
}

public struct Address: Codable, Sendable, Equatable {
    public var label: String?
    public var country: String?
    public var province: String?
    public var city: String?
    public var district: String?
    public var street: String?
    public var postcode: String?
    public init(label: String? = nil, country: String? = nil, province: String? = nil, city: String? = nil,
                district: String? = nil, street: String? = nil, postcode: String? = nil) {
        self.label = label; self.country = country; self.province = province; self.city = city
        self.district = district; self.street = street; self.postcode = postcode
    }
}

/// A normalised identity value. `namespace` is set for external ids only (e.g. "shop", "erp").
public struct Identity: Codable, Sendable, Hashable {
    public var kind: IdentityKind
    public var value: String
    public var namespace: String?
    public init(kind: IdentityKind, value: String, namespace: String? = nil) {
        self.kind = kind; self.value = value; self.namespace = namespace
    }
    /// The key that must be unique per workspace.
    public var uniqueKey: String { namespace.map { "\($0):\(value)" } ?? value }
}

/// A customer as stored and returned by the API.
public struct Customer: Codable, Sendable, Equatable {
    public var id: String
    public var kind: CustomerKind
    public var name: String
    public var organizationID: String?
    public var organizationName: String?
    public var title: String?
    public var stage: LifecycleStage
    public var tier: String?
    public var ownerID: String?
    public var source: String?
    public var emails: [String]
    public var phones: [String]
    public var identities: [Identity]
    public var addresses: [Address]
    public var birthday: String?
    public var consent: [String: ConsentStatus]
    public var preferredChannel: ContactChannel?
    public var tags: [String]
    public var custom: [String: JSONValue]
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?
    /// Set when personal data in this copy is masked for the reader (absent otherwise).
    public var masked: Bool? = nil

    public init(id: String, kind: CustomerKind, name: String, organizationID: String?, organizationName: String?,
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
public struct CustomerDraft: Codable, Sendable, Equatable {
    public var kind: CustomerKind?
    public var name: String?
    public var organizationID: String??
    public var title: String??
    public var stage: LifecycleStage?
    public var tier: String??
    public var ownerID: String??
    public var source: String??
    public var emails: [String]?
    public var phones: [String]?
    public var identities: [Identity]?
    public var addresses: [Address]?
    public var birthday: String??
    public var consent: [String: ConsentStatus]?
    public var preferredChannel: ContactChannel??
    public var tags: [String]?
    public var custom: [String: JSONValue]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case kind, name, title, stage, tier, source, emails, phones, identities, addresses, birthday
        case consent, tags, custom
        case organizationID = "organization_id", ownerID = "owner_id", preferredChannel = "preferred_channel"
    }

    // Double optionals distinguish "absent" (leave as is) from `null` (clear the field).
    public init(from decoder: any Decoder) throws {
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
    public func writeJSON(to w: inout JSONWriter) {
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
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in
            w.member("city", city); w.member("country", country); w.member("district", district)
            w.member("label", label); w.member("postcode", postcode); w.member("province", province)
            w.member("street", street)
        }
    }

    /// From the string members of a stored JSON object (unknown members ignored, the last of a repeated one wins).
    public init(members: [(String, String)]) {
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
    public init(json: JSONValue) {
        let o = json.objectValue ?? [:]
        self.init(label: o["label"]?.stringValue, country: o["country"]?.stringValue, province: o["province"]?.stringValue,
                  city: o["city"]?.stringValue, district: o["district"]?.stringValue, street: o["street"]?.stringValue,
                  postcode: o["postcode"]?.stringValue)
    }
}

extension Identity: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) {
        w.object { w in w.member("kind", kind.rawValue); w.member("namespace", namespace); w.member("value", value) }
    }

    /// From the stored JSON object; nil when it is not an identity.
    public init?(json: JSONValue) {
        guard let o = json.objectValue, let k = o["kind"]?.stringValue.flatMap(IdentityKind.init(rawValue:)),
              let v = o["value"]?.stringValue else { return nil }
        self.init(kind: k, value: v, namespace: o["namespace"]?.stringValue)
    }
}
