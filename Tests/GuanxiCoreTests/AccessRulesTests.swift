import Foundation
import Testing
@testable import GuanxiCore

@Suite("Permissions, record reach and masking")
struct AccessRulesTests {
    @Test func permissionListsParseAndIntersectAtTheNarrowerLevel() throws {
        // given a role's grants and a token's narrower list
        let role = try PermissionSet.parse(["customers.read:all", "customers.update:team", "audit.read"])
        let token = try PermissionSet.parse(["customers.read:own", "customers.update", "customers.delete"])
        // when intersected
        let both = role.intersection(token)
        // then only shared grants survive, each at the narrower level
        #expect(both.items == ["customers.read:own", "customers.update:team"])
    }

    @Test func malformedPermissionsAreFieldErrors() {
        #expect(throws: DomainError.self) { try PermissionSet.parse(["customers"]) }
        #expect(throws: DomainError.self) { try PermissionSet.parse(["customers.fly"]) }
        #expect(throws: DomainError.self) { try PermissionSet.parse(["customers.read:galaxy"]) }
        // an empty item or a bare level stopped the server (an index past the end) instead of a field error
        for item in ["", ":", ":all", "customers.read:", "."] {
            #expect(throws: DomainError.self, "\(item.debugDescription)") { try PermissionSet.parse([item]) }
        }
    }

    @Test func levelsReachOwnTeamSubtreeAndAll() {
        // given a rep in a team with a teammate, and a team below with another user
        let s = Scope(workspaceID: "w", userID: "me", roleKey: "x", permissions: PermissionSet(),
                      teamIDs: ["t"], teamUserIDs: ["me", "mate"], subtreeUserIDs: ["junior"])
        let mine = RecordAccess(ownerID: "me"), mate = RecordAccess(ownerID: "mate"), junior = RecordAccess(ownerID: "junior"),
            stranger = RecordAccess(ownerID: "stranger")
        // then each level reaches exactly its circle
        #expect(s.covers(.own, mine) && !s.covers(.own, mate))
        #expect(s.covers(.team, mate) && !s.covers(.team, junior))
        #expect(s.covers(.teamAndBelow, junior) && !s.covers(.teamAndBelow, stranger))
        #expect(s.covers(.all, stranger))
        // and a share reaches regardless of owner
        #expect(s.covers(.own, RecordAccess(ownerID: "stranger", shared: true)))
    }

    @Test func unownedRecordsAreReadableButNotWritableAtOwnLevel() {
        let rep = Scope(workspaceID: "w", userID: "me", role: .salesRep)
        let pool = RecordAccess(ownerID: nil)
        #expect(rep.may(.customers, .read, pool))
        #expect(!rep.may(.customers, .update, pool))
        #expect(!Scope(workspaceID: "w", userID: "me", role: .marketer).may(.customers, .update, RecordAccess(ownerID: "me")))
    }

    @Test func builtInRolesDifferWhereTheyShould() {
        #expect(Role.owner.permissions.level(.audit, .read) == .all)
        #expect(Role.readOnly.permissions.level(.customers, .update) == nil)
        #expect(Role.analyst.permissions.level(.personalData, .read) == nil)
        #expect(Role.salesRep.permissions.level(.customers, .export) == nil)
        #expect(Role.salesManager.permissions.level(.customers, .read) == .teamAndBelow)
        #expect(Role.serviceAgent.permissions.level(.personalData, .reveal) == .all)
    }

    @Test func maskingKeepsEnoughToRecogniseAndNoMore() {
        #expect(Masking.phone("+8613812341234") == "+86138****1234")
        #expect(Masking.phone("13812341234") == "138****1234")
        #expect(Masking.email("wang.wei@example.com") == "w***@example.com")
        #expect(Masking.email("王@例子.中国") == "王***@例子.中国")
        #expect(Masking.identifier("oX1234567890abcd") == "oX***cd")
    }

    @Test func aMaskedCustomerHidesEveryPersonalField() {
        // given a customer with personal data and a sensitive custom field
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let c = Customer(id: "c", kind: .person, name: "王小明", organizationID: nil, organizationName: nil, title: nil, stage: .lead,
                         tier: nil, ownerID: nil, source: nil, emails: ["xiaoming@example.com"], phones: ["+8613812341234"],
                         identities: [Identity(kind: .wechatOpenID, value: "oAbCdEfGh123"), Identity(kind: .external, value: "42", namespace: "shop")],
                         addresses: [Address(province: "广东", city: "深圳", street: "科技园路1号", postcode: "518000")],
                         birthday: "1990-05-12", consent: [:], preferredChannel: nil, tags: ["VIP"],
                         custom: ["id_card": .string("440300199005120000"), "level": .number(3)], version: 1, createdAt: now, updatedAt: now, deletedAt: nil)
        // when masked
        let m = c.masked(sensitiveKeys: ["id_card"])
        // then contact data is hidden, places and business data stay
        #expect(m.emails == ["x***@example.com"] && m.phones == ["+86138****1234"])
        #expect(m.identities[0].value == "oA***23" && m.identities[1].value == "42")
        #expect(m.addresses[0].street == "***" && m.addresses[0].postcode == "***" && m.addresses[0].city == "深圳")
        #expect(m.birthday == "***" && m.custom["id_card"] == .string("***") && m.custom["level"] == .number(3))
        #expect(m.masked == true && m.name == "王小明" && m.tags == ["VIP"])
    }
}
