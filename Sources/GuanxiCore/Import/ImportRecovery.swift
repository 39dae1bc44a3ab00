import Foundation

/// The process running an API import: its host, its process id and a random id drawn when it
/// started (a restarted server may get the same process id back).
package struct ImportRunner: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var pid: Int32
    package var boot: String

    package init(host: String, pid: Int32, boot: String) { self.host = host; self.pid = pid; self.boot = boot }

    /// How a job's row names it: `host pid boot`.
    package var description: String { "\(host) \(pid) \(boot)" }

    package init?(_ stored: String) {
        let parts = stored.split(separator: " ").map(String.init)
        guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
        self.init(host: parts[0], pid: pid, boot: parts[2])
    }
}

/// Deciding which running imports were left by a process that is gone. A running job's process
/// beats its heartbeat every few seconds; another process takes the job over only when that
/// process is known dead (the same host, and its process id is gone or is now someone else) or
/// its heartbeat has stopped for `staleAfter` — so servers sharing one database never take a
/// job whose process lives.
package enum ImportRecovery {
    package static let heartbeat: TimeInterval = 2
    package static let staleAfter: TimeInterval = 15

    package static func abandoned(runner stored: String?, heartbeat: Date?, now: Date, me: ImportRunner,
                                  staleAfter: TimeInterval = staleAfter, isAlive: (Int32) -> Bool) -> Bool {
        // a job that names no process was started before processes were recorded: nobody runs it now
        guard let stored, let runner = ImportRunner(stored) else { return true }
        if runner == me { return false }
        if runner.host == me.host && (runner.pid == me.pid || !isAlive(runner.pid)) { return true }
        guard let heartbeat else { return true }
        return now.timeIntervalSince(heartbeat) > staleAfter
    }
}
