import Foundation
import Testing
import GuanxiTestSupport
import Synchronization
import GuanxiCore
@testable import GuanxiStore

@Suite("Ownership: handover and the public pool, on SQLite and PostgreSQL")
struct OwnershipTests {
    struct People { var admin: Scope; var leaver: Scope; var a: Scope; var b: Scope; var manager: Scope }

    func people(_ db: Database, _ owner: Scope, clock: any GuanxiCore.Clock) async throws -> People {
        let access = stores(db, clock).access
        func user(_ e: String, _ r: Role) async throws -> String {
            try await access.createUser(email: e, password: "password-own", name: e, role: r, workspaceID: owner.workspaceID).id
        }
        let leaver = try await user("leaver@example.com", .salesRep), a = try await user("a@example.com", .salesRep)
        let b = try await user("b@example.com", .salesRep), m = try await user("boss@example.com", .salesManager)
        _ = try await access.saveTeam(owner, name: "销售一部", kind: "sales", parentID: nil, managerID: m, memberIDs: [leaver, a, b])
        func scope(_ id: String) async throws -> Scope { try #require(try await access.scope(userID: id, workspaceID: owner.workspaceID)) }
        return People(admin: owner, leaver: try await scope(leaver), a: try await scope(a), b: try await scope(b), manager: try await scope(m))
    }

    func customer(_ store: CustomerStore, _ scope: Scope, _ name: String, tier: String? = nil) async throws -> Customer {
        var d = CustomerDraft(); d.kind = .person; d.name = name
        if let tier { d.tier = .some(tier) }
        return try await store.create(scope, d)
    }

    @Test(arguments: Backend.all)
    func handoverSpreadsEverythingRoundRobinRecordsItAndDeactivates(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let clock = SystemClock()
            let p = try await people(db, owner, clock: clock)
            let s = stores(db, clock), store = s.customers, access = s.access
            // given a rep who owns five customers (one deleted)
            var ids: [String] = []
            for i in 0..<5 { ids.append(try await customer(store, p.leaver, "客户\(i)").id) }
            try await store.delete(p.leaver, id: ids[4], ifVersion: nil)
            // when an admin hands everything over to two reps and deactivates the leaver
            let r = try await access.handover(p.admin, from: p.leaver.userID!, to: .users([p.a.userID!, p.b.userID!]), deactivate: true)
            // then every record moved, alternately, deleted ones too, and nothing is left
            #expect(r.moved["customers"] == 5 && r.deactivated)
            var owners: [String: Int] = [:]
            for id in ids { owners[try await store.get(p.admin, id: id, includeDeleted: true).ownerID ?? "none", default: 0] += 1 }
            #expect(owners == [p.a.userID!: 3, p.b.userID!: 2])
            // and each timeline says so
            let tl = try await s.timeline.list(p.admin, customerID: ids[0], cursor: nil, limit: 10)
            #expect(tl.items.first?.kind == .ownerChanged && tl.items.first?.data?["reason"] == .string("handover"))
            // and the leaver can no longer act in the workspace
            #expect(try await access.scope(userID: p.leaver.userID!, workspaceID: owner.workspaceID) == nil)
        }
    }

    @Test(arguments: Backend.all)
    func handoverToTheManagerAndItsRefusals(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let p = try await people(db, owner, clock: SystemClock())
            let s = stores(db), store = s.customers, access = s.access
            let c = try await customer(store, p.leaver, "张伟")
            // a rep may not hand over anything
            await #expect(throws: DomainError.self) { try await access.handover(p.a, from: p.leaver.userID!, to: .manager, deactivate: false) }
            // nor can the leaver's customers go to the leaver
            await #expect(throws: DomainError.self) { try await access.handover(p.admin, from: p.leaver.userID!, to: .users([p.leaver.userID!]), deactivate: false) }
            // to the manager works
            _ = try await access.handover(p.admin, from: p.leaver.userID!, to: .manager, deactivate: false)
            #expect(try await store.get(p.admin, id: c.id).ownerID == p.manager.userID)
        }
    }

    @Test(arguments: Backend.all)
    func claimsRespectTheCapAndOwnedCustomersCannotBeClaimed(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let p = try await people(db, owner, clock: SystemClock())
            let s = stores(db), store = s.customers, pool = s.pool
            // given a cap of two for reps, a rep owning one, and two pool customers
            _ = try await pool.saveRules(p.admin, PoolRules(caps: ["sales_rep": 2]))
            _ = try await customer(store, p.a, "已有")
            let x = try await customer(store, p.admin, "公海甲"), y = try await customer(store, p.admin, "公海乙")
            #expect(x.ownerID == nil)
            // when the rep claims both
            try await pool.claim(p.a, customerID: x.id)
            // then the first lands and the second is over the cap
            #expect(try await store.get(p.a, id: x.id).ownerID == p.a.userID)
            await #expect(throws: DomainError.self) { try await pool.claim(p.a, customerID: y.id) }
            // and another rep cannot claim what is now owned
            await #expect(throws: DomainError.self) { try await pool.claim(p.b, customerID: x.id) }
            // releasing frees a place
            try await pool.release(p.a, customerID: x.id)
            try await pool.claim(p.a, customerID: y.id)
            #expect(try await store.get(p.a, id: y.id).ownerID == p.a.userID)
        }
    }

    @Test(arguments: Backend.all)
    func neglectedCustomersReturnToThePoolByTier(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            // given a clock we move, VIPs recycled after 60 days and everyone else after 30
            let clock = ManualClock(Date(timeIntervalSince1970: 1_750_000_000))
            let p = try await people(db, owner, clock: clock)
            let s = stores(db, clock), store = s.customers, pool = s.pool, timeline = s.timeline
            _ = try await pool.saveRules(p.admin, PoolRules(recycleDays: ["VIP": 60, "*": 30]))
            let quiet = try await customer(store, p.a, "无跟进")
            let followed = try await customer(store, p.a, "有跟进")
            let vip = try await customer(store, p.a, "大客户", tier: "VIP")
            // when 20 days pass and one customer gets a call, then 20 more
            clock.advance(days: 20)
            _ = try await timeline.add(p.a, customerID: followed.id, ActivityDraft(kind: .call, direction: .outbound, subject: "回访"), isNote: false)
            clock.advance(days: 20)
            let moved = try await pool.recycle()
            // then only the quiet one went back; the VIP has longer
            #expect(moved[owner.workspaceID] == 1)
            #expect(try await store.get(p.admin, id: quiet.id).ownerID == nil)
            #expect(try await store.get(p.admin, id: followed.id).ownerID == p.a.userID)
            #expect(try await store.get(p.admin, id: vip.id).ownerID == p.a.userID)
            // and after 61 days the VIP follows
            clock.advance(days: 21)
            _ = try await pool.recycle()
            #expect(try await store.get(p.admin, id: vip.id).ownerID == nil)
            let tl = try await timeline.list(p.admin, customerID: quiet.id, cursor: nil, limit: 5)
            #expect(tl.items.first?.data?["reason"] == .string("recycled"))
            // days beyond ten years are refused by name; a rule stored with any number recycles without overflowing
            // (a generated 10¹⁶ days crashed the server's housekeeping once)
            do {
                _ = try await pool.saveRules(p.admin, PoolRules(recycleDays: ["*": 10_000_000_000_000_000]))
                Issue.record("an absurd number of days was saved")
            } catch let DomainError.validation(fields) { #expect(fields.keys.contains("recycle_days.*")) }
            try await db.write { try await $0.raw("UPDATE pool_rules SET recycle_days_json = '{\"*\":9223372036854775807}'").run() }
            _ = try await pool.recycle()
        }
    }

    @Test(arguments: Backend.all)
    func creatingACustomerSomeoneElseOwnsSaysWhoWithoutShowingIt(_ kind: Backend) async throws {
        try await kind.with { db, owner in
            let p = try await people(db, owner, clock: SystemClock())
            let store = stores(db).customers
            var d = CustomerDraft(); d.kind = .person; d.name = "王芳"; d.phones = ["13812345678"]
            _ = try await store.create(p.a, d)
            // when another rep enters the same phone
            var e = CustomerDraft(); e.kind = .person; e.name = "王芳芳"; e.phones = ["138 1234 5678"]
            do {
                _ = try await store.create(p.b, e)
                Issue.record("the duplicate was created")
            } catch DomainError.duplicate(let field, _, let message) {
                // then 撞单 protection names the owner, not the record
                #expect(field == "phones" && message.text.contains("a@example.com") && !message.text.contains("王芳"))
            }
        }
    }
}
