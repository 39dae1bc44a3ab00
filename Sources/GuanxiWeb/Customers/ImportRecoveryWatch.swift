import Foundation
import Logging
import ServiceLifecycle
import GuanxiStore

/// Looks for API imports left running by a process that died — at start, then every few
/// seconds (another server sharing the database may die at any time) — and takes them over
/// (docs/OPERATIONS.md, "Imports after a crash").
struct ImportRecoveryWatch: Service {
    let imports: ImportJobStore
    let logger: Logger
    var every: Duration = .seconds(5)

    func run() async throws {
        // the server's start-up checks (a new SQLite database is migrated then) run beside this
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(500)) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for id in try await imports.recover() { logger.notice("took over import \(id), left running by a process that stopped") }
            } catch {
                logger.error("looking for interrupted imports failed: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }
}
