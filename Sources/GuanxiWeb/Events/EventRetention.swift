import Foundation
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore

/// Nightly, on one server of several (`db.once`): makes the events table's coming months'
/// partitions on PostgreSQL (`EventStore.preparePartitions`), then deletes events past each
/// workspace's retention (`event_settings.retention_days`; `EventStore.purge`: whole months
/// dropped on PostgreSQL, the rest in bounded batches).
struct EventRetention: Service {
    let events: EventStore
    let db: Database
    let logger: Logger
    var every: Duration = .seconds(24 * 3600)

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(300)) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if let made = try await db.once("event_partitions", { try await events.preparePartitions() }), !made.isEmpty {
                    logger.info("made the events partitions \(made.map(EventMonths.name).joined(separator: ", "))")
                }
            } catch {
                logger.error("making the events partitions failed: \(error)")
            }
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
