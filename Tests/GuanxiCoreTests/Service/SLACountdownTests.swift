import Foundation
import Testing
@testable import GuanxiCore

@Suite("SLA countdown: the next due of a ticket and how much is left, overdue or paused")
struct SLACountdownTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_553_600)   // 2026-09-28 00:00 Shanghai
    static func at(minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }

    /// Opened at t0: first response due at +240 min, resolution at +480 min.
    static let opened = TicketSLA(firstResponseDueAt: at(minutes: 240), awaitingReplySince: t0, resolutionDueAt: at(minutes: 480))

    @Test func theFirstResponseIsNextUntilItIsSentThenTheResolution() {
        // given an unanswered ticket, 160 minutes in
        var sla = Self.opened
        // then the first response is next, with 80 minutes left
        #expect(sla.next(at: Self.at(minutes: 160)) == SLACountdown(target: .firstResponse, due: Self.at(minutes: 240), state: .left(seconds: 4_800)))
        // when it is answered at 200 minutes
        sla.firstRespondedAt = Self.at(minutes: 200); sla.awaitingReplySince = nil
        // then the resolution is next
        #expect(sla.next(at: Self.at(minutes: 200))?.target == .resolution)
        #expect(sla.countdown(.firstResponse, at: Self.at(minutes: 300)) == nil)
    }

    @Test func pastItsDueWithTheClockRunningATargetIsOverdueByTheTimeSince() {
        let sla = Self.opened
        // at the due instant nothing is overdue yet; a second later it is
        #expect(sla.countdown(.firstResponse, at: Self.at(minutes: 240))?.state == .left(seconds: 0))
        #expect(sla.countdown(.firstResponse, at: Self.at(minutes: 240).addingTimeInterval(1))?.isOverdue == true)
        // 15 minutes after the due: overdue by 900 seconds, the same rule as `breached`
        let late = Self.at(minutes: 255)
        #expect(sla.next(at: late)?.state == .overdue(seconds: 900))
        #expect(sla.breached(at: late).firstResponse)
    }

    @Test func aCustomersLaterMessageIsTimedByTheNextResponse() {
        // given an answered ticket whose customer wrote again, the next answer due before the resolution
        var sla = Self.opened
        sla.firstRespondedAt = Self.at(minutes: 10); sla.awaitingReplySince = Self.at(minutes: 60); sla.nextResponseDueAt = Self.at(minutes: 120)
        // then the next response is what is due next
        #expect(sla.next(at: Self.at(minutes: 100)) == SLACountdown(target: .nextResponse, due: Self.at(minutes: 120), state: .left(seconds: 1_200)))
        // and without a message waiting there is none to time
        sla.awaitingReplySince = nil
        #expect(sla.countdown(.nextResponse, at: Self.at(minutes: 100)) == nil)
    }

    @Test func aPausedClockShowsPausedAndAResolvedTicketWaitsForNothing() {
        var sla = Self.opened
        // when it waits on the customer from 30 minutes, long past every due
        sla.pausedSince = Self.at(minutes: 30)
        let next = sla.next(at: Self.at(minutes: 600))
        // then it is paused, not overdue
        #expect(next?.state == .paused(since: Self.at(minutes: 30)) && next?.isOverdue == false)
        // when it is resolved
        sla.resolvedAt = Self.at(minutes: 40)
        // then nothing is pending
        #expect(sla.next(at: Self.at(minutes: 600)) == nil)
        #expect(SLATarget.allCases.allSatisfy { !sla.pending($0) })
    }

    @Test func targetsWithoutADueAreLeftOut() {
        // a policy with a resolution target only
        let sla = TicketSLA(awaitingReplySince: Self.t0, resolutionDueAt: Self.at(minutes: 60))
        #expect(sla.countdown(.firstResponse, at: Self.t0) == nil)
        #expect(sla.next(at: Self.t0)?.target == .resolution)
        #expect(TicketSLA().next(at: Self.t0) == nil)
    }

    @Test func queuesLimitStatusesWhereTheyMean() {
        #expect(TicketQueue.waiting.statuses == [.waitingCustomer, .waitingThirdParty])
        #expect(TicketQueue.breached.statuses?.contains(.resolved) == false && TicketQueue.unassigned.statuses?.contains(.closed) == false)
        #expect(TicketQueue.all.statuses == nil && TicketQueue.mine.statuses == nil)
    }
}
