import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Tickets opened and changed together: one transaction for many callers, one bad change fails alone")
struct TicketOpeningTests {
    @Test(arguments: Backend.all) func concurrentOpeningsGetDistinctNumbersAndABadOneFailsAlone(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db, ManualClock(Date(timeIntervalSince1970: 1_790_000_000)))
            var c = CustomerDraft(); c.kind = .person; c.name = "陈女士 🌸"
            let customer = try await s.customers.create(owner, c)
            // given 40 tickets opened at once, one of them for a customer that does not exist
            let missing = ID.make(at: Date())
            let results = await withTaskGroup(of: (Int, Result<Ticket, any Error>).self) { group in
                for i in 0..<40 {
                    group.addTask {
                        var d = TicketDraft(); d.customerID = i == 17 ? missing : customer.id
                        d.subject = "退货申请 #\(i)"; d.body = "第 \(i) 单：尺码不合适"
                        do { return (i, .success(try await s.tickets.create(owner, d))) } catch { return (i, .failure(error)) }
                    }
                }
                var out: [Int: Result<Ticket, any Error>] = [:]
                for await (i, r) in group { out[i] = r }
                return out
            }
            // then the 39 good ones are opened with numbers 1…39, each once, and the bad one is refused on its own
            let opened = results.compactMap { i, r in (try? r.get()).map { (i, $0) } }
            #expect(opened.count == 39)
            #expect(Set(opened.map(\.1.number)) == Set(1...39))
            guard case .failure(let e)? = results[17] else { Issue.record("the ticket for a missing customer was opened"); return }
            #expect(e as? DomainError == .notFound("customer"))
            // and each has its first message, its timeline entry and its audit entry, committed
            for (i, t) in opened.prefix(5) {
                let messages = try await s.tickets.messages(owner, id: t.id)
                #expect(messages.map(\.body) == ["第 \(i) 单：尺码不合适"])
            }
            let audit = try await s.audit.list(owner, object: "tickets", limit: 100)
            #expect(audit.items.filter { $0.action == "create" }.count == 39)
            #expect(try await s.audit.verify(workspaceID: owner.workspaceID).allSatisfy(\.ok))
        }
    }

    @Test(arguments: Backend.all) func concurrentRepliesAndStatusChangesEachLandOnceAndAStaleOneFailsAlone(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db, ManualClock(Date(timeIntervalSince1970: 1_790_000_000)))
            var c = CustomerDraft(); c.kind = .person; c.name = "林先生 🍵"
            let customer = try await s.customers.create(owner, c)
            var d = TicketDraft(); d.customerID = customer.id; d.subject = "龙井受潮"; d.body = "收到时已受潮"
            let shared = try await s.tickets.create(owner, d)
            d.subject = "另一张"
            let other = try await s.tickets.create(owner, d)
            // given 30 replies to one ticket, a status change of another, and a reply stale by version, all at once
            let results = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
                for i in 0..<32 {
                    group.addTask {
                        do {
                            switch i {
                            case 30: return (i, .success(try await s.tickets.setStatus(owner, id: other.id, to: .waitingCustomer, ifVersion: other.version).version))
                            case 31: return (i, .success(try await s.tickets.addMessage(owner, id: shared.id, kind: .reply, body: "过期", ifVersion: 0).0.version))
                            default: return (i, .success(try await s.tickets.addMessage(owner, id: shared.id, kind: .reply, body: "回复 \(i) ✅").0.version))
                            }
                        } catch { return (i, .failure(error)) }
                    }
                }
                var out: [Int: Result<Int, any Error>] = [:]
                for await (i, r) in group { out[i] = r }
                return out
            }
            // then every reply is on the ticket once, each saw the one before (versions 2…31), the status changed,
            // and only the stale reply was refused
            for i in 0..<31 { if case .failure(let e)? = results[i] { Issue.record("\(i): \(e)") } }
            let versions = (0..<30).compactMap { try? results[$0]?.get() }
            #expect(Set(versions) == Set((shared.version + 1)...(shared.version + 30)))
            let bodies = try await s.tickets.messages(owner, id: shared.id).map(\.body)
            #expect(bodies.count == 31 && Set(bodies) == Set(["收到时已受潮"] + (0..<30).map { "回复 \($0) ✅" }))
            #expect(try await s.tickets.get(owner, id: other.id).status == .waitingCustomer)
            guard case .failure(let e)? = results[31] else { Issue.record("a stale reply was taken"); return }
            #expect(e as? DomainError != nil)
            #expect(try await s.audit.verify(workspaceID: owner.workspaceID).allSatisfy(\.ok))
        }
    }
}
