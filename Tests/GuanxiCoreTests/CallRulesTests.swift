import Foundation
import Testing
@testable import GuanxiCore

@Suite("Call rules: state transitions, the webhook body, missed-call follow-ups and the call figures as pure functions")
struct CallRulesTests {
    let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    func event(_ e: CallEvent, at s: Double = 0, url: String? = nil) -> TelephonyEvent {
        TelephonyEvent(event: e, callID: "1700.42", from: "+86 138 0013 8000", to: "4008001234", at: t0.addingTimeInterval(s), recordingURL: url)
    }

    @Test func aCallRingsIsAnsweredAndEndsWithItsDuration() throws {
        // given a ringing call
        var (c, change) = try CallRules.apply(event(.ringing), to: nil, id: "c1", phone: "+8613800138000")
        #expect(c.state == .ringing && change == .moved(from: nil, to: .ringing))
        // when it is answered after 5 s and ends 200 s later
        (c, change) = try CallRules.apply(event(.answered, at: 5), to: c, id: "x", phone: "x")
        (c, change) = try CallRules.apply(event(.ended, at: 205), to: c, id: "x", phone: "x")
        // then it is ended, kept its id, and lasted 200 s
        #expect(c.id == "c1" && c.state == .ended && c.durationSeconds == 200 && change == .moved(from: .answered, to: .ended))
    }

    @Test func repeatsChangeNothingAndImpossibleEventsAreRefused() throws {
        let (ringing, _) = try CallRules.apply(event(.ringing), to: nil, id: "c1", phone: "p")
        #expect(try CallRules.apply(event(.ringing, at: 1), to: ringing, id: "x", phone: "p").1 == .repeated)
        let (missed, change) = try CallRules.apply(event(.ended, at: 30), to: ringing, id: "x", phone: "p")
        // a call that ends unanswered is missed
        #expect(missed.state == .missed && change == .moved(from: .ringing, to: .missed) && missed.durationSeconds == nil)
        #expect(try CallRules.apply(event(.missed, at: 31), to: missed, id: "x", phone: "p").1 == .repeated)
        // a missed call is not answered afterwards, nor does it ring again
        #expect(throws: DomainError.self) { try CallRules.apply(event(.answered, at: 40), to: missed, id: "x", phone: "p") }
        #expect(throws: DomainError.self) { try CallRules.apply(event(.ringing, at: 40), to: missed, id: "x", phone: "p") }
        // a recording needs a known call
        #expect(throws: DomainError.self) { try CallRules.apply(event(.recordingAvailable, url: "https://r.example/1.wav"), to: nil, id: "x", phone: "p") }
        let (withRecording, r) = try CallRules.apply(event(.recordingAvailable, url: "https://r.example/1.wav"), to: missed, id: "x", phone: "p")
        #expect(r == .recording && withRecording.recordingURL == "https://r.example/1.wav" && withRecording.state == .missed)
    }

    @Test func onlyTheMoveIntoMissedMakesAFollowUpAndATicketNeedsACustomer() throws {
        let (ringing, _) = try CallRules.apply(event(.ringing), to: nil, id: "c1", phone: "p")
        let (missed, change) = try CallRules.apply(event(.missed, at: 20), to: ringing, id: "x", phone: "p")
        #expect(CallRules.followUp(missed, change: change, rule: .task) == .task)
        #expect(CallRules.followUp(missed, change: .repeated, rule: .task) == nil)
        #expect(CallRules.followUp(missed, change: change, rule: .nothing) == nil)
        // an unknown number cannot have a ticket: it gets a call-back task
        #expect(CallRules.followUp(missed, change: change, rule: .ticket) == .task)
        var known = missed; known.customerID = "cust"
        #expect(CallRules.followUp(known, change: change, rule: .ticket) == .ticket)
        #expect(CallRules.assignee(.owner, customerOwner: nil, agent: "agent") == "agent")
        #expect(CallRules.assignee(.agent, customerOwner: "owner", agent: nil) == "owner")
        #expect(CallRules.assignee(.owner, customerOwner: "owner", agent: "agent") == "owner")
    }

    @Test func theWebhookBodyIsCheckedFieldByField() throws {
        let ok = try TelephonyEvent.parse(try JSONParser.parse(#"{"event":"ringing","call_id":"a1","from":"138 0013 8000","to":"400","agent_extension":"8001","at":"2026-12-07T01:00:00Z"}"#), now: t0)
        #expect(ok.event == .ringing && ok.direction == .inbound && ok.customerNumber == "138 0013 8000" && ok.agentExtension == "8001")
        #expect(ok.at == Timestamp.parse("2026-12-07T01:00:00Z"))
        do {
            _ = try TelephonyEvent.parse(try JSONParser.parse(#"{"event":"exploded","from":"x\u0007","direction":"sideways","at":"yesterday"}"#), now: t0)
            Issue.record("accepted a bad body")
        } catch DomainError.validation(let f) {
            #expect(Set(f.keys) == ["event", "call_id", "from", "direction", "at"])
        }
        #expect(throws: DomainError.self) { try TelephonyEvent.parse(.array([]), now: t0) }
        #expect(throws: DomainError.self) {
            try TelephonyEvent.parse(try JSONParser.parse(#"{"event":"recording_available","call_id":"a1","recording_url":"javascript:alert(1)"}"#), now: t0)
        }
    }

    @Test func theFiguresCountAnsweredRateHandlingTimeAndCallBacksWithinTheWindow() {
        let hour: TimeInterval = 3600
        func at(_ m: Double) -> Date { t0.addingTimeInterval(m * 60) }
        let calls: [CallStats.Facts] = [
            .init(direction: .inbound, state: .ended, phone: "+861", startedAt: at(0), answeredAt: at(1), endedAt: at(5)),        // 240 s
            .init(direction: .inbound, state: .ended, phone: "+862", startedAt: at(10), answeredAt: at(10), endedAt: at(12)),     // 120 s
            .init(direction: .inbound, state: .missed, phone: "+863", startedAt: at(20), endedAt: at(21)),
            .init(direction: .inbound, state: .missed, phone: "+864", startedAt: at(30), endedAt: at(31)),
            .init(direction: .inbound, state: .ringing, phone: "+865", startedAt: at(40)),
            .init(direction: .outbound, state: .ended, phone: "+863", startedAt: at(50), answeredAt: at(50), endedAt: at(53)),   // 180 s, calls +863 back in 29 min
        ]
        let later = calls + [.init(direction: .outbound, state: .missed, phone: "+864", startedAt: at(31 + 61))]                 // 61 min: too late
        let s = CallStats.compute(calls, laterOutbound: later, window: hour)
        #expect(s.inbound == 4 && s.answered == 2 && s.missed == 2 && s.outbound == 1)
        #expect(s.answeredRate == 0.5)
        #expect(s.averageHandlingSeconds == 180)
        #expect(s.calledBackWithinSLA == 1 && s.calledBackRate == 0.5)
        // no calls: no rates rather than a division by zero
        let none = CallStats.compute([], laterOutbound: [], window: hour)
        #expect(none.answeredRate == nil && none.averageHandlingSeconds == nil && none.calledBackRate == nil)
    }
}
