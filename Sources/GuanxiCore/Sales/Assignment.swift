import Foundation

/// Who gets a lead a rule matched.
package enum AssignmentMethod: String, Codable, Sendable, CaseIterable {
    /// The team's active members in turn.
    case roundRobin = "round_robin"
    /// The team's active member with the fewest open leads.
    case leastLoaded = "least_loaded"
    /// One named user.
    case user
    /// Nobody: the lead waits in the 公海 public pool to be claimed.
    case pool
}

/// Which leads a rule takes. Each list empty means "any"; values compare ignoring case and width.
package struct LeadConditions: Codable, Sendable, Equatable {
    package var sources: [String] = []
    package var provinces: [String] = []
    package var cities: [String] = []
    /// Matches when the lead's product interest contains one of these.
    package var products: [String] = []
    package var tiers: [String] = []
    package init(sources: [String] = [], provinces: [String] = [], cities: [String] = [], products: [String] = [], tiers: [String] = []) {
        self.sources = sources; self.provinces = provinces; self.cities = cities; self.products = products; self.tiers = tiers
    }

    enum CodingKeys: String, CodingKey { case sources, provinces, cities, products, tiers }

    /// Every list may be left out (an API client names only the conditions it uses).
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sources = try c.decodeIfPresent([String].self, forKey: .sources) ?? []
        provinces = try c.decodeIfPresent([String].self, forKey: .provinces) ?? []
        cities = try c.decodeIfPresent([String].self, forKey: .cities) ?? []
        products = try c.decodeIfPresent([String].self, forKey: .products) ?? []
        tiers = try c.decodeIfPresent([String].self, forKey: .tiers) ?? []
    }

    /// From the stored JSON object (as written by `Codable`), without Foundation's decoder: rules
    /// are read inside every lead capture's write.
    package init(json: JSONValue) {
        let o = json.objectValue ?? [:]
        self.init(sources: o["sources"]?.strings ?? [], provinces: o["provinces"]?.strings ?? [], cities: o["cities"]?.strings ?? [],
                  products: o["products"]?.strings ?? [], tiers: o["tiers"]?.strings ?? [])
    }

    static func fold(_ s: String) -> String { WidthFolding.fold(s).lowercased().trimmed() }

    package func matches(_ lead: Lead) -> Bool { Folded(self).matches(FoldedLead(lead)) }

    /// The lists folded once, to match many leads against them.
    struct Folded {
        let sources, provinces, cities, products, tiers: [String]
        init(_ c: LeadConditions) {
            sources = c.sources.map(fold); provinces = c.provinces.map(fold); cities = c.cities.map(fold)
            products = c.products.map(fold); tiers = c.tiers.map(fold)
        }
        func matches(_ l: FoldedLead) -> Bool {
            func any(_ list: [String], _ v: String, contains: Bool = false) -> Bool {
                list.isEmpty || (!v.isEmpty && list.contains { contains ? v.contains($0) : $0 == v })
            }
            return any(sources, l.source) && any(provinces, l.province) && any(cities, l.city)
                && any(products, l.product, contains: true) && any(tiers, l.tier)
        }
    }

    /// A lead's compared fields, folded once.
    struct FoldedLead {
        let source, province, city, product, tier: String
        init(_ l: Lead) {
            func f(_ v: String?) -> String { v.map(fold) ?? "" }
            source = f(l.source); province = f(l.province); city = f(l.city); product = f(l.productInterest); tier = f(l.tier)
        }
    }
}

/// An ordered lead-assignment rule: the first active rule whose conditions match places the lead.
package struct AssignmentRule: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var position: Int
    package var active: Bool
    package var conditions: LeadConditions
    package var method: AssignmentMethod
    package var teamID: String?
    package var userID: String?
    /// Minutes the assignee has for a first response; nil: no deadline.
    package var responseMinutes: Int?
    package var version: Int

    package init(id: String, name: String, position: Int, active: Bool = true, conditions: LeadConditions = LeadConditions(),
                method: AssignmentMethod, teamID: String? = nil, userID: String? = nil, responseMinutes: Int? = nil, version: Int = 1) {
        self.id = id; self.name = name; self.position = position; self.active = active; self.conditions = conditions
        self.method = method; self.teamID = teamID; self.userID = userID; self.responseMinutes = responseMinutes; self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case id, name, position, active, conditions, method, version
        case teamID = "team_id", userID = "user_id", responseMinutes = "response_minutes"
    }

    /// Field errors for a rule someone is saving.
    package func validate() throws(DomainError) {
        var e = FieldErrors()
        let n = Text.clean(name)
        if n.isEmpty || n.count > 100 { e.add("name", "is required (at most 100 characters)") }
        switch method {
        case .roundRobin, .leastLoaded: if teamID.map(ID.isValid) != true { e.add("team_id", "is required for \(method.rawValue)") }
        case .user: if userID.map(ID.isValid) != true { e.add("user_id", "is required for user") }
        case .pool: break
        }
        if let m = responseMinutes, !(1...43_200).contains(m) { e.add("response_minutes", "must be between 1 and 43200") }
        try e.throwIfAny()
    }
}

/// The choice itself, pure so it can be tested without a database.
package enum Assigner {
    /// The first active rule, by position, that matches.
    package static func rule(for lead: Lead, in rules: [AssignmentRule]) -> AssignmentRule? { Self.rules(for: [lead], in: rules)[0] }

    /// The same for many leads, with the rules ordered and their conditions folded once.
    package static func rules(for leads: [Lead], in rules: [AssignmentRule]) -> [AssignmentRule?] {
        let ordered = rules.filter(\.active).sorted { ($0.position, $0.id) < ($1.position, $1.id) }.map { ($0, LeadConditions.Folded($0.conditions)) }
        return leads.map { lead in
            let l = LeadConditions.FoldedLead(lead)
            return ordered.first { $0.1.matches(l) }?.0
        }
    }

    /// Round-robin by a shared counter: the n-th lead a rule places goes to member n mod count
    /// (members sorted), so any run of leads is spread within one of even.
    package static func roundRobin(members: [String], turn: Int64) -> String? {
        guard !members.isEmpty else { return nil }
        let sorted = members.sorted()
        return sorted[Int(turn.magnitude % UInt64(sorted.count))]
    }

    /// The member with the fewest open leads; ties go to the earliest id.
    package static func leastLoaded(members: [String], load: [String: Int]) -> String? {
        members.sorted().min { (load[$0] ?? 0, $0) < (load[$1] ?? 0, $1) }
    }
}
