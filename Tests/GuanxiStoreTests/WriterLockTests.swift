import Foundation
import Synchronization
import Testing
@testable import GuanxiStore

/// SQLite's one writer: requests are served in arrival order; background work (webhook delivery)
/// waits while a request waits, but not for ever.
@Suite("The writer lock: requests first, background work within its patience")
struct WriterLockTests {
    final class Order: Sendable {
        let names = Mutex<[String]>([])
        func add(_ n: String) { names.withLock { $0.append(n) } }
        var value: [String] { names.withLock { $0 } }
    }

    /// Takes the lock in a task of its own, notes its name when it has it, and lets it go.
    static func waiter(_ lock: AsyncLock, _ name: String, _ priority: WritePriority, _ order: Order) -> Task<Void, Never> {
        Task { await lock.lock(priority); order.add(name); lock.unlock() }
    }

    static func waitUntil(_ lock: AsyncLock, waiting n: Int) async throws {
        for _ in 0..<2_000 where lock.status.waiting < n { try await Task.sleep(for: .milliseconds(1)) }
        #expect(lock.status.waiting == n)
    }

    @Test func aRequestThatArrivesLaterStillGoesBeforeWaitingBackgroundWork() async throws {
        let lock = AsyncLock(), order = Order()
        await lock.lock()
        let b = Self.waiter(lock, "background", .background, order)
        try await Self.waitUntil(lock, waiting: 1)
        let r1 = Self.waiter(lock, "request 1", .request, order)
        try await Self.waitUntil(lock, waiting: 2)
        let r2 = Self.waiter(lock, "request 2", .request, order)
        try await Self.waitUntil(lock, waiting: 3)
        lock.unlock()
        for t in [b, r1, r2] { await t.value }
        #expect(order.value == ["request 1", "request 2", "background"])
        #expect(lock.status.locked == false)
    }

    @Test func backgroundWorkIsServedOnceItHasWaitedItsPatienceEvenWhileRequestsWait() async throws {
        let lock = AsyncLock(), order = Order()
        await lock.lock()
        let b = Self.waiter(lock, "background", .background, order)
        try await Self.waitUntil(lock, waiting: 1)
        try await Task.sleep(for: AsyncLock.patience + .milliseconds(20))
        let r = Self.waiter(lock, "request", .request, order)
        try await Self.waitUntil(lock, waiting: 2)
        lock.unlock()
        for t in [b, r] { await t.value }
        #expect(order.value == ["background", "request"])
    }

    @Test func backgroundWorkTakesAFreeLockAtOnceAndWaitersOfOneKindKeepTheirOrder() async throws {
        let lock = AsyncLock(), order = Order()
        await lock.lock(.background)
        #expect(lock.status.locked)
        var tasks: [Task<Void, Never>] = []
        for i in 1...3 {
            tasks.append(Self.waiter(lock, "background \(i)", .background, order))
            try await Self.waitUntil(lock, waiting: i)
        }
        lock.unlock()
        for t in tasks { await t.value }
        #expect(order.value == ["background 1", "background 2", "background 3"])
    }
}
