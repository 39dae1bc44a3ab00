import Foundation
import Synchronization
import GuanxiCore

/// Group commit: requests that arrive while a write is running are written together in the next
/// transaction, and each caller gets its own answer back only after the commit. Under load this
/// turns many small transactions (each paying for the writer hand-off, the commit and the per-write
/// look-ups) into a few large ones. If a group fails as a whole, its items are retried one by one,
/// so one bad item fails alone.
actor GroupCommit<Input: Sendable, Output: Sendable> {
    struct Item {
        let input: Input
        let continuation: CheckedContinuation<Output, any Error>
    }

    private var pending: [Item] = []
    private var flushing = false
    private let maxBatch: Int
    private let write: @Sendable ([Input]) async throws -> [Output]
    /// Counts the items waiting or being written (the metrics' ingest queue depth).
    private let stats: DatabaseStats?

    /// `write` stores a group in one transaction and answers one output per input, in order.
    init(maxBatch: Int = 256, stats: DatabaseStats? = nil, write: @escaping @Sendable ([Input]) async throws -> [Output]) {
        self.maxBatch = maxBatch; self.stats = stats; self.write = write
    }

    func submit(_ input: Input) async throws -> Output {
        try await withCheckedThrowingContinuation { c in
            pending.append(Item(input: input, continuation: c))
            if let stats { stats.queued.add(1, ordering: .relaxed) }
            if !flushing {
                flushing = true
                // High priority: the writer is the serial path, so its steps must not wait in the
                // global queue behind the requests it is about to answer.
                Task(priority: .high) { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            let results = await Self.together(batch.map(\.input), write)
            if let stats { stats.queued.subtract(batch.count, ordering: .relaxed) }
            for (item, r) in zip(batch, results) { item.continuation.resume(with: r) }
        }
        flushing = false
    }

    /// Writes `inputs` in one call; if that fails, each alone, so one bad item fails alone.
    /// One result per input, in order (also used by batch endpoints that write a group directly).
    static func together(_ inputs: [Input], _ write: ([Input]) async throws -> [Output]) async -> [Result<Output, any Error>] {
        do {
            return try await write(inputs).map { .success($0) }
        } catch {
            var out: [Result<Output, any Error>] = []
            for input in inputs {
                do { out.append(.success(try await write([input])[0])) } catch { out.append(.failure(error)) }
            }
            return out
        }
    }
}

/// Group commit for a store's changes of different kinds (a reply, a status change): each body runs
/// with a `Tx` of its own scope and instant inside the group's one transaction, in the order they
/// arrived, so a later change sees an earlier one's writes. On SQLite the writes queue behind one
/// writer and a group pays the hand-off and the commit once; PostgreSQL runs concurrent
/// transactions side by side, so there each change is written at once in its own.
package struct GroupedWrites: Sendable {
    struct Job: Sendable {
        let scope: Scope
        let now: Date
        let body: @Sendable (Tx) async throws -> any Sendable
    }
    private let db: Database
    private let group: GroupCommit<Job, any Sendable>

    init(db: Database) {
        self.db = db
        group = GroupCommit { jobs in
            try await db.write { sql in
                var out: [any Sendable] = []
                for job in jobs { out.append(try await job.body(Tx(sql: sql, scope: job.scope, now: job.now, db: db))) }
                return out
            }
        }
    }

    /// `Database.write(_:at:_:)`, in the next group.
    func write<T: Sendable>(_ scope: Scope, at now: Date, _ body: @escaping @Sendable (Tx) async throws -> T) async throws -> T {
        guard db.dialect == .sqlite else { return try await db.write(scope, at: now, body) }
        // the group answers each job with what its own body returned
        return try await group.submit(Job(scope: scope, now: now) { try await body($0) }) as! T
    }
}
