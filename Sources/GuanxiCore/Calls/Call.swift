import Foundation

/// What a telephone system reports about a call (the telephony webhook's `event`).
package enum CallEvent: String, Codable, Sendable, CaseIterable {
    case ringing, answered, ended, missed
    case recordingAvailable = "recording_available"
}

/// Where a call stands. A call that ends without being answered is missed.
package enum CallState: String, Codable, Sendable, CaseIterable {
    case ringing, answered, ended, missed
    package var isOver: Bool { self == .ended || self == .missed }
}

package enum CallDirection: String, Codable, Sendable, CaseIterable { case inbound, outbound }

/// What a missed call becomes (a workspace setting), and whose it is.
package enum MissedCallRule: String, Codable, Sendable, CaseIterable { case task, ticket, nothing }
package enum MissedCallAssignee: String, Codable, Sendable, CaseIterable {
    /// The owner of the customer the number belongs to (the agent when the number is unknown).
    case owner
    /// The agent the call rang for (the customer's owner when none was named).
    case agent
}

/// One call as Guanxi keeps it.
package struct Call: Codable, Sendable, Equatable {
    package var id: String
    /// The telephone system's id for the call (Asterisk's `UNIQUEID`, a provider's call SID).
    package var providerCallID: String
    package var direction: CallDirection
    package var from: String
    package var to: String
    /// The customer's side of the call, normalised as customer phones are (E.164) when it is a phone number.
    package var phone: String
    package var customerID: String?
    package var agentUserID: String?
    package var state: CallState
    package var startedAt: Date
    package var answeredAt: Date?
    package var endedAt: Date?
    package var recordingURL: String?
    /// What the missed call became (`task`, `ticket`), and its id once made.
    package var followUpKind: String?
    package var followUpID: String?
    package var version: Int

    package init(id: String, providerCallID: String, direction: CallDirection, from: String, to: String, phone: String, customerID: String?,
                 agentUserID: String?, state: CallState, startedAt: Date, answeredAt: Date?, endedAt: Date?, recordingURL: String?,
                 followUpKind: String?, followUpID: String?, version: Int) {
        self.id = id; self.providerCallID = providerCallID; self.direction = direction; self.from = from; self.to = to; self.phone = phone
        self.customerID = customerID; self.agentUserID = agentUserID; self.state = state; self.startedAt = startedAt
        self.answeredAt = answeredAt; self.endedAt = endedAt; self.recordingURL = recordingURL
        self.followUpKind = followUpKind; self.followUpID = followUpID; self.version = version
    }

    /// Seconds from answer to end (nil while unanswered or still going).
    package var durationSeconds: Int? {
        guard let a = answeredAt, let e = endedAt else { return nil }
        return max(0, Int(e.timeIntervalSince(a).rounded()))
    }
}

/// One telephony webhook message, checked.
package struct TelephonyEvent: Sendable, Equatable {
    package var event: CallEvent
    package var callID: String
    package var direction: CallDirection
    package var from: String
    package var to: String
    package var agentExtension: String?
    package var agentEmail: String?
    package var at: Date
    package var recordingURL: String?

    package init(event: CallEvent, callID: String, direction: CallDirection = .inbound, from: String, to: String,
                 agentExtension: String? = nil, agentEmail: String? = nil, at: Date, recordingURL: String? = nil) {
        self.event = event; self.callID = callID; self.direction = direction; self.from = from; self.to = to
        self.agentExtension = agentExtension; self.agentEmail = agentEmail; self.at = at; self.recordingURL = recordingURL
    }

    /// The number that is the customer's: the caller of an inbound call, the called of an outbound one.
    package var customerNumber: String { direction == .inbound ? from : to }

    /// Reads the webhook's JSON body; `now` stands in for a missing `at`. Field errors name the field.
    package static func parse(_ body: JSONValue, now: Date) throws -> TelephonyEvent {
        guard case .object(let o) = body else { throw DomainError.badRequest("the body must be a JSON object") }
        var e = FieldErrors()
        func text(_ k: String, max: Int, required: Bool) -> String? {
            switch o[k] {
            case nil, .null?:
                if required { e.add(k, "is required") }
                return nil
            case .string(let s)?:
                let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
                if t.isEmpty { if required { e.add(k, "is required") }; return nil }
                if t.count > max { e.add(k, "is longer than \(max) characters"); return nil }
                if t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { e.add(k, "must not contain control characters"); return nil }
                return t
            default:
                e.add(k, "must be a string"); return nil
            }
        }
        let event = text("event", max: 40, required: true)
        let kind = event.flatMap(CallEvent.init(rawValue:))
        if event != nil, kind == nil { e.add("event", "must be one of \(CallEvent.allCases.map(\.rawValue).joined(separator: ", "))") }
        let callID = text("call_id", max: 200, required: true)
        let dirText = text("direction", max: 20, required: false)
        let direction = dirText.map { CallDirection(rawValue: $0) } ?? .inbound
        if direction == nil { e.add("direction", "must be inbound or outbound") }
        let from = text("from", max: 64, required: kind != .recordingAvailable)
        let to = text("to", max: 64, required: false)
        let ext = text("agent_extension", max: 32, required: false)
        let email = text("agent_email", max: 254, required: false)
        var at = now
        if let s = text("at", max: 40, required: false) {
            if let d = Timestamp.parse(s) { at = d } else { e.add("at", "must be a date-time such as 2026-12-07T09:30:00Z") }
        }
        let url = text("recording_url", max: 2000, required: kind == .recordingAvailable)
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) { e.add("recording_url", "must be an http or https address") }
        try e.throwIfAny()
        return TelephonyEvent(event: kind!, callID: callID!, direction: direction!, from: from ?? "", to: to ?? "",
                              agentExtension: ext, agentEmail: email?.lowercased(), at: at, recordingURL: url)
    }
}

/// The rules of a call's life, as pure functions: what an event does to a call, and what a missed
/// call becomes. The store reads the call, asks here, and writes what comes back.
package enum CallRules {
    /// What happened when an event was applied.
    package enum Change: Sendable, Equatable {
        /// The call was new, or moved to another state.
        case moved(from: CallState?, to: CallState)
        /// A recording's address was added.
        case recording
        /// The event repeats what is already known (a provider's retry): nothing changes.
        case repeated
    }

    /// The state an event leads to from `state` (nil: a call not seen before); nil when the event
    /// cannot follow (a call that ended does not ring again).
    package static func next(_ state: CallState?, _ event: CallEvent) -> CallState? {
        switch (state, event) {
        case (_, .recordingAvailable): return state
        case (nil, .ringing): return .ringing
        case (nil, .answered), (.ringing?, .answered): return .answered
        case (nil, .missed), (.ringing?, .missed), (.ringing?, .ended): return .missed
        case (nil, .ended): return .missed
        case (.answered?, .ended): return .ended
        case (.ringing?, .ringing), (.answered?, .answered), (.ended?, .ended), (.missed?, .missed), (.missed?, .ended): return state
        default: return nil
        }
    }

    /// Applies `e` to `call` (nil: the first event of the call); throws a conflict for an event that
    /// cannot follow, and for a recording of a call never seen.
    package static func apply(_ e: TelephonyEvent, to call: Call?, id: String, phone: String) throws -> (Call, Change) {
        guard let to = next(call?.state, e.event) else {
            throw DomainError.conflict("the call \(e.callID) is \(call?.state.rawValue ?? "unknown") and cannot become \(e.event.rawValue)")
        }
        if e.event == .recordingAvailable {
            guard var c = call else { throw DomainError.conflict("no call \(e.callID) is known to add a recording to") }
            guard c.recordingURL != e.recordingURL else { return (c, .repeated) }
            c.recordingURL = e.recordingURL
            return (c, .recording)
        }
        var c = call ?? Call(id: id, providerCallID: e.callID, direction: e.direction, from: e.from, to: e.to, phone: phone, customerID: nil,
                             agentUserID: nil, state: to, startedAt: e.at, answeredAt: nil, endedAt: nil, recordingURL: nil,
                             followUpKind: nil, followUpID: nil, version: 0)
        if let call, call.state == to { return (call, .repeated) }
        c.state = to
        if to == .answered { c.answeredAt = e.at }
        if to.isOver { c.endedAt = e.at }
        if let url = e.recordingURL { c.recordingURL = url }
        return (c, .moved(from: call?.state, to: to))
    }

    /// What a call that just became missed turns into under the workspace's rule; nil for nothing.
    /// Only an inbound call that moved into `missed` makes one, so a repeated event never makes two.
    package static func followUp(_ call: Call, change: Change, rule: MissedCallRule) -> MissedCallRule? {
        guard case .moved(_, .missed) = change, call.direction == .inbound, call.followUpKind == nil, rule != .nothing else { return nil }
        // a ticket belongs to a customer: an unknown number becomes a call-back task
        if rule == .ticket, call.customerID == nil { return .task }
        return rule
    }

    /// Who a missed call's follow-up goes to: by the rule's choice, falling back to the other.
    package static func assignee(_ by: MissedCallAssignee, customerOwner: String?, agent: String?) -> String? {
        by == .owner ? (customerOwner ?? agent) : (agent ?? customerOwner)
    }
}

/// A workspace's telephony settings: the webhook's address key and signing secret (with the one
/// before a rotation, still valid for a day), where click-to-call dials, what a missed call
/// becomes and whose it is, and the call-back window the reports measure against.
package struct TelephonySettings: Codable, Sendable, Equatable {
    package var hookKey: String
    package var secret: String
    package var previousSecret: String?
    package var previousSecretUntil: Date?
    package var dialURL: String?
    /// Where text messages are sent (portal sign-in codes): the provider's, or a small adapter in
    /// front of it, signed like the dial requests (nil: no text messages).
    package var smsURL: String?
    package var missedRule: MissedCallRule
    package var missedAssignee: MissedCallAssignee
    package var callbackSLAMinutes: Int
    /// Agents' extensions (extension → user id).
    package var extensions: [String: String]

    package static let slaRange = 1...10_080

    package init(hookKey: String, secret: String, previousSecret: String?, previousSecretUntil: Date?, dialURL: String?,
                 missedRule: MissedCallRule, missedAssignee: MissedCallAssignee, callbackSLAMinutes: Int, extensions: [String: String], smsURL: String? = nil) {
        self.hookKey = hookKey; self.secret = secret; self.previousSecret = previousSecret; self.previousSecretUntil = previousSecretUntil
        self.dialURL = dialURL; self.smsURL = smsURL; self.missedRule = missedRule; self.missedAssignee = missedAssignee
        self.callbackSLAMinutes = callbackSLAMinutes; self.extensions = extensions
    }

    /// The secrets a message may be signed with at `now`, newest first.
    package func validSecrets(at now: Date) -> [String] {
        var s = [secret]
        if let p = previousSecret, let until = previousSecretUntil, until > now { s.append(p) }
        return s
    }

    /// Checks a change of the settings' editable part; field errors name the form's fields.
    package static func check(dialURL: String?, smsURL: String? = nil, slaMinutes: Int?, extensions: [String: String]) throws {
        var e = FieldErrors()
        for (field, value) in [("dial_url", dialURL), ("sms_url", smsURL)] {
            guard let u = value, !u.isEmpty else { continue }
            if u.count > 2000 || !(u.hasPrefix("https://") || u.hasPrefix("http://")) || URLComponents(string: u)?.host?.isEmpty != false {
                e.add(field, "must be an http or https address")
            }
        }
        if let m = slaMinutes, !slaRange.contains(m) { e.add("callback_sla_minutes", "must be between 1 and 10080 minutes") }
        for ext in extensions.keys where ext.isEmpty || ext.count > 32 || !ext.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter || $0 == "*" || $0 == "#") }) {
            e.add("extensions", "\(ext) is not an extension (letters, digits, * and #, up to 32)")
        }
        try e.throwIfAny()
    }
}
