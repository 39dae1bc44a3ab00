import Foundation
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore

/// Deletes events past each workspace's retention (`event_settings.retention_days`), nightly, in
/// bounded batches (`EventStore.purge`); one server of several does it (`db.once`).
struct EventRetention: Service {
    let events: EventStore
    let db: Database
    let logger: Logger
    var every: Duration = .seconds(24 * 3600)

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(300)) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if let n = try await db.once("event_retention", { try await events.purge() }), n > 0 {
                    logger.info("deleted \(n) events past their workspace's retention")
                }
            } catch {
                logger.error("the event retention purge failed: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }
}
