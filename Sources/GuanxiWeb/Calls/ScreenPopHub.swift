import Foundation
import Synchronization
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The screen pops of one server: the agents' browsers connected here (each an event stream), and
/// one loop that waits on the calls bell and reads the pops written since it last looked. The
/// feed is a table and the bell rings on every server (LISTEN/NOTIFY on PostgreSQL), so a call
/// taken by one server reaches an agent connected to another.
final class ScreenPopHub: Sendable {
    enum Signal: Sendable { case pop(CallPop), beat }

    struct Listener: Sendable {
        let workspaceID: String
        let userID: String
        let out: AsyncStream<Signal>.Continuation
    }

    /// Open streams one user may hold in one workspace (tabs, windows); more are refused.
    static let maxPerUser = 4
    /// Seconds between heartbeat comments (which also check that the session still stands).
    static let heartbeat: Duration = .seconds(15)

    /// The server's hub (one per `AppServices`).
    static func shared(_ s: AppServices) -> ScreenPopHub {
        s.kept.get { ScreenPopHub(calls: s.calls, db: s.db) }
    }

    let calls: CallStore
    let db: Database
    private let state = Mutex<(listeners: [UUID: Listener], running: Bool)>(([:], false))

    init(calls: CallStore, db: Database) { self.calls = calls; self.db = db }

    /// A new listener for `userID`'s pops; throws when the user already holds `maxPerUser`.
    func subscribe(workspaceID: String, userID: String) throws -> (UUID, AsyncStream<Signal>, AsyncStream<Signal>.Continuation) {
        let (stream, out) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(64))
        let id = UUID()
        let start = try state.withLock { s -> Bool in
            let held = s.listeners.values.filter { $0.userID == userID && $0.workspaceID == workspaceID }.count
            guard held < Self.maxPerUser else { throw DomainError.tooManyAttempts("too many open call windows; close one and try again") }
            s.listeners[id] = Listener(workspaceID: workspaceID, userID: userID, out: out)
            if s.running { return false }
            s.running = true
            return true
        }
        out.onTermination = { [weak self] _ in self?.remove(id) }
        if start { Task { await self.run() } }
        return (id, stream, out)
    }

    func remove(_ id: UUID) { state.withLock { _ = $0.listeners.removeValue(forKey: id) } }

    var listenerCount: Int { state.withLock { $0.listeners.count } }

    /// Who a pop is for: the agent it names, or (none named) every agent of the workspace.
    static func meant(_ p: CallPop, for l: Listener) -> Bool {
        l.workspaceID == p.workspaceID && (p.agentUserID == nil || p.agentUserID == l.userID)
    }

    private func run() async {
        var last = (try? await calls.lastPop()) ?? 0
        let bell = db.bells(CallStore.bell)
        while !Task.isCancelled {
            await bell.wait(upTo: .seconds(5))
            // nobody listens any more: the loop ends until someone does (the hub stays, one per database)
            if state.withLock({ s -> Bool in
                guard s.listeners.isEmpty else { return false }
                s.running = false
                return true
            }) {
                return
            }
            guard let pops = try? await calls.pops(after: last) else { try? await Task.sleep(for: .seconds(1)); continue }
            guard !pops.isEmpty else { continue }
            let listeners = state.withLock { Array($0.listeners.values) }
            for p in pops {
                last = max(last, p.seq)
                for l in listeners where Self.meant(p, for: l) { l.out.yield(.pop(p)) }
            }
        }
    }
}
