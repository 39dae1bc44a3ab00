import Foundation
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore

/// The nightly scoring run: every few minutes, each workspace whose night it is (02:00–05:00 its
/// time) and that was not scored in the last 20 hours is scored, one after another.
struct ScoreWatch: Service {
    let scores: ScoreStore
    let logger: Logger
    var every: Duration = .seconds(600)

    func run() async throws {
        // a run the last server left running will never finish: say so
        do {
            let n = try await scores.failInterrupted()
            if n > 0 { logger.warning("marked \(n) interrupted scoring runs failed") }
        } catch {
            logger.error("could not mark interrupted scoring runs: \(error)")
        }
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(30)) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for id in try await scores.dueNightly() {
                    let run = try await scores.run(Scope(workspaceID: id, userID: nil, role: .owner), asOf: nil, period: "week")
                    logger.info("scored \(run.customers) customers of workspace \(id) in \(run.durationMs ?? 0) ms")
                }
            } catch {
                logger.error("the nightly scoring run failed: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }
}
