import Foundation
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform
import GuanxiWebIntegration

/// Sends the queued text messages (`TextMessages`) while the server runs: as soon as one is queued
/// (the outbox's bell), otherwise when the next retry is due, at most every `idle`. Several servers
/// may run it: a message is claimed for a lease before it is sent.
struct TextMessageWatch: Service {
    let messages: TextMessages
    let transport: HTTPWebhookTransport
    let bell: Doorbell
    let logger: Logger
    var metrics: ServerMetrics?
    var idle: Duration = .seconds(5)

    static func make(_ s: AppServices, _ logger: Logger) -> TextMessageWatch {
        TextMessageWatch(messages: TextMessages(db: s.db, clock: s.clock), transport: HTTPWebhookTransport(), bell: s.db.bells(TextMessages.bell),
                         logger: logger, metrics: s.metrics)
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let jobs = try await messages.claim()
                await withTaskGroup(of: Void.self) { group in
                    for job in jobs {
                        group.addTask {
                            let answer = await transport.post(TextMessages.request(job, at: messages.clock.now()))
                            do { try await messages.record(job, answer) } catch { logger.error("recording a text message failed: \(error)") }
                        }
                    }
                }
                metrics?.jobRan("text_messages", ok: true)
                if !jobs.isEmpty { continue }
            } catch {
                metrics?.jobRan("text_messages", ok: false)
                logger.error("sending text messages failed: \(error)")
            }
            var wait = idle
            if let due = (try? await messages.nextDue()) ?? nil {
                wait = min(idle, .milliseconds(Int64(max(0, due.timeIntervalSince(messages.clock.now())) * 1000) + 5))
            }
            let pause = wait
            await cancelWhenGracefulShutdown { await bell.wait(upTo: pause) }
        }
        await transport.shutdown()
    }
}
