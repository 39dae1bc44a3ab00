import Foundation

/// How a routing rule picks the agent inside the department it chose.
package enum RoutingStrategy: String, Codable, Sendable, CaseIterable {
    /// The department's active members in turn (the rule's cursor).
    case roundRobin = "round_robin"
    /// The member with the fewest open tickets.
    case leastLoaded = "least_loaded"
    /// The member whose skills match the ticket best; ties (and no match at all) go to the least loaded.
    case skill
}

/// Which tickets a routing rule takes. Each list empty means "any"; all given lists must match.
/// Values compare ignoring case and full/half width; keywords are looked for in the subject and the
/// customer's first message, products in the SKU and name of the ticket's product and those of its order's lines.
package struct RoutingConditions: Sendable, Equatable {
    package var types: [TicketType] = []
    package var channels: [TicketChannel] = []
    package var tiers: [String] = []
    package var keywords: [String] = []
    package var products: [String] = []
    package var provinces: [String] = []
    package init(types: [TicketType] = [], channels: [TicketChannel] = [], tiers: [String] = [], keywords: [String] = [],
                 products: [String] = [], provinces: [String] = []) {
        self.types = types; self.channels = channels; self.tiers = tiers; self.keywords = keywords; self.products = products
        self.provinces = provinces
    }

    /// The text lists by name, as stored and as the API names them.
    package var lists: [(String, [String])] {
        [("tiers", tiers), ("keywords", keywords), ("products", products), ("provinces", provinces)]
    }

    func matches(_ f: RoutingFacts.Folded) -> Bool {
        func any(_ list: [String], _ test: (String) -> Bool) -> Bool { list.isEmpty || list.contains { test(TicketRouter.fold($0)) } }
        return (types.isEmpty || types.contains(f.type)) && (channels.isEmpty || channels.contains(f.channel))
            && any(tiers) { $0 == f.tier } && any(provinces) { !f.province.isEmpty && f.province.hasPrefix($0) }
            && any(keywords) { !$0.isEmpty && f.text.contains($0) }
            && any(products) { p in !p.isEmpty && f.products.contains { $0 == p || $0.contains(p) } }
    }
}

/// An ordered routing rule of a workspace: the first active rule (by position) whose conditions
/// hold chooses the ticket's department and how its agent is picked.
package struct RoutingRule: Sendable, Equatable {
    package var id: String
    package var name: String
    package var position: Int
    package var active: Bool
    package var conditions: RoutingConditions
    package var teamID: String
    package var strategy: RoutingStrategy
    package var version: Int

    package init(id: String, name: String, position: Int, active: Bool = true, conditions: RoutingConditions = RoutingConditions(),
                 teamID: String, strategy: RoutingStrategy, version: Int = 1) {
        self.id = id; self.name = name; self.position = position; self.active = active; self.conditions = conditions
        self.teamID = teamID; self.strategy = strategy; self.version = version
    }

    /// The rule cleaned (name and list entries through `Text.clean`, empties dropped, duplicates
    /// once), or every bad field at once.
    package func validated() throws(DomainError) -> RoutingRule {
        var e = FieldErrors(), r = self
        r.name = Text.clean(name).replacingOccurrences(of: "\n", with: " ")
        if r.name.isEmpty { e.add("name", .required) } else if r.name.count > 100 { e.add("name", RoutingWords.tooLong(100)) }
        if !ID.isValid(teamID) { e.add("team_id", RoutingWords.department) }
        if !(0...1_000_000).contains(position) { e.add("position", RoutingWords.position) }
        func clean(_ list: [String], _ field: String) -> [String] {
            var seen = Set<String>()
            let out = list.map { Text.clean($0).replacingOccurrences(of: "\n", with: " ") }.filter { !$0.isEmpty && seen.insert($0).inserted }
            if out.count > 50 || out.contains(where: { $0.count > 60 }) { e.add("conditions.\(field)", RoutingWords.list) }
            return out
        }
        r.conditions.tiers = clean(conditions.tiers, "tiers")
        r.conditions.keywords = clean(conditions.keywords, "keywords")
        r.conditions.products = clean(conditions.products, "products")
        r.conditions.provinces = clean(conditions.provinces, "provinces")
        r.teamID = teamID.lowercased()
        try e.throwIfAny()
        return r
    }
}

/// What routing knows of a ticket being opened (read before the rules are applied).
package struct RoutingFacts: Sendable, Equatable {
    package var type: TicketType
    package var channel: TicketChannel
    package var tier: String?
    package var province: String?
    package var subject: String
    package var body: String
    /// The SKU and name of the ticket's product, and those of the lines of its order.
    package var products: [String]

    package init(type: TicketType, channel: TicketChannel, tier: String?, province: String?, subject: String, body: String, products: [String] = []) {
        self.type = type; self.channel = channel; self.tier = tier; self.province = province; self.subject = subject; self.body = body
        self.products = products
    }

    /// The facts folded once.
    struct Folded {
        let type: TicketType, channel: TicketChannel, tier: String, province: String, text: String, products: [String]
        init(_ f: RoutingFacts) {
            type = f.type; channel = f.channel; tier = TicketRouter.fold(f.tier ?? ""); province = TicketRouter.fold(f.province ?? "")
            text = TicketRouter.fold(f.subject + "\n" + f.body); products = f.products.map(TicketRouter.fold)
        }
    }
}

/// An agent routing may choose: an active member of the rule's department, their skills and how
/// many open tickets they hold.
package struct RoutingCandidate: Sendable, Equatable {
    package var userID: String
    package var skills: [String]
    package var load: Int
    package init(userID: String, skills: [String] = [], load: Int = 0) { self.userID = userID; self.skills = skills; self.load = load }
}

/// The routing decision, pure so it can be tested without a database: the store reads the rules,
/// the chosen department's candidates and the rule's cursor, calls these, and writes the result.
package enum TicketRouter {
    static func fold(_ s: String) -> String { LeadConditions.fold(s) }

    /// The first active rule, by position (then id), whose conditions hold.
    package static func rule(for facts: RoutingFacts, in rules: [RoutingRule]) -> RoutingRule? {
        let f = RoutingFacts.Folded(facts)
        return rules.filter(\.active).sorted { ($0.position, $0.id) < ($1.position, $1.id) }.first { $0.conditions.matches(f) }
    }

    /// The agent the rule's strategy picks among `candidates` (nil when the department has none).
    /// Round-robin takes the `turn`-th member (members sorted by id, as lead assignment does).
    package static func agent(_ rule: RoutingRule, facts: RoutingFacts, candidates: [RoutingCandidate], turn: Int64) -> String? {
        let load = Dictionary(candidates.map { ($0.userID, $0.load) }) { a, _ in a }
        switch rule.strategy {
        case .roundRobin: return Assigner.roundRobin(members: candidates.map(\.userID), turn: turn)
        case .leastLoaded: return Assigner.leastLoaded(members: candidates.map(\.userID), load: load)
        case .skill:
            let f = RoutingFacts.Folded(facts)
            let scored = candidates.map { ($0.userID, skillMatches($0.skills, f)) }
            let best = scored.map(\.1).max() ?? 0
            return Assigner.leastLoaded(members: scored.filter { $0.1 == best }.map(\.0), load: load)
        }
    }

    /// How many of an agent's skills the ticket calls for: a skill matches the ticket's type or
    /// channel (their names, "complaint", "email"), its customer's tier or province, one of its
    /// order's products, or a word of its subject or message ("退款", "英语").
    package static func skillMatches(_ skills: [String], _ facts: RoutingFacts) -> Int { skillMatches(skills, RoutingFacts.Folded(facts)) }

    static func skillMatches(_ skills: [String], _ f: RoutingFacts.Folded) -> Int {
        Set(skills.map(fold)).filter { s in
            !s.isEmpty && (s == f.type.rawValue || s == f.channel.rawValue || s == f.tier || (!f.province.isEmpty && f.province.hasPrefix(s))
                || f.products.contains { $0 == s || $0.contains(s) } || f.text.contains(s))
        }.count
    }

    /// An agent's skills as saved: cleaned, without empties or repeats, at most 30 of up to 40 characters.
    package static func skills(_ raw: [String]) throws(DomainError) -> [String] {
        var seen = Set<String>()
        let out = raw.map { Text.clean($0).replacingOccurrences(of: "\n", with: " ") }.filter { !$0.isEmpty && seen.insert(fold($0)).inserted }
        if out.count > 30 || out.contains(where: { $0.count > 40 }) { throw DomainError.field("skills", RoutingWords.skills) }
        return out
    }
}

/// The field messages of routing, hand-offs and approvals (pages translate them by key).
package enum RoutingWords {
    package static func tooLong(_ n: Int) -> DomainMessage { "must be at most \(n) characters" }
    package static let department: DomainMessage = "must be a department (team) id"
    package static let position: DomainMessage = "must be a whole number from 0 to 1000000"
    package static let list: DomainMessage = "at most 50 values of up to 60 characters"
    package static let skills: DomainMessage = "at most 30 skills of up to 40 characters"
    package static let minutes: DomainMessage = "must be 1 to 525600 business minutes"
    package static let approver: DomainMessage = "an approval needs an approver or a role, not both"
    package static let approverOnly: DomainMessage = "only for approvals"
    package static let stepDepartment: DomainMessage = "a hand-off or a task needs a department"
    package static let blocked: DomainMessage = "cannot be resolved or closed while a child task or an approval is open"
    package static let decision: DomainMessage = "must be approve or reject"
}

extension RoutingConditions: Codable {
    enum CodingKeys: String, CodingKey { case types, channels, tiers, keywords, products, provinces }

    /// Every list may be left out (a client names only the conditions it uses).
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        types = try c.decodeIfPresent([TicketType].self, forKey: .types) ?? []
        channels = try c.decodeIfPresent([TicketChannel].self, forKey: .channels) ?? []
        tiers = try c.decodeIfPresent([String].self, forKey: .tiers) ?? []
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
        products = try c.decodeIfPresent([String].self, forKey: .products) ?? []
        provinces = try c.decodeIfPresent([String].self, forKey: .provinces) ?? []
    }
}

extension RoutingRule: Encodable {
    enum CodingKeys: String, CodingKey { case id, name, position, active, conditions, strategy, version, teamID = "team_id" }
}

/// A routing rule as a client or a form sends it, every field raw: `rule()` names each bad one.
package struct RoutingRuleDraft: Sendable, Decodable {
    package var name: String = ""
    package var position: Int?
    package var active: Bool?
    package var conditions = Conditions()
    package var teamID: String?
    package var strategy: String?
    package init() {}

    package struct Conditions: Sendable, Decodable {
        package var types: [String] = [], channels: [String] = [], tiers: [String] = [], keywords: [String] = []
        package var products: [String] = [], provinces: [String] = []
        package init() {}
        enum CodingKeys: String, CodingKey { case types, channels, tiers, keywords, products, provinces }
        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func list(_ k: CodingKeys) throws -> [String] { try c.decodeIfPresent([String].self, forKey: k) ?? [] }
            types = try list(.types); channels = try list(.channels); tiers = try list(.tiers); keywords = try list(.keywords)
            products = try list(.products); provinces = try list(.provinces)
        }
    }

    enum CodingKeys: String, CodingKey { case name, position, active, conditions, strategy, teamID = "team_id" }
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        position = try c.decodeIfPresent(Int.self, forKey: .position)
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
        conditions = try c.decodeIfPresent(Conditions.self, forKey: .conditions) ?? Conditions()
        teamID = try c.decodeIfPresent(String.self, forKey: .teamID)
        strategy = try c.decodeIfPresent(String.self, forKey: .strategy)
    }

    /// The rule (position 100, active and least-loaded unless given), cleaned, or every bad field at once.
    package func rule() throws(DomainError) -> RoutingRule {
        var e = FieldErrors()
        func parse<T: RawRepresentable & CaseIterable>(_ raw: [String], _ field: String) -> [T] where T.RawValue == String {
            raw.compactMap { v in
                guard let x = T(rawValue: v.lowercased()) else {
                    e.add(field, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))"); return nil
                }
                return x
            }
        }
        let types: [TicketType] = parse(conditions.types, "conditions.types")
        let channels: [TicketChannel] = parse(conditions.channels, "conditions.channels")
        let strategy = RoutingStrategy(rawValue: (strategy ?? "least_loaded").lowercased())
        if strategy == nil { e.add("strategy", "must be one of \(RoutingStrategy.allCases.map(\.rawValue).joined(separator: ", "))") }
        if (teamID ?? "").isEmpty { e.add("team_id", RoutingWords.department) }
        let rule = RoutingRule(id: "", name: name, position: position ?? 100, active: active ?? true,
                               conditions: RoutingConditions(types: types, channels: channels, tiers: conditions.tiers, keywords: conditions.keywords,
                                                             products: conditions.products, provinces: conditions.provinces),
                               teamID: teamID ?? "", strategy: strategy ?? .leastLoaded)
        var valid: RoutingRule?
        do { valid = try rule.validated() } catch {
            guard case .validation(let more) = error else { throw error }
            for (k, v) in more { e.add(k, v) }
        }
        try e.throwIfAny()
        return valid!
    }
}
