import Foundation
import Logging
import Synchronization
import ServiceLifecycle
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// Delivers outgoing webhooks while the server runs: keeps up to `concurrency` requests in flight,
/// takes more as soon as one ends or an event is committed (the outbox rings), and otherwise
/// sleeps until the next retry is due (at most `idle`); as it goes round, it closes connections kept
/// open to endpoints that had nothing sent for a while; hourly, it drops delivered deliveries older
/// than 30 days from the log. What was committed before a stop, or was
/// being sent when the server died, is sent after the next start (a claimed delivery whose answer
/// was never recorded is due again when its lease ends).
package struct WebhookWatch: Service {
    let dispatcher: WebhookDispatcher
    let transport: HTTPWebhookTransport?
    let concurrency: Int
    let idle: Duration
    let logger: Logger
    var metrics: ServerMetrics? = nil

    package init(dispatcher: WebhookDispatcher, transport: HTTPWebhookTransport? = nil, concurrency: Int = 128, idle: Duration = .seconds(5),
                 logger: Logger) {
        self.dispatcher = dispatcher; self.transport = transport; self.concurrency = concurrency; self.idle = idle; self.logger = logger
    }

    /// The service the server runs, over its own HTTP client.
    static func make(_ s: AppServices, _ logger: Logger) -> WebhookWatch {
        let transport = HTTPWebhookTransport()
        var watch = WebhookWatch(dispatcher: WebhookDispatcher(db: s.db, clock: s.clock, transport: transport), transport: transport, logger: logger)
        watch.metrics = s.metrics
        return watch
    }

    package func run() async throws {
        await withDiscardingTaskGroup { group in
            let inFlight = InFlight()
            let bell = dispatcher.bell
            var echoes = 0   // quick looks left after a ring that found nothing
            var nextPurge = ContinuousClock.now.advanced(by: .seconds(60))
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if ContinuousClock.now >= nextPurge {
                    nextPurge = ContinuousClock.now.advanced(by: .seconds(3600))
                    do { try await dispatcher.purge() } catch { logger.error("purging the webhook log failed: \(error)") }
                }
                transport?.sweep()
                let room = concurrency - inFlight.count.load(ordering: .acquiring)
                var claimed = 0
                if room > 0 {
                    do {
                        let jobs = try await dispatcher.claim(limit: room)
                        claimed = jobs.count
                        metrics?.jobRan("webhook_watch", ok: true)
                        for job in jobs {
                            inFlight.count.add(1, ordering: .acquiringAndReleasing)
                            group.addTask {
                                do { try await dispatcher.deliver(job) } catch { logger.error("recording a webhook delivery failed: \(error)") }
                                inFlight.count.subtract(1, ordering: .acquiringAndReleasing)
                                await bell.ring()
                            }
                        }
                    } catch {
                        metrics?.jobRan("webhook_watch", ok: false)
                        logger.error("claiming webhook deliveries failed: \(error)")
                    }
                }
                if claimed > 0 && claimed == room { continue }
                // Wait for a ring (a committed event, a finished request). An event rings inside its
                // transaction, before it commits: after a ring that found nothing, look again 2, 10,
                // 50, 250 ms and 1 s later (a commit behind a busy writer); otherwise sleep until the
                // next retry is due, at most `idle`.
                var wait = idle
                if claimed == 0 && echoes > 0 {
                    wait = .milliseconds([1000, 250, 50, 10, 2][echoes - 1])
                    echoes -= 1
                } else if let due = (try? await dispatcher.nextDue()) ?? nil {
                    let seconds = max(0, due.timeIntervalSince(dispatcher.clock.now()))
                    wait = min(idle, .milliseconds(Int64(seconds * 1000) + 5))
                }
                let started = ContinuousClock.now, pause = wait
                // a shutdown cuts the wait short; the loop's condition then ends it
                await cancelWhenGracefulShutdown { await bell.wait(upTo: pause) }
                if ContinuousClock.now - started < pause - .milliseconds(1) { echoes = 5 }
            }
        }
        await transport?.shutdown()
    }
}

/// How many deliveries are being sent, shared by the loop and the sending tasks.
private final class InFlight: Sendable {
    let count = Atomic<Int>(0)
}
