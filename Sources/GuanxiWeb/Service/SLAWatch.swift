import Foundation
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// Runs the SLA monitor every 15 seconds while the server runs (alarms within a minute of their
/// time) over the tickets' targets and their steps' deadlines, then wakes the mail service
/// (`MailWatch`) to mail the notifications it raised when a mailer is configured.
struct SLAWatch: Service {
    let db: Database
    let monitor: SLAMonitor
    let outbox: MailOutbox?
    let clock: any GuanxiCore.Clock
    let logger: Logger
    var metrics: ServerMetrics? = nil
    static let interval: Duration = .seconds(15)

    func run() async throws {
        // the first pass catches up on a day of due times (a restart, a stopped server)
        var since = clock.now().addingTimeInterval(-86_400)
        while !Task.isShuttingDownGracefully {
            let started = clock.now()
            do {
                // one server of several scans at a time; one that finds the lock taken keeps its `since`
                guard let (raised, overdue) = try await db.once("sla_watch", { [monitor, since] in
                    (try await monitor.scan(since: since), try await monitor.scanSteps(since: since))
                }) else {
                    do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) } } catch { return }
                    continue
                }
                since = started
                if !raised.isEmpty || !overdue.isEmpty {
                    logger.info("SLA alarms raised", metadata: ["count": "\(raised.count)", "overdue_steps": "\(overdue.count)"])
                    await outbox?.ring()
                }
                metrics?.jobRan("sla_watch", ok: true)
            } catch {
                metrics?.jobRan("sla_watch", ok: false)
                logger.error("SLA monitor pass failed: \(error)")
            }
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) } } catch { return }
        }
    }
}
