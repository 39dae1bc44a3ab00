import Foundation
import Testing
import GuanxiCore

@Suite("Events: reading the clients' bodies, clock skew, and the identity link decision")
struct EventIntakeTests {
    let now = Date(timeIntervalSince1970: 1_796_000_000)
    func parse(_ s: String) throws -> JSONValue { try JSONParser.parse(s) }

    @Test func aClientsClockIsCorrectedBySentAt() throws {
        // the client's clock is an hour fast: its timestamp moves back by the hour
        let b = try EventIntake.segment(parse(#"{"batch":[{"type":"track","event":"x","userId":7,"timestamp":"2026-12-01T10:00:00+00:00"}],"sentAt":"2026-12-01T11:00:00Z"}"#),
                                        type: nil, receivedAt: Timestamp.parse("2026-12-01T10:00:05Z")!, newID: { "gen" })
        #expect(b.messages[0].timestamp == Timestamp.parse("2026-12-01T09:00:05Z"))
        #expect(b.messages[0].userID == "7" && b.messages[0].messageID == "gen")
        // no sentAt: as sent; no timestamp: when received
        #expect(EventIntake.corrected(now, sentAt: nil, receivedAt: now.addingTimeInterval(9)) == now)
        let single = try EventIntake.segment(parse(#"{"event":"x","anonymousId":"a"}"#), type: .track, receivedAt: now, newID: { "g" })
        #expect(single.messages[0].timestamp == now)
    }

    @Test func refusalsNameTheEventAndTheRule() throws {
        func refusal(_ s: String, _ t: EventType? = nil) -> String? {
            do { _ = try EventIntake.segment(parse(s), type: t, receivedAt: now, newID: { "g" }); return nil } catch let r as EventIntake.Refusal { return r.reason } catch { return "\(error)" }
        }
        #expect(refusal(#"{"batch":[{"type":"track","anonymousId":"a"}]}"#) == "batch[0].event is required")
        #expect(refusal(#"{"batch":[{"type":"fly","anonymousId":"a"}]}"#) == "batch[0].type 'fly' is not a known type")
        #expect(refusal(#"{"traits":{}}"#, .identify) == "userId or anonymousId is required")
        #expect(refusal(#"[]"#, .track) == "the body is not a JSON object")
        #expect(refusal(#"{"anonymousId":null,"userId":"u"}"#, .identify) == nil, "a null anonymous id is allowed")
    }

    @Test func posthogEventsMapOntoTheSameKinds() throws {
        let b = try EventIntake.posthog(parse(#"""
            {"api_key":"k","batch":[
              {"event":"$pageview","distinct_id":"anon","properties":{"$current_url":"https://x.cn/a"},"uuid":"u1"},
              {"event":"$create_alias","distinct_id":"anon","properties":{"alias":"user-1"}},
              {"event":"$set","distinct_id":"user-1","$set":{"email":"a@b.cn"}},
              {"event":"Bought","distinct_id":"user-1","properties":{"金额":12}}]}
            """#), receivedAt: now, newID: { "g" })
        #expect(b.writeKey == "k")
        #expect(b.messages.map(\.type) == [.page, .alias, .identify, .track])
        #expect(b.messages[0].messageID == "u1" && b.messages[0].event == "https://x.cn/a")
        #expect(b.messages[1].userID == "user-1" && b.messages[1].anonymousID == "anon")
        #expect(b.messages[2].traits?["email"] == .string("a@b.cn") && b.messages[2].userID == "user-1")
    }

    @Test func junkIdsAreNeverUsable() {
        for junk in ["anonymous", "null", "NULL", "0", "undefined", "NaN", "\"null\"", "'undefined'", "", "   ", "\" null \""] {
            #expect(!IdentityLink.usable(junk), "\(junk)")
        }
        #expect(IdentityLink.usable("user-42") && IdentityLink.usable("王芳") && !IdentityLink.usable(nil))
    }

    @Test func theLinkDecision() {
        typealias F = IdentityLink.Facts
        // email finds the customer: both ids link
        #expect(IdentityLink.decide(userID: "u", anonymousID: "a", facts: F(emailCustomer: "c1"))
                == .init(customerID: "c1", link: ["u", "a"], reason: .email))
        // junk ids: nothing, whatever the traits found
        #expect(IdentityLink.decide(userID: "null", anonymousID: "undefined", facts: F(emailCustomer: "c1")).customerID == nil)
        #expect(IdentityLink.decide(userID: "null", anonymousID: "a", facts: F(emailCustomer: "c1")) == .init(customerID: "c1", link: ["a"], reason: .email))
        // a user id already linked wins; its device follows it; the other customer is a recorded conflict
        #expect(IdentityLink.decide(userID: "u", anonymousID: "a", facts: F(emailCustomer: "c2", userCustomer: "c1"))
                == .init(customerID: "c1", link: ["a"], reason: .conflict, otherCustomerID: "c2"))
        // email and phone of two customers: nothing linked
        #expect(IdentityLink.decide(userID: nil, anonymousID: "a", facts: F(emailCustomer: "c1", phoneCustomer: "c2"))
                == .init(customerID: "c1", link: [], reason: .conflict, otherCustomerID: "c2"))
        // the device is someone else's already: it stays theirs
        #expect(IdentityLink.decide(userID: nil, anonymousID: "a", facts: F(emailCustomer: "c1", anonymousCustomer: "c2")).link == [])
        // nothing known: nothing
        #expect(IdentityLink.decide(userID: "u", anonymousID: "a", facts: F()).reason == .noMatch)
        // a known device and a new user id: the user id follows
        #expect(IdentityLink.decide(userID: "u", anonymousID: "a", facts: F(anonymousCustomer: "c1")) == .init(customerID: "c1", link: ["u"], reason: .userID))
        // already linked both: nothing new
        #expect(IdentityLink.decide(userID: "u", anonymousID: "a", facts: F(userCustomer: "c1", anonymousCustomer: "c1")).link == [])
    }
}
