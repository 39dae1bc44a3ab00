import Foundation
import Crypto
import SQLKit
import GuanxiCore

/// A call the screen pop tells an agent's browser about (one row of the feed every server reads).
package struct CallPop: Sendable, Equatable {
    package var seq: Int64
    package var workspaceID: String
    package var callID: String
    package var event: String
    /// The agent the call rings for (nil: any agent of the workspace).
    package var agentUserID: String?
    package var customerID: String?
    package var phone: String
}

/// The call centre: the telephony webhook (signed as Guanxi signs its own webhooks, each message
/// taken once), calls matched to customers by their normalised number, the screen-pop feed,
/// missed calls turned into call-back tasks or tickets, click-to-call's signed request, and the
/// figures for the service reports.
package struct CallStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    let tasks: TaskStore
    package init(db: Database, clock: any GuanxiCore.Clock, tasks: TaskStore) { self.db = db; self.clock = clock; self.tasks = tasks }

    /// How far a message's timestamp may be from the server's clock.
    package static let tolerance: TimeInterval = 300
    /// How long message ids are kept to refuse replays (longer than the tolerance, so a replay is
    /// refused by id or by age).
    static let receiptsKept: TimeInterval = 24 * 3600
    /// How long the screen-pop feed keeps a row (servers read it within moments).
    static let popsKept: TimeInterval = 600
    /// How long the secret before a rotation stays valid.
    static let rotationGrace: TimeInterval = 24 * 3600
    /// The bell rung when a pop is written; every server's screen-pop hub waits on it.
    package static let bell = "calls"

    // MARK: Settings

    static func defaults(_ workspaceID: String) -> TelephonySettings {
        TelephonySettings(hookKey: Secret.token(prefix: "gxt_"), secret: WebhookSignature.newSecret(), previousSecret: nil, previousSecretUntil: nil,
                          dialURL: nil, missedRule: .task, missedAssignee: .owner, callbackSLAMinutes: 60, extensions: [:])
    }

    static func decodeSettings(_ r: any SQLRow, extensions: [String: String]) throws -> TelephonySettings {
        TelephonySettings(hookKey: try r.decode(column: "hook_key", as: String.self), secret: try r.decode(column: "secret", as: String.self),
                          previousSecret: try r.decode(column: "previous_secret", as: String?.self),
                          previousSecretUntil: try r.decode(column: "previous_secret_until", as: Int64?.self).map(Date.init(millis:)),
                          dialURL: try r.decode(column: "dial_url", as: String?.self),
                          missedRule: MissedCallRule(rawValue: try r.decode(column: "missed_rule", as: String.self)) ?? .task,
                          missedAssignee: MissedCallAssignee(rawValue: try r.decode(column: "missed_assignee", as: String.self)) ?? .owner,
                          callbackSLAMinutes: try r.decode(column: "callback_sla_minutes", as: Int.self), extensions: extensions,
                          smsURL: try r.decode(column: "sms_url", as: String?.self))
    }

    static func loadSettings(_ workspaceID: String, sql: any SQLDatabase) async throws -> TelephonySettings? {
        guard let r = try await sql.raw("SELECT * FROM telephony_settings WHERE workspace_id = \(bind: workspaceID)").first() else { return nil }
        var ext: [String: String] = [:]
        for a in try await sql.raw("SELECT extension, user_id FROM call_agents WHERE workspace_id = \(bind: workspaceID)").all() {
            ext[try a.decode(column: "extension", as: String.self)] = try a.decode(column: "user_id", as: String.self)
        }
        return try decodeSettings(r, extensions: ext)
    }

    /// The settings, made with a fresh key and secret the first time anyone asks.
    static func ensureSettings(_ workspaceID: String, now: Date, sql: any SQLDatabase) async throws -> TelephonySettings {
        if let s = try await loadSettings(workspaceID, sql: sql) { return s }
        let s = defaults(workspaceID)
        try await sql.raw("""
            INSERT INTO telephony_settings (workspace_id, hook_key, secret, missed_rule, missed_assignee, callback_sla_minutes, updated_at)
            VALUES (\(bind: workspaceID), \(bind: s.hookKey), \(bind: s.secret), \(bind: s.missedRule.rawValue), \(bind: s.missedAssignee.rawValue),
              \(bind: s.callbackSLAMinutes), \(bind: now.millis))
            """).run()
        return s
    }

    /// The workspace's telephony settings (those who may read settings).
    package func settings(_ scope: Scope) async throws -> TelephonySettings {
        try scope.require(.settings, .read)
        if let s = try await db.read({ sql in try await Self.loadSettings(scope.workspaceID, sql: sql) }) { return s }
        return try await db.write(scope, at: clock.now()) { tx in try await Self.ensureSettings(scope.workspaceID, now: tx.now, sql: tx.sql) }
    }

    /// Changes the editable settings; `extensions` maps an extension to a member's email.
    package func updateSettings(_ scope: Scope, dialURL: String?, smsURL: String? = nil, missedRule: MissedCallRule, missedAssignee: MissedCallAssignee,
                                slaMinutes: Int, extensions: [String: String]) async throws -> TelephonySettings {
        try scope.require(.settings, .update)
        try TelephonySettings.check(dialURL: dialURL, smsURL: smsURL, slaMinutes: slaMinutes, extensions: extensions)
        return try await db.write(scope, at: clock.now()) { tx in
            _ = try await Self.ensureSettings(scope.workspaceID, now: tx.now, sql: tx.sql)
            var users: [String: String] = [:]
            for (ext, email) in extensions {
                guard let id = try await Self.member(email: email.lowercased(), scope.workspaceID, sql: tx.sql) else {
                    throw DomainError.field("extensions", "\(email) is not an active user of this workspace")
                }
                if users.values.contains(id) { throw DomainError.field("extensions", "\(email) has two extensions") }
                users[ext] = id
            }
            let url = (dialURL ?? "").isEmpty ? nil : dialURL, sms = (smsURL ?? "").isEmpty ? nil : smsURL
            try await tx.sql.raw("""
                UPDATE telephony_settings SET dial_url = \(bind: url), sms_url = \(bind: sms), missed_rule = \(bind: missedRule.rawValue),
                  missed_assignee = \(bind: missedAssignee.rawValue), callback_sla_minutes = \(bind: slaMinutes), updated_at = \(bind: tx.now.millis)
                WHERE workspace_id = \(bind: scope.workspaceID)
                """).run()
            try await tx.sql.raw("DELETE FROM call_agents WHERE workspace_id = \(bind: scope.workspaceID)").run()
            for (ext, id) in users {
                try await tx.sql.raw("INSERT INTO call_agents (workspace_id, user_id, extension) VALUES (\(bind: scope.workspaceID), \(bind: id), \(bind: ext))").run()
            }
            try await tx.audit("update", "telephony_settings", scope.workspaceID,
                               detail: .object(["dial_url": url.map(JSONValue.string) ?? .null, "sms_url": sms.map(JSONValue.string) ?? .null, "missed_rule": .string(missedRule.rawValue),
                                                "missed_assignee": .string(missedAssignee.rawValue), "callback_sla_minutes": .number(Double(slaMinutes))]))
            return try await Self.loadSettings(scope.workspaceID, sql: tx.sql)!
        }
    }

    /// A new signing secret; the one before stays valid for a day so the telephone system can be changed over.
    package func rotateSecret(_ scope: Scope) async throws -> TelephonySettings {
        try scope.require(.settings, .update)
        return try await db.write(scope, at: clock.now()) { tx in
            let old = try await Self.ensureSettings(scope.workspaceID, now: tx.now, sql: tx.sql)
            try await tx.sql.raw("""
                UPDATE telephony_settings SET secret = \(bind: WebhookSignature.newSecret()), previous_secret = \(bind: old.secret),
                  previous_secret_until = \(bind: tx.now.addingTimeInterval(Self.rotationGrace).millis), updated_at = \(bind: tx.now.millis)
                WHERE workspace_id = \(bind: scope.workspaceID)
                """).run()
            try await tx.audit("rotate", "telephony_settings", scope.workspaceID)
            return try await Self.loadSettings(scope.workspaceID, sql: tx.sql)!
        }
    }

    static func member(email: String, _ workspaceID: String, sql: any SQLDatabase) async throws -> String? {
        try await sql.raw("""
            SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id
            WHERE lower(u.email) = \(bind: email) AND m.workspace_id = \(bind: workspaceID) AND m.deactivated_at IS NULL AND u.is_active = 1
            """).first()?.decode(column: "id", as: String.self)
    }

    // MARK: The webhook

    /// Checks a webhook message's Standard Webhooks headers against the secrets valid at `now`:
    /// unsigned or wrongly signed → 401, a timestamp outside the tolerance → 401 (the sender's
    /// clock, or an old message replayed).
    package static func verify(id: String?, timestamp: String?, signature: String?, body: [UInt8], secrets: [String], now: Date) throws {
        guard let id, !id.isEmpty, id.count <= 200, let timestamp, let signature else {
            throw DomainError.unauthorized("the request is not signed (webhook-id, webhook-timestamp and webhook-signature are needed)")
        }
        guard let t = Int64(timestamp) else { throw DomainError.unauthorized("webhook-timestamp must be Unix seconds") }
        let expected = WebhookDispatcher.signatures(id: id, timestamp: t, body: body, secrets: secrets)
        let given = WebhookSignature.parse(header: signature)
        let matches = given.contains { g in expected.contains { Secret.equal(Data($0).base64EncodedString(), Data(g).base64EncodedString()) } }
        guard matches else { throw DomainError.unauthorized("the signature does not match") }
        guard abs(now.timeIntervalSince1970 - Double(t)) <= tolerance else {
            throw DomainError.unauthorized("the timestamp is too old or from the future; check the sender's clock")
        }
    }

    /// A telephony message: checks its signature against the workspace whose key it was sent to,
    /// refuses a message id seen before (409), applies the event to its call and answers the call.
    package func receive(key: String, id: String?, timestamp: String?, signature: String?, body: [UInt8]) async throws -> Call {
        let now = clock.now()
        guard key.count <= 100, let found = try await db.read({ sql -> (String, TelephonySettings)? in
            guard let r = try await sql.raw("SELECT workspace_id FROM telephony_settings WHERE hook_key = \(bind: key)").first() else { return nil }
            let w = try r.decode(column: "workspace_id", as: String.self)
            return try await Self.loadSettings(w, sql: sql).map { (w, $0) }
        }) else { throw DomainError.notFound("telephony webhook") }
        let (workspaceID, settings) = found
        try Self.verify(id: id, timestamp: timestamp, signature: signature, body: body, secrets: settings.validSecrets(at: now), now: now)
        let json: JSONValue
        do { json = try JSONParser.parse(String(decoding: body, as: UTF8.self)) } catch { throw DomainError.badRequest("the body is not JSON") }
        let event = try TelephonyEvent.parse(json, now: now)
        // the webhook acts for the workspace, as mail intake does: it may see every customer and open tickets
        let scope = Scope(workspaceID: workspaceID, userID: nil, role: .owner)
        let call = try await db.write(scope, at: now) { tx in
            try await Self.take(messageID: id!, workspaceID, now: now, sql: tx.sql)
            return try await Self.apply(event, settings: settings, tasks: tasks, tx: tx)
        }
        // after the commit, so that the screen-pop hubs (here and on the other servers) read the new pop
        await db.ring(Self.bell)
        return call
    }

    /// Records a message id; one seen before is a replay.
    static func take(messageID: String, _ workspaceID: String, now: Date, sql: any SQLDatabase) async throws {
        if try await sql.raw("SELECT 1 AS x FROM telephony_receipts WHERE workspace_id = \(bind: workspaceID) AND message_id = \(bind: messageID)").first() != nil {
            throw DomainError.conflict("message \(messageID) was already received")
        }
        try await sql.raw("INSERT INTO telephony_receipts (workspace_id, message_id, received_at) VALUES (\(bind: workspaceID), \(bind: messageID), \(bind: now.millis))").run()
        try await sql.raw("DELETE FROM telephony_receipts WHERE received_at < \(bind: now.addingTimeInterval(-receiptsKept).millis)").run()
    }

    /// The customer a number belongs to (and its owner), normalised as customer phones are.
    static func match(_ number: String, _ workspaceID: String, sql: any SQLDatabase) async throws -> (id: String, owner: String?)? {
        guard let e164 = IdentityNormalizer.phone(number) else { return nil }
        guard let r = try await sql.raw("""
            SELECT c.id, c.owner_id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
            WHERE i.workspace_id = \(bind: workspaceID) AND i.kind = 'phone' AND i.value = \(bind: e164) AND c.deleted_at IS NULL
            ORDER BY c.id LIMIT 1
            """).first() else { return nil }
        return (try r.decode(column: "id", as: String.self), try r.decode(column: "owner_id", as: String?.self))
    }

    static func apply(_ e: TelephonyEvent, settings: TelephonySettings, tasks: TaskStore, tx: Tx) async throws -> Call {
        let w = tx.scope.workspaceID, now = tx.now
        let old = try await tx.sql.raw("SELECT * FROM calls WHERE workspace_id = \(bind: w) AND provider_call_id = \(bind: e.callID)").first().map(decode)
        let phone = IdentityNormalizer.phone(e.customerNumber) ?? e.customerNumber
        var (call, change) = try CallRules.apply(e, to: old, id: ID.make(at: now), phone: phone)
        if change == .repeated { return call }
        var owner: String?
        if old == nil, let m = try await match(e.customerNumber, w, sql: tx.sql) { call.customerID = m.id; owner = m.owner }
        else if let c = call.customerID {
            owner = try await tx.sql.raw("SELECT owner_id FROM customers WHERE id = \(bind: c)").first()?.decode(column: "owner_id", as: String?.self)
        }
        if let ext = e.agentExtension, let u = settings.extensions[ext] { call.agentUserID = u }
        else if let email = e.agentEmail, let u = try await member(email: email, w, sql: tx.sql) { call.agentUserID = u }
        let follow = CallRules.followUp(call, change: change, rule: settings.missedRule)
        if let follow { call.followUpKind = follow.rawValue }
        call.version += 1
        if old == nil {
            try await tx.sql.raw("""
                INSERT INTO calls (id, workspace_id, provider_call_id, direction, from_number, to_number, phone, customer_id, agent_user_id, state,
                  started_at, answered_at, ended_at, recording_url, follow_up_kind, version, updated_at)
                VALUES (\(bind: call.id), \(bind: w), \(bind: call.providerCallID), \(bind: call.direction.rawValue), \(bind: call.from), \(bind: call.to),
                  \(bind: call.phone), \(bind: call.customerID), \(bind: call.agentUserID), \(bind: call.state.rawValue), \(bind: call.startedAt.millis),
                  \(bind: call.answeredAt?.millis), \(bind: call.endedAt?.millis), \(bind: call.recordingURL), \(bind: call.followUpKind),
                  \(bind: call.version), \(bind: now.millis))
                """).run()
        } else {
            try await tx.sql.raw("""
                UPDATE calls SET agent_user_id = \(bind: call.agentUserID), state = \(bind: call.state.rawValue), answered_at = \(bind: call.answeredAt?.millis),
                  ended_at = \(bind: call.endedAt?.millis), recording_url = \(bind: call.recordingURL), follow_up_kind = \(bind: call.followUpKind),
                  version = \(bind: call.version), updated_at = \(bind: now.millis)
                WHERE id = \(bind: call.id)
                """).run()
        }
        if let follow {
            call.followUpID = try await makeFollowUp(follow, call, assignee: CallRules.assignee(settings.missedAssignee, customerOwner: owner, agent: call.agentUserID),
                                                     tasks: tasks, tx: tx)
            try await tx.sql.raw("UPDATE calls SET follow_up_id = \(bind: call.followUpID) WHERE id = \(bind: call.id)").run()
        }
        // the customer's timeline: once when the call is over, once more when its recording arrives
        if let c = call.customerID, call.state.isOver, change != .moved(from: nil, to: .ringing) {
            if case .moved = change { try await tx.timeline(c, .call, data: entry(call, step: call.state.rawValue)) }
            if change == .recording { try await tx.timeline(c, .call, data: entry(call, step: "recording")) }
        }
        try await tx.audit(old == nil ? "create" : "update", "calls", call.id,
                           detail: .object(["event": .string(e.event.rawValue), "state": .string(call.state.rawValue), "provider_call_id": .string(call.providerCallID)]))
        // the screen pop: ringing offers the call, an answer or an end takes the offer back
        if case .moved = change {
            try await tx.sql.raw("""
                INSERT INTO call_pops (workspace_id, call_id, event, agent_user_id, customer_id, phone, at)
                VALUES (\(bind: w), \(bind: call.id), \(bind: call.state.rawValue), \(bind: call.agentUserID), \(bind: call.customerID), \(bind: call.phone), \(bind: now.millis))
                """).run()
            try await tx.sql.raw("DELETE FROM call_pops WHERE at < \(bind: now.addingTimeInterval(-popsKept).millis)").run()
        }
        return call
    }

    static func entry(_ c: Call, step: String) -> [String: JSONValue] {
        var d: [String: JSONValue] = ["step": .string(step), "call_id": .string(c.id), "direction": .string(c.direction.rawValue), "phone": .string(c.phone)]
        if let s = c.durationSeconds { d["duration_seconds"] = .number(Double(s)) }
        if let u = c.recordingURL { d["recording_url"] = .string(u) }
        return d
    }

    /// Makes a missed call's call-back task or ticket inside the call's transaction; answers its id
    /// (nil when nobody could be given it).
    static func makeFollowUp(_ kind: MissedCallRule, _ call: Call, assignee: String?, tasks: TaskStore, tx: Tx) async throws -> String? {
        switch kind {
        case .nothing: return nil
        case .task:
            guard let owner = assignee else { return nil }
            var d = TaskDraft()
            d.kind = .call
            d.title = "回电 Call back \(call.phone)"
            d.dueAt = tx.now.addingTimeInterval(3600)
            d.priority = .high
            d.ownerID = owner
            if let c = call.customerID { d.subjectKind = .some(.customer); d.subjectID = .some(c) }
            return try await tasks.insert(d, ownerChecked: true, tx: tx).id
        case .ticket:
            guard let c = call.customerID else { return nil }
            var d = TicketDraft()
            d.customerID = c
            d.subject = "未接来电 Missed call \(call.phone)"
            d.body = "未接来电 Missed call from \(call.from) at \(Timestamp.iso8601(call.startedAt))"
            d.channel = TicketChannel.phone.rawValue
            d.assigneeID = assignee
            d.requireCustom = false
            return try await TicketStore.open(d, try d.validated(), tx: tx).ticket.id
        }
    }

    static func decode(_ r: any SQLRow) throws -> Call {
        func d(_ c: String) throws -> Date? { try r.decode(column: c, as: Int64?.self).map(Date.init(millis:)) }
        return Call(id: try r.decode(column: "id", as: String.self), providerCallID: try r.decode(column: "provider_call_id", as: String.self),
                    direction: CallDirection(rawValue: try r.decode(column: "direction", as: String.self)) ?? .inbound,
                    from: try r.decode(column: "from_number", as: String.self), to: try r.decode(column: "to_number", as: String.self),
                    phone: try r.decode(column: "phone", as: String.self), customerID: try r.decode(column: "customer_id", as: String?.self),
                    agentUserID: try r.decode(column: "agent_user_id", as: String?.self),
                    state: CallState(rawValue: try r.decode(column: "state", as: String.self)) ?? .ended,
                    startedAt: try d("started_at")!, answeredAt: try d("answered_at"), endedAt: try d("ended_at"),
                    recordingURL: try r.decode(column: "recording_url", as: String?.self),
                    followUpKind: try r.decode(column: "follow_up_kind", as: String?.self), followUpID: try r.decode(column: "follow_up_id", as: String?.self),
                    version: try r.decode(column: "version", as: Int.self))
    }

    // MARK: Reading

    /// A call of the workspace (those who read customers).
    package func call(_ scope: Scope, id: String) async throws -> Call {
        try scope.require(.customers, .read)
        guard ID.isValid(id), let c = try await db.read({ sql in
            try await sql.raw("SELECT * FROM calls WHERE workspace_id = \(bind: scope.workspaceID) AND id = \(bind: id.lowercased())").first().map(Self.decode)
        }) else { throw DomainError.notFound("call") }
        return c
    }

    /// Calls of the workspace, newest first (of one customer when given).
    package func calls(_ scope: Scope, customerID: String? = nil, limit: Int = 50) async throws -> [Call] {
        try scope.require(.customers, .read)
        return try await db.read { sql in
            if let c = customerID {
                return try await sql.raw("""
                    SELECT * FROM calls WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: c.lowercased())
                    ORDER BY started_at DESC, id DESC LIMIT \(bind: limit)
                    """).all().map(Self.decode)
            }
            return try await sql.raw("""
                SELECT * FROM calls WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY started_at DESC, id DESC LIMIT \(bind: limit)
                """).all().map(Self.decode)
        }
    }

    /// The screen-pop feed after `seq`, oldest first (every workspace: the hub sorts them to its listeners).
    package func pops(after seq: Int64, limit: Int = 500) async throws -> [CallPop] {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM call_pops WHERE seq > \(bind: seq) ORDER BY seq LIMIT \(bind: limit)").all().map { r in
                CallPop(seq: try r.decode(column: "seq", as: Int64.self), workspaceID: try r.decode(column: "workspace_id", as: String.self),
                        callID: try r.decode(column: "call_id", as: String.self), event: try r.decode(column: "event", as: String.self),
                        agentUserID: try r.decode(column: "agent_user_id", as: String?.self),
                        customerID: try r.decode(column: "customer_id", as: String?.self), phone: try r.decode(column: "phone", as: String.self))
            }
        }
    }

    /// Where the feed ends now (a hub starting up begins here).
    package func lastPop() async throws -> Int64 {
        try await db.read { sql in try await sql.raw("SELECT MAX(seq) AS s FROM call_pops").first()?.decode(column: "s", as: Int64?.self) ?? 0 }
    }

    /// The call figures for calls started in [from, to).
    package func stats(_ scope: Scope, from: Date, to: Date) async throws -> CallStats {
        try scope.require(.tickets, .read)
        let settings = try await db.read { sql in try await Self.loadSettings(scope.workspaceID, sql: sql) } ?? Self.defaults(scope.workspaceID)
        let window = TimeInterval(settings.callbackSLAMinutes * 60)
        return try await db.read { sql in
            func facts(_ a: Date, _ b: Date, outboundOnly: Bool) async throws -> [CallStats.Facts] {
                try await sql.raw("""
                    SELECT direction, state, phone, started_at, answered_at, ended_at FROM calls
                    WHERE workspace_id = \(bind: scope.workspaceID) AND started_at >= \(bind: a.millis) AND started_at < \(bind: b.millis)
                    \(unsafeRaw: outboundOnly ? "AND direction = 'outbound'" : "")
                    """).all().map { r in
                    CallStats.Facts(direction: CallDirection(rawValue: try r.decode(column: "direction", as: String.self)) ?? .inbound,
                                    state: CallState(rawValue: try r.decode(column: "state", as: String.self)) ?? .ended,
                                    phone: try r.decode(column: "phone", as: String.self),
                                    startedAt: Date(millis: try r.decode(column: "started_at", as: Int64.self)),
                                    answeredAt: try r.decode(column: "answered_at", as: Int64?.self).map(Date.init(millis:)),
                                    endedAt: try r.decode(column: "ended_at", as: Int64?.self).map(Date.init(millis:)))
                }
            }
            let calls = try await facts(from, to, outboundOnly: false)
            let later = try await facts(from, to.addingTimeInterval(window), outboundOnly: true)
            return CallStats.compute(calls, laterOutbound: later, window: window)
        }
    }

    // MARK: Click-to-call

    /// What click-to-call accepts (the API's document says the same): digits, an optional leading
    /// plus, and spaces, dashes, dots or brackets between them.
    package static let dialablePattern = "^\\+?[0-9][0-9 ().-]{0,40}$"

    /// The number as sent to the telephone system: E.164 when it is a full number, else its digits
    /// as typed (an extension, a short service number); nil when it is not dialable.
    package static func dialled(_ raw: String) -> String? {
        let s = Array(raw.unicodeScalars)
        let body = s.first == "+" ? s.dropFirst() : s[...]
        guard let first = body.first, ("0"..."9").contains(first), body.count <= 41,
              body.allSatisfy({ ("0"..."9").contains($0) || " ().-".unicodeScalars.contains($0) }) else { return nil }
        return IdentityNormalizer.phone(raw) ?? (s.first == "+" ? "+" : "") + String(String.UnicodeScalarView(body.filter { ("0"..."9").contains($0) }))
    }

    /// The signed request that asks the telephone system to connect the acting agent's extension
    /// with `number`: Standard Webhooks headers over a JSON body, to the workspace's dial address.
    package func dialRequest(_ scope: Scope, number raw: String, customerID: String?, requestID: String) async throws -> WebhookRequest {
        try scope.require(.customers, .read)
        guard let number = Self.dialled(raw) else { throw DomainError.field("number", "is not a phone number") }
        let now = clock.now()
        let settings = try await db.read { sql in try await Self.loadSettings(scope.workspaceID, sql: sql) }
        guard let settings, let url = settings.dialURL else { throw DomainError.conflict("click-to-call is not set up: the dial address is empty (settings, telephony)") }
        guard let ext = settings.extensions.first(where: { $0.value == scope.userID })?.key else {
            throw DomainError.conflict("you have no extension yet; an administrator gives you one in the telephony settings")
        }
        if let c = customerID {
            _ = try await db.read { sql in try await CustomerStore.load(scope, c.lowercased(), for: .read, sql: sql) }
        }
        var o: [String: JSONValue] = ["request_id": .string(requestID), "agent_extension": .string(ext), "number": .string(number),
                                      "customer_id": customerID.map { .string($0.lowercased()) } ?? .null]
        if let u = scope.userID { o["agent_user_id"] = .string(u) }
        let body = Array(JSONCoding.encode(JSONValue.object(o)).utf8)
        return .signed(url: url, id: requestID, body: body, secrets: [settings.secret], at: now, userAgent: "Guanxi-Calls/1", timeout: .seconds(5))
    }
}
