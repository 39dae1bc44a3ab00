import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// A call as the API answers it.
struct CallJSON: Encodable, Sendable {
    var id: String, provider_call_id: String, direction: String, from: String, to: String, phone: String
    var customer_id: String?, agent_user_id: String?, state: String, started_at: String, answered_at: String?, ended_at: String?
    var duration_seconds: Int?, recording_url: String?, follow_up_kind: String?, follow_up_id: String?
    init(_ c: Call) {
        id = c.id; provider_call_id = c.providerCallID; direction = c.direction.rawValue; from = c.from; to = c.to; phone = c.phone
        customer_id = c.customerID; agent_user_id = c.agentUserID; state = c.state.rawValue; started_at = Timestamp.iso8601(c.startedAt)
        answered_at = c.answeredAt.map(Timestamp.iso8601); ended_at = c.endedAt.map(Timestamp.iso8601); duration_seconds = c.durationSeconds
        recording_url = c.recordingURL; follow_up_kind = c.followUpKind; follow_up_id = c.followUpID
    }
    // absent optionals are written as null (the document says every field is there)
    enum CodingKeys: String, CodingKey {
        case id, provider_call_id, direction, from, to, phone, customer_id, agent_user_id, state, started_at, answered_at, ended_at
        case duration_seconds, recording_url, follow_up_kind, follow_up_id
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(provider_call_id, forKey: .provider_call_id); try c.encode(direction, forKey: .direction)
        try c.encode(from, forKey: .from); try c.encode(to, forKey: .to); try c.encode(phone, forKey: .phone)
        try c.encode(customer_id, forKey: .customer_id); try c.encode(agent_user_id, forKey: .agent_user_id); try c.encode(state, forKey: .state)
        try c.encode(started_at, forKey: .started_at); try c.encode(answered_at, forKey: .answered_at); try c.encode(ended_at, forKey: .ended_at)
        try c.encode(duration_seconds, forKey: .duration_seconds); try c.encode(recording_url, forKey: .recording_url)
        try c.encode(follow_up_kind, forKey: .follow_up_kind); try c.encode(follow_up_id, forKey: .follow_up_id)
    }
}

/// The telephony webhook (the telephone system tells Guanxi about calls) and the call log.
struct CallsAPI {
    let calls: CallStore

    func register(_ t: RouteTable) {
        let tag = "Call centre"
        t.onPublic(APIRoute(method: .post, path: "/hooks/telephony/{key}", operationID: "receiveTelephonyEvent",
                            summary: "A telephone system reports a call event (Standard Webhooks signature: webhook-id, webhook-timestamp, webhook-signature v1,base64 HMAC-SHA256 of \"id.timestamp.body\" with the workspace's telephony secret; a message id is taken once)",
                            tag: tag, needs: .anyone, requestSchema: "TelephonyEvent", responseSchema: "Call")) { req, ctx in
            let body = try await APIBody.bytes(req)
            func h(_ n: String) -> String? { req.headers[HTTPField.Name(n)!] }
            let c = try await calls.receive(key: try ctx.parameters.require("key"), id: h("webhook-id"), timestamp: h("webhook-timestamp"),
                                            signature: h("webhook-signature"), body: Array(body))
            return .json(CallJSON(c))
        }
        t.on(APIRoute(method: .post, path: "/calls/dial", operationID: "dialNumber",
                      summary: "Click-to-call: asks the telephone system to connect the caller's extension with a number (the workspace's dial address, signed as webhooks are); 502 when it refused or did not answer",
                      tag: tag, needs: .can(.read, .customers), requestSchema: "DialRequest", responseSchema: "DialResult", alsoStatus: [502])) { req, _, scope in
            struct Input: Decodable { var number: String; var customer_id: String? }
            let input = try await APIBody.json(Input.self, req)
            if let c = input.customer_id, !ID.isValid(c) { throw DomainError.field("customer_id", "is not an id") }
            let o = try await Dialer(calls: calls).dial(scope, number: input.number, customerID: input.customer_id)
            return .json(o, status: o.accepted ? .ok : .badGateway)
        }
        t.on(APIRoute(method: .get, path: "/calls", operationID: "listCalls", summary: "Calls, newest first (of one customer with customer_id)",
                      tag: tag, needs: .can(.read, .customers), query: ["customer_id"], responseSchema: "CallList",
                      queryValues: ["customer_id": .id])) { req, _, scope in
            let customer = req.query("customer_id")
            if let customer, !ID.isValid(customer) { throw DomainError.field("customer_id", "is not an id") }
            return .json(Items(items: try await calls.calls(scope, customerID: customer).map(CallJSON.init)))
        }
    }
}

extension OpenAPIDocument {
    static func callSchemas() -> [String: Any] {
        let str: [String: Any] = ["type": "string"]
        let nstr: [String: Any] = ["type": ["string", "null"]]
        var s: [String: Any] = [:]
        s["TelephonyEvent"] = obj([
            "event": enumOf(CallEvent.allCases.map(\.rawValue)), "call_id": ["type": "string", "minLength": 1, "maxLength": 200],
            "direction": ["type": ["string", "null"], "enum": (CallDirection.allCases.map(\.rawValue) as [Any]) + [NSNull()]],
            "from": ["type": ["string", "null"], "maxLength": 64], "to": ["type": ["string", "null"], "maxLength": 64],
            "agent_extension": ["type": ["string", "null"], "maxLength": 32], "agent_email": ["type": ["string", "null"], "maxLength": 254],
            "at": ["type": ["string", "null"], "format": "date-time"], "recording_url": ["type": ["string", "null"], "maxLength": 2000],
        ], required: ["event", "call_id"])
        s["Call"] = obj([
            "id": str, "provider_call_id": str, "direction": enumOf(CallDirection.allCases.map(\.rawValue)), "from": str, "to": str, "phone": str,
            "customer_id": nstr, "agent_user_id": nstr, "state": enumOf(CallState.allCases.map(\.rawValue)),
            "started_at": ["type": "string", "format": "date-time"], "answered_at": nstr, "ended_at": nstr,
            "duration_seconds": ["type": ["integer", "null"]], "recording_url": nstr, "follow_up_kind": nstr, "follow_up_id": nstr,
        ], required: ["id", "provider_call_id", "direction", "from", "to", "phone", "customer_id", "agent_user_id", "state", "started_at",
                      "answered_at", "ended_at", "duration_seconds", "recording_url", "follow_up_kind", "follow_up_id"])
        s["DialRequest"] = obj(["number": ["type": "string", "maxLength": 42, "pattern": CallStore.dialablePattern], "customer_id": nstr], required: ["number"])
        s["DialResult"] = obj(["request_id": str, "number": str, "accepted": ["type": "boolean"], "provider_status": ["type": ["integer", "null"]],
                               "error": nstr], required: ["request_id", "number", "accepted", "provider_status", "error"])
        s["CallList"] = obj(["items": arr(["$ref": "#/components/schemas/Call"])], required: ["items"])
        return s
    }
}

/// How the authorisation matrix calls the call centre: the webhook needs no one (its signature
/// decides), the call log and dialling what reading customers takes.
enum CallsMatrix {
    static let samples: [String: MatrixSample] = [
        "receiveTelephonyEvent": MatrixSample("/api/v1/hooks/telephony/{telephonyKey}", body: "{telephonyBody}",
                                              headers: ["webhook-id": "{telephonyID}", "webhook-timestamp": "{telephonyTime}", "webhook-signature": "{telephonySignature}"]),
        "listCalls": MatrixSample("/api/v1/calls"),
        // no dial address is set in the matrix's workspace: those allowed get its 409, and nothing is sent
        "dialNumber": MatrixSample("/api/v1/calls/dial", body: #"{"number":"138 0013 8000"}"#, allowed: 409),
    ]

    static let fixture: MatrixFixture = { s in
        guard s.wants("telephonyKey") else { return [:] }
        let settings = try await s.services.calls.settings(s.admin)
        let body = #"{"event":"ringing","call_id":"matrix-\#(s.n)-\#(UUID().uuidString)","from":"+86 138 0013 8000","to":"4008001234"}"#
        let id = "msg_" + UUID().uuidString, t = Int64(Date().timeIntervalSince1970)
        let sig = WebhookSignature.header(WebhookDispatcher.signatures(id: id, timestamp: t, body: Array(body.utf8), secrets: [settings.secret]))
        return ["telephonyKey": settings.hookKey, "telephonyBody": body, "telephonyID": id, "telephonyTime": String(t), "telephonySignature": sig]
    }
}
