import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Event intake: concurrent requests share transactions, each message stored once, load shed beyond the queue")
struct EventStoreTests {
    func track(_ id: String, anon: String = "a-1") -> EventMessage {
        EventMessage(type: .track, event: "Viewed 浏览", messageID: id, anonymousID: anon, timestamp: Date(timeIntervalSince1970: 1_790_000_000),
                     properties: .object(["名称": .string("龙井 🍵"), "sql": .string("'; DELETE FROM events; --")]))
    }

    @Test(arguments: Backend.all)
    func concurrentOverlappingRequestsStoreEachMessageOnce(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let store = EventStore(db: db, clock: SystemClock())
            let key = try #require(try await store.key(try await store.createSource(owner, name: "并发").writeKey))
            // 40 requests of 10 events each, overlapping by half: ids 0…204
            let results = try await withThrowingTaskGroup(of: EventIntakeResult.self) { group in
                for r in 0..<40 {
                    group.addTask {
                        try await store.ingest(EventIntakeItem(key: key, messages: (0..<10).map { track("m-\(r * 5 + $0)") }, receivedAt: Date()))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.reduce(0) { $0 + $1.stored } == 205 && results.reduce(0) { $0 + $1.duplicates } == 195)
            let n = try await db.read { try await $0.raw("SELECT COUNT(*) AS n FROM events").first()!.decode(column: "n", as: Int.self) }
            #expect(n == 205)
            let s = try await store.sources(owner)[0]
            #expect(s.received == 400 && s.stored == 205 && s.duplicates == 195)
        }
    }

    @Test(arguments: Backend.all)
    func beyondTheQueueRequestsAreShedNotLost(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let store = EventStore(db: db, clock: SystemClock(), maxPending: 20)
            let key = try #require(try await store.key(try await store.createSource(owner, name: "限流").writeKey))
            let outcomes = await withTaskGroup(of: Int?.self) { group in
                for r in 0..<30 {
                    group.addTask {
                        do { return try await store.ingest(EventIntakeItem(key: key, messages: (0..<5).map { track("s-\(r)-\($0)") }, receivedAt: Date())).stored }
                        catch is EventIntakeBusy { return nil } catch { return -1 }
                    }
                }
                return await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            let accepted = outcomes.compactMap { $0 }
            #expect(!accepted.contains(-1))
            let n = try await db.read { try await $0.raw("SELECT COUNT(*) AS n FROM events").first()!.decode(column: "n", as: Int.self) }
            // every accepted request stored all of its events; the others stored nothing
            #expect(n == accepted.reduce(0, +) && accepted.allSatisfy { $0 == 5 })
        }
    }
}
