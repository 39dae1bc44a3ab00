import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Opening tickets together: one transaction for many callers, one bad ticket fails alone")
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
}
