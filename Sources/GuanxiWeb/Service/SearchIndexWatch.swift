import Foundation
import Logging
import ServiceLifecycle
import GuanxiStore
import GuanxiWebPlatform

/// Writes the ticket search documents that writes have queued (`TicketSearchIndex`): woken by the
/// writes, it waits a moment so that one transaction takes what arrived meanwhile, then works
/// through the queue in batches; it looks again every few seconds in case another server process
/// on the same PostgreSQL database queued tickets it was not told about.
struct SearchIndexWatch: Service {
    let db: Database
    let logger: Logger
    var metrics: ServerMetrics? = nil
    static let gather: Duration = .milliseconds(50)
    static let idle: Duration = .seconds(5)

    func run() async throws {
        let bell = db.bells(TicketSearchIndex.bell)
        while !Task.isShuttingDownGracefully {
            do {
                while try await TicketSearchIndex.drain(db) == TicketSearchIndex.batch, !Task.isShuttingDownGracefully {}
                metrics?.jobRan("search_index", ok: true)
            } catch {
                metrics?.jobRan("search_index", ok: false)
                logger.error("ticket search index pass failed: \(error)")
            }
            do {
                try await cancelWhenGracefulShutdown {
                    await bell.wait(upTo: Self.idle)
                    try await Task.sleep(for: Self.gather)
                }
            } catch { return }
        }
    }
}
