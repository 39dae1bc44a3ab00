import Foundation
import Synchronization

/// Write keys already verified, in memory, so a tracking client's request does not read
/// `event_sources` each time (every request carries its key). One per database, shared by every
/// `EventStore` made on it. Bounded (`capacity` keys; beyond it the cache starts over) and
/// forgotten when a source changes — its key rotated, the source disabled or enabled — here at once
/// and, through the `eventSources` bell, on every other server on the same PostgreSQL. A server
/// that misses the ring (its listener reconnecting) sees the change within `ttl`. A read that
/// started before a change is not kept (the generation moved on).
package final class WriteKeyCache: Sendable {
    package static let bell = "event_sources"
    package static let ttl: Double = 60
    package static let capacity = 1_000

    private struct Entry { var key: SourceKey; var readAt: Double }
    private let entries = Mutex<[String: Entry]>([:])
    private let generation = Atomic<Int>(0)

    package init() {}

    /// The generation to hand back to `store` with what is read now.
    package var current: Int { generation.load(ordering: .acquiring) }

    package func cached(_ hash: String, at t: Double) -> SourceKey? {
        entries.withLock { e in e[hash].flatMap { t - $0.readAt < Self.ttl && t >= $0.readAt ? $0.key : nil } }
    }

    package func store(_ hash: String, _ key: SourceKey, readAt t: Double, generation g: Int) {
        entries.withLock { e in
            guard g == generation.load(ordering: .acquiring) else { return }
            if e.count >= Self.capacity, e[hash] == nil { e.removeAll(keepingCapacity: true) }
            e[hash] = Entry(key: key, readAt: t)
        }
    }

    package var count: Int { entries.withLock { $0.count } }

    /// Forgets every key read here (a source changed); reads already under way are not kept.
    package func invalidate() {
        generation.add(1, ordering: .releasing)
        entries.withLock { $0.removeAll() }
    }

    private struct Weak: @unchecked Sendable { weak var db: Database?; let cache: WriteKeyCache }
    private static let registry = Mutex<[ObjectIdentifier: Weak]>([:])

    /// The cache of `db` (made on first use, with its bell's handler; forgotten with the database).
    package static func of(_ db: Database) -> WriteKeyCache {
        registry.withLock { r in
            let id = ObjectIdentifier(db)
            if let w = r[id], w.db === db { return w.cache }
            r = r.filter { $0.value.db != nil }
            let made = Weak(db: db, cache: WriteKeyCache())
            r[id] = made
            db.bells.onRing(bell) { [cache = made.cache] in cache.invalidate() }
            return made.cache
        }
    }
}
