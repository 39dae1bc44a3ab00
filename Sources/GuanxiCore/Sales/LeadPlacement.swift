import Foundation

/// Where a group of newly captured leads goes: duplicate flags, owners, rules, response deadlines
/// and what their timelines say. Pure, so the rules can be tested without a database; the store
/// reads the facts beforehand and writes the result afterwards.
///
/// Two steps, because what the store must read depends on which rules matched: `init` matches the
/// rules and says which teams, users and round-robin turns the group needs; `place` decides.
package struct LeadPlacement: Sendable {
    /// One lead on its way in and who captures it.
    package struct Capture: Sendable {
        package var lead: Lead
        /// Whether the acting user keeps the lead when no rule gives it an owner (someone who
        /// cannot reach every lead could not see it again otherwise).
        package var creatorKeeps: Bool
        package var actingUserID: String?
        package init(lead: Lead, creatorKeeps: Bool, actingUserID: String?) {
            self.lead = lead; self.creatorKeeps = creatorKeeps; self.actingUserID = actingUserID
        }
    }

    /// An earlier lead sharing a phone, email or WeChat id with the group.
    package struct EarlierLead: Sendable {
        package var id: String
        package var createdAt: Date
        /// Its phone, email and WeChat id (those it has).
        package var keys: [String]
        package init(id: String, createdAt: Date, keys: [String]) { self.id = id; self.createdAt = createdAt; self.keys = keys }
    }

    /// What the store knows when it places the group.
    package struct Facts: Sendable {
        /// A customer's phone, email or WeChat id → that customer.
        package var customerOf: [String: String] = [:]
        /// In any order: the oldest wins.
        package var earlierLeads: [EarlierLead] = []
        /// Active members of the teams the group's rules name (a rule without a team: "").
        package var teamMembers: [String: [String]] = [:]
        /// Whether named owners and rules' users are active members.
        package var activeUsers: [String: Bool] = [:]
        /// Open leads per owner (read when a least-loaded rule has members to choose among).
        package var openLeads: [String: Int] = [:]
        /// The first turn reserved for each round-robin rule in `turnsToReserve`; the group takes the ones after it.
        package var turns: [String: Int64] = [:]
        package init() {}
    }

    /// Why a lead got its owner at capture (the timeline's ownerChanged entry says it).
    package enum Reason: String, Sendable {
        case rule, creator
    }

    /// One lead as placed.
    package struct Placed: Sendable {
        /// With its duplicate flags, owner, rule, assignment time and response deadline.
        package var lead: Lead
        /// The created entry's data.
        package var created: [String: JSONValue]
        /// Set when an ownerChanged entry follows the created one.
        package var reason: Reason?
        /// That entry's data.
        package var ownerChange: [String: JSONValue]?
    }

    /// Per lead, the rule that places it: the first active matching one; none for a named owner.
    package let rules: [AssignmentRule?]
    /// Round-robin rules in order with how many leads each places: their turns are reserved
    /// together, before anyone is placed, so concurrent groups never share a turn.
    package let turnsToReserve: [(rule: AssignmentRule, count: Int)]
    /// Teams least-loaded rules choose in, in the order leads meet them.
    package let leastLoadedTeams: [String]
    /// Users the user rules name, in the order leads meet them.
    package let ruleUsers: [String]

    package init(_ leads: [Lead], rules all: [AssignmentRule]) {
        rules = zip(leads, Assigner.rules(for: leads, in: all)).map { $0.ownerID == nil ? $1 : nil }
        var reserve: [(AssignmentRule, Int)] = []
        for rule in all where rule.method == .roundRobin {
            let count = rules.reduce(0) { $0 + ($1?.id == rule.id ? 1 : 0) }
            if count > 0 { reserve.append((rule, count)) }
        }
        turnsToReserve = reserve
        var teams: [String] = [], users: [String] = []
        for case let rule? in rules {
            switch rule.method {
            case .leastLoaded: if !teams.contains(rule.teamID ?? "") { teams.append(rule.teamID ?? "") }
            case .user: if !users.contains(rule.userID ?? "") { users.append(rule.userID ?? "") }
            case .roundRobin, .pool: break
            }
        }
        leastLoadedTeams = teams; ruleUsers = users
    }

    /// Named owners the leads carry, each once, in lead order.
    package static func namedOwners(_ leads: [Lead]) -> [String] {
        var seen: [String] = []
        for l in leads { if let o = l.ownerID, !seen.contains(o) { seen.append(o) } }
        return seen
    }

    /// A named owner (the capturer's rights were checked already) must be an active member.
    package static func checkNamedOwners(_ leads: [Lead], activeUsers: [String: Bool]) throws(DomainError) {
        for l in leads {
            if let o = l.ownerID, activeUsers[o] != true { throw DomainError.field("owner_id", "\(o) is not an active user of this workspace") }
        }
    }

    /// Whether least-loaded rules will choose among anyone (only then is the open-lead load needed).
    package func needsLoad(_ facts: Facts) -> Bool {
        leastLoadedTeams.contains { !(facts.teamMembers[$0] ?? []).isEmpty }
    }

    /// The group placed, in capture order.
    package func place(_ captures: [Capture], facts: Facts, now: Date) throws(DomainError) -> [Placed] {
        let leads = captures.map(\.lead)
        try Self.checkNamedOwners(leads, activeUsers: facts.activeUsers)
        let (customerOf, leadOf) = Self.duplicates(leads, facts)
        let owners = owners(leads, facts)
        var out: [Placed] = []
        out.reserveCapacity(captures.count)
        for (i, c) in captures.enumerated() {
            var l = c.lead
            l.duplicateOfCustomerID = customerOf[i]; l.duplicateOfLeadID = leadOf[i]
            var reason = Reason.rule
            l.ownerID = owners[i]
            // a rule that matched (the pool's included) says where it goes; without one the creator may keep it
            if l.ownerID == nil, rules[i] == nil, c.creatorKeeps, let me = c.actingUserID { l.ownerID = me; reason = .creator }
            l.ruleID = rules[i]?.id
            if l.ownerID != nil {
                l.assignedAt = now
                if let m = rules[i]?.responseMinutes { l.responseDueAt = now.addingTimeInterval(Double(m) * 60) }
            }
            var created: [String: JSONValue] = ["name": .string(l.name), "channel": .string(l.channel.rawValue)]
            if let s = l.source { created["source"] = .string(s) }
            if let d = l.duplicateOfCustomerID { created["duplicate_of_customer_id"] = .string(d) }
            if let d = l.duplicateOfLeadID { created["duplicate_of_lead_id"] = .string(d) }
            var placed = Placed(lead: l, created: created)
            if l.ruleID != nil || reason == .creator {
                var moved: [String: JSONValue] = ["from": .null, "to": l.ownerID.map(JSONValue.string) ?? .null, "reason": .string(reason.rawValue)]
                if let r = l.ruleID { moved["rule_id"] = .string(r) }
                placed.reason = reason; placed.ownerChange = moved
            }
            out.append(placed)
        }
        return out
    }

    /// Each lead's duplicate customer and lead: a customer holding one of its values, and the
    /// oldest earlier lead holding one, or else the first lead of this group that did.
    static func duplicates(_ leads: [Lead], _ facts: Facts) -> (customer: [String?], lead: [String?]) {
        var leadOf: [String: String] = [:]
        for f in facts.earlierLeads.sorted(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) {
            for k in f.keys where leadOf[k] == nil { leadOf[k] = f.id }
        }
        var customers: [String?] = [], earlier: [String?] = []
        customers.reserveCapacity(leads.count); earlier.reserveCapacity(leads.count)
        for l in leads {
            let own = [l.phone, l.email, l.wechat].compactMap { $0 }
            customers.append(own.lazy.compactMap { facts.customerOf[$0] }.first)
            earlier.append(own.lazy.compactMap { leadOf[$0] }.first)
            for k in own where leadOf[k] == nil { leadOf[k] = l.id }
        }
        return (customers, earlier)
    }

    /// Owners by rule (a named owner stays): round-robin takes the reserved turns in lead order,
    /// least-loaded counts its own picks, a user rule needs an active user, the pool gives none.
    func owners(_ leads: [Lead], _ facts: Facts) -> [String?] {
        var owners = leads.map(\.ownerID)
        var turns = facts.turns
        var load = facts.openLeads
        for (i, rule) in rules.enumerated() {
            guard let rule else { continue }
            switch rule.method {
            case .pool: owners[i] = nil
            case .user: owners[i] = facts.activeUsers[rule.userID ?? ""] == true ? rule.userID : nil
            case .roundRobin:
                if let t = turns[rule.id] {
                    owners[i] = Assigner.roundRobin(members: facts.teamMembers[rule.teamID ?? ""] ?? [], turn: t)
                    turns[rule.id] = t + 1
                }
            case .leastLoaded:
                if let o = Assigner.leastLoaded(members: facts.teamMembers[rule.teamID ?? ""] ?? [], load: load) {
                    owners[i] = o; load[o, default: 0] += 1
                }
            }
        }
        return owners
    }
}
