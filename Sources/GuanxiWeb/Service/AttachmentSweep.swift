import Foundation
import Logging
import ServiceLifecycle
import GuanxiStore

/// Every six hours (first ten minutes after start) removes attachment files nothing refers to:
/// those of messages whose transaction failed after the files were kept (`TicketStore.sweepFiles`).
struct AttachmentSweep: Service {
    let db: Database
    let tickets: TicketStore
    let logger: Logger

    func run() async throws {
        var wait: Duration = .seconds(600)
        while !Task.isShuttingDownGracefully {
            let pause = wait
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } } catch { return }
            wait = .seconds(6 * 3600)
            do {
                // once across servers that share the files directory
                let removed = try await db.once("attachment_sweep") { [tickets] in try await tickets.sweepFiles() } ?? 0
                if removed > 0 { logger.info("attachment files no message refers to were removed", metadata: ["count": "\(removed)"]) }
            } catch {
                logger.error("attachment sweep failed: \(error)")
            }
        }
    }
}
