import Synchronization

/// Wakes a background loop when there is work (a reply to mail) instead of letting it sleep its
/// full interval. A ring while nobody waits is kept for the next wait.
package actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var round = 0

    package init() {}

    package func ring() {
        if let w = waiter { waiter = nil; w.resume() } else { rung = true }
    }

    /// Returns at the next ring, after `limit`, or when the task is cancelled, whichever comes first.
    package func wait(upTo limit: Duration) async {
        if rung { rung = false; return }
        round += 1
        let mine = round
        let timer = Task { [weak self] in
            try? await Task.sleep(for: limit)
            await self?.expire(mine)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter = $0 }
        } onCancel: {
            Task { await self.expire(mine) }
        }
        timer.cancel()
    }

    /// Ends wait number `n` if it is still the one waiting.
    private func expire(_ n: Int) {
        guard n == round, let w = waiter else { return }
        waiter = nil
        w.resume()
    }
}

/// A database's doorbells by name: a write that queues work for a background service (the ticket
/// search index, the outboxes) rings one, and the service waits on it between its passes. On
/// PostgreSQL `Database.ring` and `Tx.ring` ring it on every server (LISTEN/NOTIFY).
package final class Doorbells: Sendable {
    private let bells = Mutex<[String: Doorbell]>([:])
    private let handlers = Mutex<[String: [@Sendable () -> Void]]>([:])

    /// Calls `handler` when bell `name` rings from another server (a cache to forget).
    package func onRing(_ name: String, _ handler: @escaping @Sendable () -> Void) {
        handlers.withLock { $0[name, default: []].append(handler) }
    }

    package init() {}

    /// Rings bell `name` here (a notification from another server).
    func ringHere(_ name: String) async {
        for h in handlers.withLock({ $0[name] ?? [] }) { h() }
        await self(name).ring()
    }

    /// Rings every bell made here.
    func ringAllHere() async {
        for bell in bells.withLock({ Array($0.values) }) { await bell.ring() }
    }

    package func callAsFunction(_ name: String) -> Doorbell {
        bells.withLock { b in
            if let bell = b[name] { return bell }
            let made = Doorbell()
            b[name] = made
            return made
        }
    }
}
