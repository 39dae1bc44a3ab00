import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Event sources: write keys verified once and kept in memory until a source changes here or on another server; refusals kept bounded")
struct WriteKeyCacheTests {
    @Test(arguments: Backend.all)
    func aVerifiedKeyIsAnsweredFromMemoryUntilASourceChanges(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let store = EventStore(db: db, clock: SystemClock())
            let issued = try await store.createSource(owner, name: "缓存 🔑")
            let readAt = ProcessInfo.processInfo.systemUptime
            let key = try #require(try await store.key(issued.writeKey))
            #expect(key.enabled && key.sourceID == issued.source.id)
            // another server disables it behind this one's back: still answered from memory…
            try await db.write { try await $0.raw("UPDATE event_sources SET enabled = 0 WHERE id = \(bind: issued.source.id)").run() }
            let answer = try await store.key(issued.writeKey)?.enabled
            // (unless the entry's minute ran out first: hundreds of tests at once on two cores took that long here)
            if ProcessInfo.processInfo.systemUptime - readAt < WriteKeyCache.ttl { #expect(answer == true) }
            // …until its bell rings here (LISTEN/NOTIFY on PostgreSQL)
            await db.bells.ringHere(WriteKeyCache.bell)
            #expect(try await store.key(issued.writeKey)?.enabled == false)
            // a change made here is seen at once, by every store on the database
            _ = try await store.setEnabled(owner, id: issued.source.id, true)
            #expect(try await EventStore(db: db, clock: SystemClock()).key(issued.writeKey)?.enabled == true)
            let rotated = try await store.rotateKey(owner, id: issued.source.id)
            #expect(try await store.key(issued.writeKey) == nil)
            #expect(try await store.key(rotated.writeKey)?.sourceID == issued.source.id)
            // junk and injection strings are simply not keys
            for junk in ["", "gxw_'; DROP TABLE event_sources; --", String(repeating: "键", count: 300)] {
                #expect(try await store.key(junk) == nil)
            }
        }
    }

    @Test func theCacheIsBoundedAndKeepsNoReadThatStartedBeforeAChange() {
        let cache = WriteKeyCache()
        let key = SourceKey(sourceID: "s", workspaceID: "w", enabled: true, allowedOrigins: [])
        for i in 0..<(WriteKeyCache.capacity + 10) { cache.store("h\(i)", key, readAt: 0, generation: cache.current) }
        #expect(cache.count <= WriteKeyCache.capacity)
        let before = cache.current
        cache.invalidate()
        cache.store("late", key, readAt: 0, generation: before)
        #expect(cache.cached("late", at: 1) == nil && cache.count == 0)
        cache.store("fresh", key, readAt: 0, generation: cache.current)
        #expect(cache.cached("fresh", at: 1) == key)
        #expect(cache.cached("fresh", at: WriteKeyCache.ttl + 1) == nil, "an entry lives a minute at most")
    }

    @Test(arguments: Backend.all)
    func theRefusalsKeptPerSourceAreBounded(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let store = EventStore(db: db, clock: SystemClock())
            let key = try #require(try await store.key(try await store.createSource(owner, name: "满").writeKey))
            for i in 0..<(EventStore.refusalsKept + 15) { await store.recordRefusal(key, code: "invalid_event", message: "n \(i)", sample: String(repeating: "长", count: 2_000)) }
            let a = try await store.activity(owner, sourceID: key.sourceID)
            #expect(a.refusals.count == EventStore.refusalsKept && a.refusals[0].message == "n \(EventStore.refusalsKept + 14)")
            #expect(a.source.refused == Int64(EventStore.refusalsKept + 15) && (a.refusals[0].sample?.count ?? 0) == 1_000)
        }
    }
}
