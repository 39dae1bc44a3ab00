import Foundation
import Testing
@testable import GuanxiCore

@Suite("Lead placement: duplicates, rules and owners without a database")
struct LeadPlacementTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func lead(_ id: String, phone: String? = nil, email: String? = nil, source: String? = nil, owner: String? = nil) -> Lead {
        Lead(id: id, name: "Lead \(id)", company: nil, title: nil, phone: phone, email: email, wechat: nil, province: nil, city: nil,
             productInterest: nil, tier: nil, source: source, campaign: nil, utm: [:], message: nil, channel: .api, status: .new,
             disqualifyReason: nil, ownerID: owner, ruleID: nil, assignedAt: nil, responseDueAt: nil, respondedAt: nil,
             duplicateOfCustomerID: nil, duplicateOfLeadID: nil, convertedCustomerID: nil, convertedAt: nil, version: 1,
             createdAt: now, updatedAt: now)
    }

    static func place(_ leads: [Lead], rules: [AssignmentRule] = [], facts: LeadPlacement.Facts = .init(),
                      creatorKeeps: Bool = false, actingUserID: String? = nil) throws -> [LeadPlacement.Placed] {
        try LeadPlacement(leads, rules: rules).place(
            leads.map { LeadPlacement.Capture(lead: $0, creatorKeeps: creatorKeeps, actingUserID: actingUserID) }, facts: facts, now: now)
    }

    @Test func aLaterLeadOfTheSameGroupIsADuplicateOfTheFirst() throws {
        // given two leads in one group sharing a phone, and nothing earlier
        let leads = [Self.lead("a", phone: "+8613800000001"), Self.lead("b", phone: "+8613800000001")]
        // when placed
        let placed = try Self.place(leads)
        // then the first stands alone and the second points at it, in its created entry too
        #expect(placed[0].lead.duplicateOfLeadID == nil)
        #expect(placed[1].lead.duplicateOfLeadID == "a")
        #expect(placed[1].created["duplicate_of_lead_id"] == .string("a"))
    }

    @Test func theOldestEarlierLeadWins() throws {
        // given two earlier leads with the same email, the newer one listed first
        var facts = LeadPlacement.Facts()
        facts.earlierLeads = [
            .init(id: "newer", createdAt: Self.now.addingTimeInterval(-60), keys: ["x@example.com"]),
            .init(id: "older", createdAt: Self.now.addingTimeInterval(-3_600), keys: ["x@example.com"]),
        ]
        // when a lead with that email is placed
        let placed = try Self.place([Self.lead("c", email: "x@example.com")], facts: facts)
        // then it is a duplicate of the older one
        #expect(placed[0].lead.duplicateOfLeadID == "older")
    }

    @Test func aCustomerHoldingTheValueIsFlagged() throws {
        // given a customer who has the lead's phone
        var facts = LeadPlacement.Facts()
        facts.customerOf = ["+8613800000002": "cust"]
        // when the lead is placed
        let placed = try Self.place([Self.lead("d", phone: "+8613800000002")], facts: facts)
        // then it names the customer
        #expect(placed[0].lead.duplicateOfCustomerID == "cust")
    }

    @Test func roundRobinSpreadsOverMembersInTurnOrder() throws {
        // given a round-robin rule over three members whose reserved turns start at 4
        let rule = AssignmentRule(id: "rr", name: "RR", position: 1, method: .roundRobin, teamID: "team")
        let leads = (1...4).map { Self.lead("l\($0)") }
        let plan = LeadPlacement(leads, rules: [rule])
        var facts = LeadPlacement.Facts()
        facts.teamMembers = ["team": ["u1", "u2", "u3"]]
        facts.turns = ["rr": 4]
        // when the group is placed
        let placed = try plan.place(leads.map { .init(lead: $0, creatorKeeps: false, actingUserID: nil) }, facts: facts, now: Self.now)
        // then the rule asked for four turns, and the leads take turns 4, 5, 6 and 7 in order
        #expect(plan.turnsToReserve.map(\.count) == [4])
        #expect(placed.map(\.lead.ownerID) == ["u2", "u3", "u1", "u2"])
        #expect(placed.allSatisfy { $0.lead.ruleID == "rr" && $0.reason == .rule })
    }

    @Test func leastLoadedPicksTheLightestAndCountsItsOwnPicks() throws {
        // given two members, one with two open leads fewer than the other
        let rule = AssignmentRule(id: "ll", name: "LL", position: 1, method: .leastLoaded, teamID: "team")
        var facts = LeadPlacement.Facts()
        facts.teamMembers = ["team": ["u1", "u2"]]
        facts.openLeads = ["u1": 5, "u2": 3]
        // when three leads are placed
        let placed = try Self.place((1...3).map { Self.lead("l\($0)") }, rules: [rule], facts: facts)
        // then the lighter takes two (3 → 5), and the tie then goes to the earliest id
        #expect(placed.map(\.lead.ownerID) == ["u2", "u2", "u1"])
    }

    @Test func aUserRuleWithAnInactiveUserGivesNoOwner() throws {
        // given a rule naming a user who is no longer active
        let rule = AssignmentRule(id: "r", name: "R", position: 1, method: .user, userID: "gone")
        var facts = LeadPlacement.Facts()
        facts.activeUsers = ["gone": false]
        // when a lead is placed
        let placed = try Self.place([Self.lead("l")], rules: [rule], facts: facts)
        // then it has no owner, but the rule is recorded
        #expect(placed[0].lead.ownerID == nil)
        #expect(placed[0].lead.ruleID == "r")
        #expect(placed[0].lead.assignedAt == nil)
    }

    @Test func aPoolRuleLeavesTheLeadUnowned() throws {
        // given a pool rule for web leads
        let rule = AssignmentRule(id: "p", name: "Pool", position: 1, conditions: LeadConditions(sources: ["web"]), method: .pool)
        // when a web lead is placed
        let placed = try Self.place([Self.lead("l", source: "web")], rules: [rule])
        // then nobody owns it and its ownerChanged entry says so
        #expect(placed[0].lead.ownerID == nil)
        #expect(placed[0].ownerChange == ["from": .null, "to": .null, "reason": .string("rule"), "rule_id": .string("p")])
    }

    @Test func theCreatorKeepsALeadNoRulePlaces() throws {
        // given no rules and a creator who keeps what they capture
        // when a lead is placed
        let placed = try Self.place([Self.lead("l")], creatorKeeps: true, actingUserID: "me")
        // then the creator owns it, for that reason
        #expect(placed[0].lead.ownerID == "me")
        #expect(placed[0].reason == .creator)
        #expect(placed[0].lead.assignedAt == Self.now)
        #expect(placed[0].ownerChange == ["from": .null, "to": .string("me"), "reason": .string("creator")])
    }

    @Test func theResponseDeadlineComesFromTheRule() throws {
        // given a rule giving an active user 30 minutes to respond
        let rule = AssignmentRule(id: "r", name: "R", position: 1, method: .user, userID: "u", responseMinutes: 30)
        var facts = LeadPlacement.Facts()
        facts.activeUsers = ["u": true]
        // when a lead is placed
        let placed = try Self.place([Self.lead("l")], rules: [rule], facts: facts)
        // then it is due half an hour after capture
        #expect(placed[0].lead.ownerID == "u")
        #expect(placed[0].lead.responseDueAt == Self.now.addingTimeInterval(1_800))
    }

    @Test func aNamedOwnerWhoIsNotActiveFailsTheGroup() {
        // given a lead naming an owner who has left
        var facts = LeadPlacement.Facts()
        facts.activeUsers = ["left": false]
        // when it is placed, then the owner field is refused
        #expect(throws: DomainError.field("owner_id", "left is not an active user of this workspace")) {
            try Self.place([Self.lead("l", owner: "left")], facts: facts)
        }
    }

    @Test func aNamedOwnerSkipsTheRules() throws {
        // given a pool rule matching everything and a lead naming an active owner
        let rule = AssignmentRule(id: "p", name: "Pool", position: 1, method: .pool)
        var facts = LeadPlacement.Facts()
        facts.activeUsers = ["boss": true]
        // when it is placed
        let placed = try Self.place([Self.lead("l", owner: "boss")], rules: [rule], facts: facts)
        // then the owner stays, no rule is recorded and no ownerChanged entry follows
        #expect(placed[0].lead.ownerID == "boss")
        #expect(placed[0].lead.ruleID == nil)
        #expect(placed[0].ownerChange == nil)
    }
}
