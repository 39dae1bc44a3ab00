import Foundation
import Synchronization

/// A histogram with fixed bucket bounds: counts per bucket (not cumulative), the sum and the count.
/// The bucket is found outside the lock; the critical section is three additions.
package final class Histogram: Sendable {
    /// Upper bounds of the buckets, ascending (the last, +Inf, is implied).
    package let bounds: [Double]
    private let state: Mutex<Counts>

    package struct Counts: Sendable {
        /// One per bound, then one for +Inf.
        package var buckets: [UInt64]
        package var sum: Double = 0
        package var count: UInt64 = 0
    }

    package init(bounds: [Double]) {
        self.bounds = bounds
        state = Mutex(Counts(buckets: [UInt64](repeating: 0, count: bounds.count + 1)))
    }

    /// Latency buckets in seconds, 1 ms to 10 s.
    package static let latency: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    package func observe(_ value: Double) {
        var i = 0
        while i < bounds.count && value > bounds[i] { i += 1 }
        state.withLock { s in s.buckets[i] &+= 1; s.sum += value; s.count &+= 1 }
    }

    package func observe(since start: ContinuousClock.Instant) {
        let d = ContinuousClock.now - start
        observe(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    package var counts: Counts { state.withLock { $0 } }
}

/// What a database handle counts while it is used, for the server's metrics: how long writers
/// waited for the writer (SQLite's writer lock, a PostgreSQL connection for a transaction), the
/// items waiting in group commits (lead captures, new tickets, single orders) and rejected sign-ins.
package final class DatabaseStats: Sendable {
    package let writeWait = Histogram(bounds: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
    package let queued = Atomic<Int>(0)
    package let failedSignIns = Atomic<Int>(0)
    package init() {}
}

/// A database's connections as the metrics show them.
package struct PoolStats: Sendable, Equatable {
    /// `reader`, `writer` (SQLite) or `server` (PostgreSQL's pool).
    package var pool: String
    package var inUse: Int
    package var idle: Int
    /// Callers waiting for a connection (the SQLite writer's queue), when known.
    package var waiting: Int?
}

