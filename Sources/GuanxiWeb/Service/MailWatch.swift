import Foundation
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The service desk's mail while the server runs: sends replies to customers as soon as they are
/// written (and retries those the relay refused) and then the notifications not yet mailed (SLA
/// alarms, hand-off prompts: whoever raises them rings the outbox), and reads the mailbox once at
/// start and then every `interval` when one is configured. Runs only with an outgoing mailer or a mailbox.
struct MailWatch: Service {
    let db: Database
    let outbox: MailOutbox?
    let notifications: NotificationStore
    let publicURL: String?
    let intake: MailIntake
    let access: AccessStore
    let mailbox: IMAPMailbox?
    let workspaceSlug: String
    let interval: Duration
    let logger: Logger
    var metrics: ServerMetrics? = nil

    /// The service for the server's settings, or nil when it has no mail to handle.
    static func make(_ s: AppServices, _ config: AppConfiguration, _ logger: Logger) -> MailWatch? {
        guard s.mailOutbox != nil || config.mailbox != nil else { return nil }
        return MailWatch(db: s.db, outbox: s.mailOutbox, notifications: s.notifications, publicURL: s.publicURL, intake: s.mailIntake, access: s.access, mailbox: config.mailbox,
                         workspaceSlug: config.mailboxWorkspace, interval: config.mailPollInterval, logger: logger, metrics: s.metrics)
    }

    func run() async throws {
        let clock = ContinuousClock()
        var nextPoll = clock.now
        var workspaceID: String?
        while !Task.isShuttingDownGracefully {
            var ok = true
            if let outbox {
                do {
                    let (sent, failed) = try await outbox.flush()
                    if sent + failed > 0 { logger.info("replies mailed", metadata: ["sent": "\(sent)", "failed": "\(failed)"]) }
                } catch { ok = false; logger.error("mailing replies failed: \(error)") }
                do {
                    // sends before it marks: one server of several at a time
                    let mailed = try await db.once("mail_notifications") { [notifications, publicURL] in try await notifications.mailPending(baseURL: publicURL) } ?? 0
                    if mailed > 0 { logger.info("notifications mailed", metadata: ["count": "\(mailed)"]) }
                } catch { ok = false; logger.error("mailing notifications failed: \(error)") }
            }
            if let mailbox, clock.now >= nextPoll {
                nextPoll = clock.now.advanced(by: interval)
                do {
                    if workspaceID == nil { workspaceID = try await access.workspace(slug: workspaceSlug)?.id }
                    if let ws = workspaceID {
                        // one server of several reads the mailbox at a time
                        let outcomes = try await db.once("mail_intake") { [intake, logger] in try await intake.poll(mailbox, workspaceID: ws, logger: logger) } ?? []
                        if !outcomes.isEmpty { logger.info("mail read", metadata: ["mailbox": "\(mailbox)", "messages": "\(outcomes.count)"]) }
                    } else {
                        logger.error("GUANXI_IMAP_WORKSPACE names no workspace: \(workspaceSlug)")
                    }
                } catch { ok = false; logger.error("reading \(mailbox) failed: \(error)") }
            }
            metrics?.jobRan("mail_watch", ok: ok)
            // replies wake the loop at once; failed ones are retried within 30 s of their time
            let untilPoll = mailbox == nil ? Duration.seconds(30) : max(.zero, clock.now.duration(to: nextPoll))
            let wait = min(untilPoll, .seconds(30))
            do {
                try await cancelWhenGracefulShutdown {
                    if let outbox { await outbox.waitForWork(upTo: wait) } else { try await Task.sleep(for: wait) }
                }
            } catch { return }
        }
    }
}

/// `/api/v1/service/mail-quarantine`: mail the desk could not read or file, for administrators.
struct MailAPI {
    let intake: MailIntake

    func register(_ t: RouteTable) {
        t.on(APIRoute(method: .get, path: "/service/mail-quarantine", operationID: "listMailQuarantine",
                      summary: "Mail the service desk could not read or file (newest first): reason, sender, subject, size and the start of the raw message",
                      tag: "Service", needs: .can(.read, .settings), query: ["limit"], responseSchema: "MailQuarantineList")) { req, _, scope in
            .json(Items(items: try await intake.quarantined(scope, limit: try APIPaging.limit(req, default: 50))))
        }
    }
}
