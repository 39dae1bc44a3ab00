import Foundation
import SQLKit
import GuanxiCore

public struct LeadFilter: Sendable {
    public var status: LeadStatus?
    public var ownerID: String?
    /// Only leads past their first-response deadline without a response.
    public var overdue = false
    public var source: String?
    public init() {}
}

/// Leads: capture (API, forms, webhooks), assignment by rule, follow-up and conversion.
/// Every change is checked against the scope, written with its timeline entry and audited in
/// one transaction.
public struct LeadStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// Group commit for captures without a named owner (nil inside the queue's own writers).
    let queue: LeadCaptureQueue?

    public init(db: Database, clock: any GuanxiCore.Clock = SystemClock()) {
        self.db = db; self.clock = clock
        let inner = LeadStore(db: db, clock: clock, queue: nil)
        queue = LeadCaptureQueue(write: { items in try await inner.insertBatch(items, now: clock.now()) },
                                 single: { item in try await inner.insertOne(item) })
    }

    private init(db: Database, clock: any GuanxiCore.Clock, queue: LeadCaptureQueue?) { self.db = db; self.clock = clock; self.queue = queue }

    /// One queued lead on its own (when its group failed): the same rules as `create`.
    func insertOne(_ item: LeadCaptureQueue.Item) async throws -> Lead {
        let now = clock.now()
        return try await db.write { sql in
            var l = try await insert(item.lead, scope: item.scope, sourceID: item.sourceID, now: now, sql: sql)
            if l.ownerID == nil, item.creatorKeeps, let me = item.scope.userID {
                l = try await move(l, to: me, reason: "creator", ruleID: nil, dueMinutes: nil, scope: item.scope, now: now, sql: sql)
            }
            return l
        }
    }

    static let columns = """
        id, name, company, title, phone, email, wechat, province, city, product_interest, tier, source, campaign, utm_json, message,
        channel, status, disqualify_reason, owner_id, rule_id, assigned_at, response_due_at, responded_at, dup_customer_id, dup_lead_id,
        converted_customer_id, converted_at, version, created_at, updated_at
        """

    // MARK: Capture

    /// A lead entered through the API by a signed-in user or token. Naming an owner needs
    /// `leads.assign` (or naming yourself); otherwise the workspace's rules place it.
    public func create(_ scope: Scope, _ draft: LeadDraft) async throws -> Lead {
        let level = try scope.require(.leads, .create)
        if let o = draft.ownerID, o.lowercased() != scope.userID {
            let assign = try scope.require(.leads, .assign)
            guard scope.covers(assign, RecordAccess(ownerID: o.lowercased())) else {
                throw DomainError.forbidden("you may not assign leads to this user")
            }
        }
        let now = clock.now()
        let lead = try LeadValidator.make(draft, id: ID.make(at: now), channel: .api, now: now)
        if draft.ownerID == nil, let queue {
            return try await queue.submit(lead, scope: scope, sourceID: nil, creatorKeeps: level != .all && scope.userID != nil)
        }
        return try await db.write { sql in
            var l = try await insert(lead, scope: scope, sourceID: nil, now: now, sql: sql)
            // someone who cannot reach every lead keeps what no rule placed, or they could not see it again
            if l.ownerID == nil, level != .all, let me = scope.userID {
                l = try await move(l, to: me, reason: "creator", ruleID: nil, dueMinutes: nil, scope: scope, now: now, sql: sql)
            }
            return l
        }
    }

    /// A lead from a public form or a webhook of the workspace (no user acts; the source is named).
    /// `receipt` (a webhook signature) is recorded in the same transaction; seen before, it is a replay.
    public func capture(_ source: LeadSource, _ draft: LeadDraft, channel: LeadChannel, receipt: String? = nil) async throws -> Lead {
        var d = draft
        if d.source == nil { d.source = source.sourceLabel }
        if d.campaign == nil { d.campaign = source.campaign }
        d.ownerID = nil
        let now = clock.now()
        let lead = try LeadValidator.make(d, id: ID.make(at: now), channel: channel, now: now)
        let system = Scope(workspaceID: source.workspaceID, userID: nil, role: .owner)
        if receipt == nil, let queue { return try await queue.submit(lead, scope: system, sourceID: source.id, creatorKeeps: false) }
        return try await db.write { sql in
            if let receipt {
                let fresh = try await sql.raw("""
                    INSERT INTO webhook_receipts (source_id, signature, received_at) VALUES (\(bind: source.id), \(bind: receipt), \(bind: now.millis))
                    ON CONFLICT DO NOTHING RETURNING source_id
                    """).first() != nil
                if !fresh { throw DomainError.conflict("this delivery was already received (replayed signature)") }
            }
            return try await insert(lead, scope: system, sourceID: source.id, now: now, sql: sql)
        }
    }

    /// Inserts, flags duplicates, applies the first matching rule, and records it all.
    func insert(_ lead: Lead, scope: Scope, sourceID: String?, now: Date, sql: any SQLDatabase) async throws -> Lead {
        var l = lead
        let ws = scope.workspaceID
        let keys = [l.phone, l.email, l.wechat].compactMap { $0 }
        if !keys.isEmpty {
            l.duplicateOfCustomerID = try await sql.raw("""
                SELECT i.customer_id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                WHERE i.workspace_id = \(bind: ws) AND i.kind IN ('phone', 'email', 'wechat_id') AND i.value IN (\(binds: keys))
                AND c.deleted_at IS NULL LIMIT 1
                """).first()?.decode(column: "customer_id", as: String.self)
            // one indexed look-up per kind (an OR across the columns would scan every lead)
            var parts: [SQLQueryString] = []
            if let p = l.phone { parts.append("SELECT id, created_at FROM leads WHERE workspace_id = \(bind: ws) AND phone = \(bind: p)") }
            if let e = l.email { parts.append("SELECT id, created_at FROM leads WHERE workspace_id = \(bind: ws) AND email = \(bind: e)") }
            if let w = l.wechat { parts.append("SELECT id, created_at FROM leads WHERE workspace_id = \(bind: ws) AND wechat = \(bind: w)") }
            var q = parts[0]
            for p in parts.dropFirst() { q += " UNION ALL "; q += p }
            q += " ORDER BY created_at, id LIMIT 1"
            l.duplicateOfLeadID = try await sql.raw(q).first()?.decode(column: "id", as: String.self)
        }
        if let o = l.ownerID { try await requireActiveMember(o, ws, sql: sql) }
        try await sql.raw("""
            INSERT INTO leads (id, workspace_id, name, company, title, phone, email, wechat, province, city, product_interest, tier, source,
              campaign, utm_json, message, channel, status, owner_id, assigned_at, dup_customer_id, dup_lead_id, source_id, version, created_at, updated_at)
            VALUES (\(bind: l.id), \(bind: ws), \(bind: l.name), \(bind: l.company), \(bind: l.title), \(bind: l.phone), \(bind: l.email),
              \(bind: l.wechat), \(bind: l.province), \(bind: l.city), \(bind: l.productInterest), \(bind: l.tier), \(bind: l.source),
              \(bind: l.campaign), \(bind: l.utm.isEmpty ? nil : JSONCoding.encode(l.utm)), \(bind: l.message), \(bind: l.channel.rawValue),
              \(bind: l.status.rawValue), \(bind: l.ownerID), \(bind: l.ownerID == nil ? nil : now.millis), \(bind: l.duplicateOfCustomerID),
              \(bind: l.duplicateOfLeadID), \(bind: sourceID), 1, \(bind: now.millis), \(bind: now.millis))
            """).run()
        if l.ownerID != nil { l.assignedAt = now }
        var data: [String: JSONValue] = ["name": .string(l.name), "channel": .string(l.channel.rawValue)]
        if let s = l.source { data["source"] = .string(s) }
        if let d = l.duplicateOfCustomerID { data["duplicate_of_customer_id"] = .string(d) }
        if let d = l.duplicateOfLeadID { data["duplicate_of_lead_id"] = .string(d) }
        try await TimelineStore.append([CustomerStore.event(l.id, .created, author: scope.userID, now: now, data: data)], workspaceID: ws, sql: sql)
        try await AuditLog.append([AuditEvent("create", "leads", l.id, detail: ["channel": .string(l.channel.rawValue),
                                                                               "source_id": sourceID.map(JSONValue.string) ?? .null])],
                                  scope: scope, at: now, dialect: db.dialect, sql: sql)
        if l.ownerID == nil { l = try await assign(l, scope: scope, now: now, sql: sql) }
        return l
    }

    /// Applies the first matching active rule (none: the lead stays unassigned, in the pool).
    func assign(_ lead: Lead, scope: Scope, now: Date, sql: any SQLDatabase) async throws -> Lead {
        let rules = try await AssignmentRuleStore.rules(scope.workspaceID, sql: sql)
        guard let rule = Assigner.rule(for: lead, in: rules) else { return lead }
        var owner: String?
        switch rule.method {
        case .pool: owner = nil
        case .user: owner = try await AccessStore.activeMember(rule.userID ?? "", scope.workspaceID, sql: sql) ? rule.userID : nil
        case .roundRobin:
            let members = try await AssignmentRuleStore.activeMembers(team: rule.teamID ?? "", scope.workspaceID, sql: sql)
            if !members.isEmpty {
                let turn = try await sql.raw("""
                    UPDATE assignment_rules SET turn = turn + 1 WHERE id = \(bind: rule.id) RETURNING turn
                    """).first()!.decode(column: "turn", as: Int64.self)
                owner = Assigner.roundRobin(members: members, turn: turn - 1)
            }
        case .leastLoaded:
            let members = try await AssignmentRuleStore.activeMembers(team: rule.teamID ?? "", scope.workspaceID, sql: sql)
            if !members.isEmpty {
                var load: [String: Int] = [:]
                for r in try await sql.raw("""
                    SELECT owner_id, COUNT(*) AS n FROM leads WHERE workspace_id = \(bind: scope.workspaceID) AND owner_id IN (\(binds: members))
                    AND status IN ('new', 'contacted', 'qualified') GROUP BY owner_id
                    """).all() { load[try r.decode(column: "owner_id", as: String.self)] = try r.decode(column: "n", as: Int.self) }
                owner = Assigner.leastLoaded(members: members, load: load)
            }
        }
        return try await move(lead, to: owner, reason: "rule", ruleID: rule.id, dueMinutes: rule.responseMinutes, scope: scope, now: now, sql: sql)
    }

    /// Sets the owner (and the rule's deadline), with a timeline entry naming why.
    func move(_ lead: Lead, to owner: String?, reason: String, ruleID: String?, dueMinutes: Int?, scope: Scope, now: Date,
              sql: any SQLDatabase) async throws -> Lead {
        var l = lead
        let from = l.ownerID
        l.ownerID = owner; l.ruleID = ruleID ?? l.ruleID
        l.assignedAt = owner == nil ? nil : now
        if let m = dueMinutes, owner != nil, l.respondedAt == nil { l.responseDueAt = now.addingTimeInterval(Double(m) * 60) }
        l.version += 1; l.updatedAt = now
        try await sql.raw("""
            UPDATE leads SET owner_id = \(bind: l.ownerID), rule_id = \(bind: l.ruleID), assigned_at = \(bind: l.assignedAt?.millis),
              response_due_at = \(bind: l.responseDueAt?.millis), version = \(bind: l.version), updated_at = \(bind: now.millis)
            WHERE id = \(bind: l.id) AND workspace_id = \(bind: scope.workspaceID)
            """).run()
        var data: [String: JSONValue] = ["from": from.map(JSONValue.string) ?? .null, "to": owner.map(JSONValue.string) ?? .null, "reason": .string(reason)]
        if let ruleID { data["rule_id"] = .string(ruleID) }
        try await TimelineStore.append([CustomerStore.event(l.id, .ownerChanged, author: scope.userID, now: now, data: data)],
                                       workspaceID: scope.workspaceID, sql: sql)
        return l
    }

    func requireActiveMember(_ userID: String, _ workspaceID: String, sql: any SQLDatabase) async throws {
        guard try await AccessStore.activeMember(userID, workspaceID, sql: sql) else {
            throw DomainError.field("owner_id", "\(userID) is not an active user of this workspace")
        }
    }

    // MARK: Read

    static func decode(_ r: any SQLRow) throws -> Lead {
        func s(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        func d(_ c: String) throws -> Date? { try r.decode(column: c, as: Int64?.self).map(Date.init(millis:)) }
        return Lead(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                    company: try s("company"), title: try s("title"), phone: try s("phone"), email: try s("email"), wechat: try s("wechat"),
                    province: try s("province"), city: try s("city"), productInterest: try s("product_interest"), tier: try s("tier"),
                    source: try s("source"), campaign: try s("campaign"), utm: JSONCoding.decode([String: String].self, try s("utm_json")) ?? [:],
                    message: try s("message"), channel: LeadChannel(rawValue: try s("channel") ?? "") ?? .api,
                    status: LeadStatus(rawValue: try s("status") ?? "") ?? .new, disqualifyReason: try s("disqualify_reason"),
                    ownerID: try s("owner_id"), ruleID: try s("rule_id"), assignedAt: try d("assigned_at"), responseDueAt: try d("response_due_at"),
                    respondedAt: try d("responded_at"), duplicateOfCustomerID: try s("dup_customer_id"), duplicateOfLeadID: try s("dup_lead_id"),
                    convertedCustomerID: try s("converted_customer_id"), convertedAt: try d("converted_at"),
                    version: try r.decode(column: "version", as: Int.self), createdAt: try d("created_at") ?? Date(), updatedAt: try d("updated_at") ?? Date())
    }

    /// The lead if the scope may `action` it: 404 when it may not even read it, 403 when it may read but not act.
    static func load(_ scope: Scope, _ id: String, for action: AccessAction, sql: any SQLDatabase) async throws -> Lead {
        guard ID.isValid(id), let row = try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM leads WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: scope.workspaceID)
            """).first() else { throw DomainError.notFound("lead") }
        let l = try decode(row)
        try scope.authorize(.leads, action, ownerID: l.ownerID, name: "lead",
                            forbidden: l.ownerID == nil ? "this lead is in the public pool; claim it first" : "this lead belongs to someone else")
        return l
    }

    public func get(_ scope: Scope, id: String) async throws -> Lead {
        Self.present(scope, try await db.read { sql in try await Self.load(scope, id, for: .read, sql: sql) })
    }

    /// Contact details masked outside the scope's `personal_data.read` reach (as for customers).
    static func present(_ scope: Scope, _ l: Lead) -> Lead {
        guard let level = scope.level(.personalData, .read), scope.covers(level, RecordAccess(ownerID: l.ownerID)) else { return l.masked() }
        return l
    }

    /// Newest first, within the scope's read reach.
    public func list(_ scope: Scope, filter: LeadFilter, cursor: String?, limit: Int = 50) async throws -> Page<Lead> {
        guard let level = scope.level(.leads, .read) else { throw DomainError.forbidden("you may not read leads") }
        let limit = min(max(limit, 1), 200)
        let now = clock.now()
        return try await db.read { sql in
            var q = SQLQueryString("SELECT \(unsafeRaw: Self.columns) FROM leads l WHERE l.workspace_id = \(bind: scope.workspaceID)")
            q += AccessStore.readLimit(scope, object: .leads, level: level, alias: "l")
            if let s = filter.status { q += " AND l.status = \(bind: s.rawValue)" }
            if let o = filter.ownerID { q += " AND l.owner_id = \(bind: o)" }
            if let s = filter.source { q += " AND l.source = \(bind: s)" }
            if filter.overdue {
                q += " AND l.status = 'new' AND l.responded_at IS NULL AND l.response_due_at < \(bind: now.millis)"
            }
            if let cursor {
                let v = try Cursor.decode(cursor)
                guard case .number(let d) = v[0], let t = Int64(exactly: d), let id = v[1].stringValue else { throw DomainError.field("cursor", "is invalid") }
                q += " AND (l.created_at, l.id) < (\(bind: t), \(bind: id))"
            }
            q += " ORDER BY l.created_at DESC, l.id DESC LIMIT \(literal: limit + 1)"
            let rows = try await sql.raw(q).all().map(Self.decode)
            let items = rows.prefix(limit).map { Self.present(scope, $0) }
            let next = rows.count > limit ? items.last.map { Cursor.encode([.number(Double($0.createdAt.millis)), .string($0.id)]) } : nil
            return Page(items: items, nextCursor: next)
        }
    }

    // MARK: Follow-up

    /// Moves the status along its allowed paths; disqualifying needs a reason.
    public func setStatus(_ scope: Scope, id: String, to status: LeadStatus, reason: String?, ifVersion: Int?) async throws -> Lead {
        let now = clock.now()
        return try await db.write { sql in
            var l = try await Self.load(scope, id, for: .update, sql: sql)
            if let v = ifVersion, v != l.version { throw DomainError.staleVersion(current: l.version) }
            try l.status.check(to: status, reason: reason)
            guard status != l.status else { return l }
            let from = l.status
            l.status = status
            l.disqualifyReason = status == .disqualified ? reason.map(CustomerValidator.clean) : nil
            if status != .new && l.respondedAt == nil { l.respondedAt = now }
            l.version += 1; l.updatedAt = now
            try await sql.raw("""
                UPDATE leads SET status = \(bind: status.rawValue), disqualify_reason = \(bind: l.disqualifyReason),
                  responded_at = \(bind: l.respondedAt?.millis), version = \(bind: l.version), updated_at = \(bind: now.millis)
                WHERE id = \(bind: l.id)
                """).run()
            var data: [String: JSONValue] = ["from": .string(from.rawValue), "to": .string(status.rawValue)]
            if let r = l.disqualifyReason { data["reason"] = .string(r) }
            try await TimelineStore.append([CustomerStore.event(l.id, .statusChanged, author: scope.userID, now: now, data: data)],
                                           workspaceID: scope.workspaceID, sql: sql)
            try await AuditLog.append([AuditEvent("update", "leads", l.id, detail: .object(data))], scope: scope, at: now, dialect: db.dialect, sql: sql)
            return l
        }
    }

    /// Hands a lead to another user (or the pool) by hand, with a reason on its timeline.
    public func transfer(_ scope: Scope, id: String, to owner: String?, reason: String) async throws -> Lead {
        let reason = CustomerValidator.clean(reason)
        if reason.isEmpty { throw DomainError.field("reason", "is required") }
        let now = clock.now()
        return try await db.write { sql in
            let l = try await Self.load(scope, id, for: .update, sql: sql)
            let level = try scope.require(.leads, .assign)
            for o in [l.ownerID, owner] where o != nil && !scope.covers(level, RecordAccess(ownerID: o)) {
                throw DomainError.forbidden("you may not assign leads to or from this user")
            }
            if let owner { try await requireActiveMember(owner, scope.workspaceID, sql: sql) }
            let moved = try await move(l, to: owner?.lowercased(), reason: reason, ruleID: nil, dueMinutes: nil, scope: scope, now: now, sql: sql)
            try await AuditLog.append([AuditEvent("transfer", "leads", l.id, detail: ["from": l.ownerID.map(JSONValue.string) ?? .null,
                                                                                    "to": owner.map(JSONValue.string) ?? .null, "reason": .string(reason)])],
                                      scope: scope, at: now, dialect: db.dialect, sql: sql)
            return moved
        }
    }

    /// Logs a call, visit, note… on the lead. The first one answers the first-response deadline,
    /// and a new lead becomes contacted.
    public func addActivity(_ scope: Scope, leadID: String, _ draft: ActivityDraft, isNote: Bool) async throws -> TimelineEntry {
        let now = clock.now()
        return try await db.write { sql in
            let l = try await Self.load(scope, leadID, for: .update, sql: sql)
            let id = ID.make(at: now)
            let entry = isNote ? try draft.note(id: id, customerID: l.id, author: scope.userID, now: now)
                               : try draft.interaction(id: id, customerID: l.id, author: scope.userID, now: now)
            try await TimelineStore.append([entry], workspaceID: scope.workspaceID, sql: sql)
            if !isNote && l.respondedAt == nil {
                let status = l.status == .new ? LeadStatus.contacted : l.status
                try await sql.raw("""
                    UPDATE leads SET responded_at = \(bind: now.millis), status = \(bind: status.rawValue), version = version + 1,
                      updated_at = \(bind: now.millis) WHERE id = \(bind: l.id)
                    """).run()
                if status != l.status {
                    try await TimelineStore.append([CustomerStore.event(l.id, .statusChanged, author: scope.userID, now: now,
                                                                        data: ["from": .string(l.status.rawValue), "to": .string(status.rawValue)])],
                                                   workspaceID: scope.workspaceID, sql: sql)
                }
            }
            try await AuditLog.append([AuditEvent("create", isNote ? "notes" : "interactions", entry.id, detail: ["lead_id": .string(l.id)])],
                                      scope: scope, at: now, dialect: db.dialect, sql: sql)
            return entry
        }
    }

    /// The lead's history, newest first (after conversion it is on the customer's timeline).
    public func timeline(_ scope: Scope, leadID: String, cursor: String?, limit: Int = 50) async throws -> Page<TimelineEntry> {
        let limit = min(max(limit, 1), 200)
        return try await db.read { sql in
            let l = try await Self.load(scope, leadID, for: .read, sql: sql)
            var q = SQLQueryString("""
                SELECT id, customer_id, kind, occurred_at, channel, direction, subject, body, duration_seconds, outcome, author_id, data_json, created_at
                FROM timeline WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: l.id) AND deleted_at IS NULL
                """)
            if let cursor {
                let v = try Cursor.decode(cursor)
                guard case .number(let d) = v[0], let t = Int64(exactly: d), let id = v[1].stringValue else { throw DomainError.field("cursor", "is invalid") }
                q += " AND (occurred_at, id) < (\(bind: t), \(bind: id))"
            }
            q += " ORDER BY occurred_at DESC, id DESC LIMIT \(literal: limit + 1)"
            let rows = try await sql.raw(q).all().map(TimelineStore.decode)
            let items = Array(rows.prefix(limit))
            let next = rows.count > limit ? items.last.map { Cursor.encode([.number(Double($0.occurredAt.millis)), .string($0.id)]) } : nil
            return Page(items: items, nextCursor: next)
        }
    }
}
