import Foundation
import Logging
import ServiceLifecycle
import GuanxiCore
import GuanxiStore

/// Where and how often the server writes backups by itself, and how many it keeps
/// (`GUANXI_BACKUP_DIR`, `GUANXI_BACKUP_INTERVAL` in hours, `GUANXI_BACKUP_KEEP`).
package struct BackupSchedule: Sendable {
    package var directory: String
    package var interval: Duration
    package var keep: Int
    package var filesDirectory: String?
    package init(directory: String, interval: Duration = .seconds(24 * 3600), keep: Int = 7, filesDirectory: String?) {
        self.directory = directory; self.interval = interval; self.keep = keep; self.filesDirectory = filesDirectory
    }

    /// From the environment; nil (no scheduled backups) without `GUANXI_BACKUP_DIR`.
    package static func from(_ env: [String: String], filesDirectory: String?) -> BackupSchedule? {
        guard let dir = env["GUANXI_BACKUP_DIR"], !dir.isEmpty else { return nil }
        let hours = env["GUANXI_BACKUP_INTERVAL"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 24
        let keep = env["GUANXI_BACKUP_KEEP"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 7
        return BackupSchedule(directory: dir, interval: .milliseconds(Int64(hours * 3_600_000)), keep: keep, filesDirectory: filesDirectory)
    }

    static let prefix = "guanxi-", suffix = ".backup"

    /// A new backup's file name: its UTC time, so that name order is time order.
    func file(at date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return directory + "/" + Self.prefix + f.string(from: date) + Self.suffix
    }
}

/// Writes a backup every interval (the first one interval after start, or at once when the latest
/// in the log is older than that), records it in the backup log and keeps the newest `keep` files.
package struct ScheduledBackups: Service {
    package let db: Database
    package let schedule: BackupSchedule
    package let logger: Logger

    package func run() async throws {
        let log = BackupLog(db: db)
        let last = (try? await log.latest(limit: 1).first?.finishedAt) ?? nil
        var wait = schedule.interval
        if let last { wait = max(.zero, schedule.interval - .seconds(Date().timeIntervalSince(last))) }
        while !Task.isShuttingDownGracefully {
            let pause = wait
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } } catch { return }
            wait = schedule.interval
            let started = Date()
            let file = schedule.file(at: started)
            do {
                try FileManager.default.createDirectory(atPath: schedule.directory, withIntermediateDirectories: true)
                // several servers on one database: one of them writes each backup
                let done = try await db.once("scheduled_backup") { [db, schedule, logger] in
                    let schema = try await Migrator(db: db, migrations: []).status().current
                    let r = try await Backup.create(db, to: file, schemaVersion: schema, filesDirectory: schedule.filesDirectory, now: started)
                    try await log.record(BackupRecord(startedAt: started, finishedAt: Date(), file: file, bytes: r.bytes, sha256: r.sha256, schemaVersion: schema))
                    let pruned = try Backup.prune(schedule.directory, prefix: BackupSchedule.prefix, suffix: BackupSchedule.suffix, keep: schedule.keep)
                    logger.info("backup written", metadata: ["file": "\(file)", "bytes": "\(r.bytes)", "seconds": "\(r.seconds)", "pruned": "\(pruned.count)"])
                }
                if done == nil { logger.info("another server is writing a backup now; skipped") }
            } catch {
                logger.error("scheduled backup failed: \(error)")
                try? await log.record(BackupRecord(startedAt: started, finishedAt: Date(), file: file, error: "\(error)"))
            }
        }
    }
}
