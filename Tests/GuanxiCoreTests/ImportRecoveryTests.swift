import Foundation
import Testing
@testable import GuanxiCore

@Suite("Import recovery: which running jobs were left by a process that is gone")
struct ImportRecoveryTests {
    let me = ImportRunner(host: "web-1", pid: 4242, boot: "boot-now")
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    func abandoned(_ runner: String?, beatAgo: TimeInterval?, alive: Bool = true) -> Bool {
        ImportRecovery.abandoned(runner: runner, heartbeat: beatAgo.map { now.addingTimeInterval(-$0) }, now: now, me: me, isAlive: { _ in alive })
    }

    @Test func aJobThisProcessRunsIsNeverTaken() {
        #expect(!abandoned(me.description, beatAgo: 3600))
    }

    @Test func aDeadProcessOfThisHostIsKnownAtOnce() {
        // killed a moment ago: its heartbeat is fresh, but its process id is gone
        #expect(abandoned("web-1 977 boot-old", beatAgo: 1, alive: false))
        // or the restarted server got the same process id back (another boot id)
        #expect(abandoned("web-1 4242 boot-old", beatAgo: 1, alive: true))
    }

    @Test func anotherLiveServerKeepsItsJobWhileItsHeartbeatBeats() {
        #expect(!abandoned("web-2 977 boot-b", beatAgo: 3))
        #expect(!abandoned("web-1 977 boot-b", beatAgo: 3, alive: true))
        // silent for longer than the limit: taken over
        #expect(abandoned("web-2 977 boot-b", beatAgo: ImportRecovery.staleAfter + 1))
    }

    @Test func aJobThatNamesNoProcessOrGarbageIsAbandoned() {
        #expect(abandoned(nil, beatAgo: nil))
        #expect(abandoned("", beatAgo: 1))
        #expect(abandoned("web-2 not-a-pid boot", beatAgo: 1))
        #expect(abandoned("'; DROP TABLE import_jobs; --", beatAgo: 1))
    }

    @Test func aRunnerRoundTripsThroughItsStoredForm() {
        #expect(ImportRunner(me.description) == me)
        #expect(ImportRunner("服务器 1 启动") == ImportRunner(host: "服务器", pid: 1, boot: "启动"))
    }
}
