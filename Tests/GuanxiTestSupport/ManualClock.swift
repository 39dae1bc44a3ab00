import Foundation
import Synchronization
import GuanxiCore

/// A clock the test sets and moves by hand (SLA dues, sign-in lockouts, pool recycling).
package final class ManualClock: GuanxiCore.Clock {
    private let t: Mutex<Date>
    package init(_ start: Date = Date()) { t = Mutex(start) }
    package func now() -> Date { t.withLock { $0 } }
    package func set(_ date: Date) { t.withLock { $0 = date } }
    package func advance(seconds: Double) { t.withLock { $0 = $0.addingTimeInterval(seconds) } }
    package func advance(days: Double) { advance(seconds: days * 86_400) }
}
