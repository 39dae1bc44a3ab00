import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
@testable import GuanxiStore

@Suite("Call centre store: the signed telephony webhook, replays, number matching, missed-call follow-ups")
struct CallStoreTests {
    /// A message signed as the telephone system signs it (the outgoing webhooks' signing function).
    static func signed(_ body: String, secret: String, id: String = "msg_" + UUID().uuidString, at: Date = Date())
        -> (id: String, timestamp: String, signature: String, body: [UInt8]) {
        let t = Int64(at.timeIntervalSince1970)
        let sig = WebhookSignature.header(WebhookDispatcher.signatures(id: id, timestamp: t, body: Array(body.utf8), secrets: [secret]))
        return (id, String(t), sig, Array(body.utf8))
    }

    static func post(_ s: Stores, _ settings: TelephonySettings, _ body: String, secret: String? = nil, id: String = "msg_" + UUID().uuidString,
                     at: Date = Date()) async throws -> Call {
        let m = signed(body, secret: secret ?? settings.secret, id: id, at: at)
        return try await s.calls.receive(key: settings.hookKey, id: m.id, timestamp: m.timestamp, signature: m.signature, body: m.body)
    }

    static func body(_ event: String, call: String, from: String = "+86 138 0013 8000", extra: String = "") -> String {
        #"{"event":"\#(event)","call_id":"\#(call)","from":"\#(from)","to":"4008001234"\#(extra)}"#
    }

    @Test(arguments: Backend.all) func aSignedMessageIsTakenAndBadOrOldSignaturesAreRefused(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let settings = try await s.calls.settings(owner)
            // a good signature is taken
            let c = try await Self.post(s, settings, Self.body("ringing", call: "good-1"))
            #expect(c.state == .ringing && c.phone == "+8613800138000")
            // a wrong signature, a missing one, and one five minutes and more old are refused as unauthorised
            await #expect(throws: DomainError.unauthorized("the signature does not match")) {
                _ = try await Self.post(s, settings, Self.body("ringing", call: "bad-1"), secret: WebhookSignature.newSecret())
            }
            await #expect(throws: DomainError.self) {
                _ = try await s.calls.receive(key: settings.hookKey, id: "m", timestamp: nil, signature: nil, body: Array(Self.body("ringing", call: "x").utf8))
            }
            await #expect(throws: DomainError.unauthorized("the timestamp is too old or from the future; check the sender's clock")) {
                _ = try await Self.post(s, settings, Self.body("ringing", call: "old-1"), at: Date().addingTimeInterval(-301))
            }
            // a body changed after signing is refused
            let m = Self.signed(Self.body("ringing", call: "tamper"), secret: settings.secret)
            await #expect(throws: DomainError.unauthorized("the signature does not match")) {
                _ = try await s.calls.receive(key: settings.hookKey, id: m.id, timestamp: m.timestamp, signature: m.signature,
                                              body: Array(Self.body("ringing", call: "tamper2").utf8))
            }
            // an unknown key is not found; nothing of the refused messages was kept
            await #expect(throws: DomainError.notFound("telephony webhook")) {
                _ = try await s.calls.receive(key: "gxt_nope", id: m.id, timestamp: m.timestamp, signature: m.signature, body: m.body)
            }
            #expect(try await s.calls.calls(owner).map(\.providerCallID) == ["good-1"])
        }
    }

    @Test(arguments: Backend.all) func aReplayedMessageIdIsRefusedAndAnotherWorkspacesSecretDoesNotSign(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let settings = try await s.calls.settings(owner)
            _ = try await Self.post(s, settings, Self.body("ringing", call: "r-1"), id: "msg_once")
            // the same message again (a replay, or the provider's retry of a message already taken) is a conflict
            await #expect(throws: DomainError.conflict("message msg_once was already received")) {
                _ = try await Self.post(s, settings, Self.body("answered", call: "r-1"), id: "msg_once")
            }
            // another workspace's secret does not sign for this one, and its key reaches only its own calls
            let other = try await s.access.createWorkspace(name: "别家", slug: "other-calls")
            let otherScope = Scope(workspaceID: other.id, userID: nil, role: .owner)
            let otherSettings = try await s.calls.settings(otherScope)
            await #expect(throws: DomainError.unauthorized("the signature does not match")) {
                _ = try await Self.post(s, settings, Self.body("ringing", call: "r-2"), secret: otherSettings.secret)
            }
            _ = try await Self.post(s, otherSettings, Self.body("ringing", call: "r-1"), id: "msg_once")
            #expect(try await s.calls.calls(otherScope).count == 1)
            #expect(try await s.calls.calls(owner).map(\.state) == [.ringing])
            // after a rotation the old secret still signs (for a day), the new one too
            let rotated = try await s.calls.rotateSecret(owner)
            #expect(rotated.secret != settings.secret && rotated.previousSecret == settings.secret)
            _ = try await Self.post(s, rotated, Self.body("answered", call: "r-1"), secret: settings.secret)
            _ = try await Self.post(s, rotated, Self.body("ended", call: "r-1"), secret: rotated.secret)
            #expect(try await s.calls.calls(owner).map(\.state) == [.ended])
        }
    }

    @Test(arguments: Backend.all) func theCallersNumberFindsTheCustomerWrittenAnyWay(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let settings = try await s.calls.settings(owner)
            var d = CustomerDraft(); d.kind = .person; d.name = "李雷 📞"; d.phones = ["138-0013-8000"]
            let customer = try await s.customers.create(owner, d)
            // +86 with spaces, 0086, and the bare mobile number all find the customer
            for (i, from) in ["+86 138 0013 8000", "0086 13800138000", "13800138000", "(+86) 138.0013.8000"].enumerated() {
                let c = try await Self.post(s, settings, Self.body("ringing", call: "m-\(i)", from: from))
                #expect(c.customerID == customer.id, "\(from)")
            }
            // another number, and a string that is no number, find nobody and are kept as given
            let stranger = try await Self.post(s, settings, Self.body("ringing", call: "m-x", from: "+86 139 0000 0000"))
            #expect(stranger.customerID == nil && stranger.phone == "+8613900000000")
            let anonymous = try await Self.post(s, settings, Self.body("ringing", call: "m-y", from: "anonymous'; DROP TABLE calls;--"))
            #expect(anonymous.customerID == nil && anonymous.phone == "anonymous'; DROP TABLE calls;--")
        }
    }

    @Test(arguments: Backend.all) func aMissedCallBecomesOneCallBackTaskHoweverOftenTheProviderSaysSo(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let agent = try await s.access.createUser(email: "agent@calls.example", password: "password-calls", name: "坐席", role: .salesRep,
                                                     workspaceID: owner.workspaceID)
            let settings = try await s.calls.settings(owner)
            _ = try await s.calls.updateSettings(owner, dialURL: nil, missedRule: .task, missedAssignee: .agent, slaMinutes: 30,
                                                 extensions: ["8001": "agent@calls.example"])
            let current = try await s.calls.settings(owner)
            var d = CustomerDraft(); d.kind = .person; d.name = "韩梅梅"; d.phones = ["+86 137 0000 1111"]
            let customer = try await s.customers.create(owner, d)
            // when the call rings for extension 8001 and is then reported missed three times (two retries of new message ids)
            _ = try await Self.post(s, current, Self.body("ringing", call: "miss-1", from: "13700001111", extra: #","agent_extension":"8001""#))
            let first = try await Self.post(s, current, Self.body("missed", call: "miss-1", from: "13700001111"))
            let again = try await Self.post(s, current, Self.body("missed", call: "miss-1", from: "13700001111"))
            _ = try await Self.post(s, current, Self.body("ended", call: "miss-1", from: "13700001111"))
            // then exactly one call-back task exists, the agent's, about the customer
            #expect(first.followUpKind == "task" && first.followUpID != nil && again.followUpID == first.followUpID)
            let tasks = try await s.tasks.list(owner, filter: TaskFilter(), cursor: nil, limit: 200).items
                .filter { $0.subjectID == customer.id }
            #expect(tasks.count == 1 && tasks.first?.ownerID == agent.id && tasks.first?.kind == .call)
            // and the customer's timeline shows the missed call once
            let entries = try await s.timeline.list(owner, customerID: customer.id, cursor: nil, limit: 50).items.filter { $0.kind == .call }
            #expect(entries.count == 1 && entries.first?.data?["step"] == "missed")
            // with the ticket rule a missed call of a known customer opens one ticket
            _ = try await s.calls.updateSettings(owner, dialURL: nil, missedRule: .ticket, missedAssignee: .agent, slaMinutes: 30, extensions: [:])
            let byTicket = try await Self.post(s, settings, Self.body("missed", call: "miss-2", from: "13700001111"))
            _ = try await Self.post(s, settings, Self.body("missed", call: "miss-2", from: "13700001111"))
            #expect(byTicket.followUpKind == "ticket")
            let tickets = try await s.tickets.list(owner, customerID: customer.id).items
            #expect(tickets.count == 1)
        }
    }

    @Test(arguments: Backend.all) func anAnsweredCallIsOnTheTimelineWithItsDurationAndRecording(_ backend: Backend) async throws {
        try await backend.with { db, owner in
            let s = stores(db)
            let settings = try await s.calls.settings(owner)
            var d = CustomerDraft(); d.kind = .person; d.name = "张三"; d.phones = ["13600000000"]
            let customer = try await s.customers.create(owner, d)
            let t = Date()
            func at(_ x: Double) -> String { #","at":"\#(Timestamp.iso8601(t.addingTimeInterval(x)))""# }
            _ = try await Self.post(s, settings, Self.body("ringing", call: "tl-1", from: "13600000000", extra: at(0)))
            _ = try await Self.post(s, settings, Self.body("answered", call: "tl-1", from: "13600000000", extra: at(4)))
            let ended = try await Self.post(s, settings, Self.body("ended", call: "tl-1", from: "13600000000", extra: at(129)))
            let rec = try await Self.post(s, settings, Self.body("recording_available", call: "tl-1", from: "13600000000",
                                                                 extra: #","recording_url":"https://pbx.example.cn/rec/tl-1.wav""#))
            #expect(ended.durationSeconds == 125 && rec.recordingURL == "https://pbx.example.cn/rec/tl-1.wav")
            let entries = try await s.timeline.list(owner, customerID: customer.id, cursor: nil, limit: 50).items.filter { $0.kind == .call }
            #expect(Set(entries.compactMap { $0.data?["step"]?.stringValue }) == ["ended", "recording"])
            #expect(entries.contains { $0.data?["duration_seconds"] == .number(125) })
            // an event that cannot follow is a conflict, and the audit log has the call
            await #expect(throws: DomainError.self) { _ = try await Self.post(s, settings, Self.body("ringing", call: "tl-1", from: "13600000000")) }
            #expect(try await s.audit.list(owner, object: "calls", objectID: ended.id).items.count >= 3)
            // the figures count it answered
            let stats = try await s.calls.stats(owner, from: t.addingTimeInterval(-60), to: t.addingTimeInterval(600))
            #expect(stats.answered == 1 && stats.answeredRate == 1 && stats.averageHandlingSeconds == 125)
        }
    }
}
