import Foundation
import SQLKit
import GuanxiCore

package struct LeadFilter: Sendable {
    package var status: LeadStatus?
    package var ownerID: String?
    /// Only leads past their first-response deadline without a response.
    package var overdue = false
    package var source: String?
    package init() {}
}

/// Leads: capture (API, forms, webhooks), assignment by rule, follow-up and conversion.
/// Every change is checked against the scope, written with its timeline entry and audited in
/// one transaction.
package struct LeadStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// Conversion makes customers (and organisations) and may open a deal.
    let customers: CustomerStore
    let deals: DealStore
    /// Group commit for captures without a named owner (nil inside the queue's own writers).
    let queue: LeadCaptureQueue?

    package init(db: Database, clock: any GuanxiCore.Clock, customers: CustomerStore, deals: DealStore) {
        self.db = db; self.clock = clock; self.customers = customers; self.deals = deals
        let inner = LeadStore(db: db, clock: clock, customers: customers, deals: deals, queue: nil)
        queue = LeadCaptureQueue(stats: db.stats, write: { items in try await inner.insertBatch(items, now: clock.now()) })
    }

    private init(db: Database, clock: any GuanxiCore.Clock, customers: CustomerStore, deals: DealStore, queue: LeadCaptureQueue?) {
        self.db = db; self.clock = clock; self.customers = customers; self.deals = deals; self.queue = queue
    }

    static let columns = """
        id, name, company, title, phone, email, wechat, province, city, product_interest, tier, source, campaign, utm_json, message,
        channel, status, disqualify_reason, owner_id, rule_id, assigned_at, response_due_at, responded_at, dup_customer_id, dup_lead_id,
        converted_customer_id, converted_at, version, created_at, updated_at
        """

    // MARK: Capture

    /// A lead entered through the API by a signed-in user or token. Naming an owner needs
    /// `leads.assign` (or naming yourself); otherwise the workspace's rules place it.
    package func create(_ scope: Scope, _ draft: LeadDraft) async throws -> Lead {
        let level = try scope.require(.leads, .create)
        let now = clock.now()
        // entered by hand: the person who entered it keeps it unless a rule places it
        let capture = try Self.capture(scope, draft, level: level, now: now, byHand: true)
        if draft.ownerID == nil, let queue { return try await queue.submit(capture) }
        return try await insertBatch([capture], now: now)[0]
    }

    /// Many leads at once (an ad platform's or shop's delivery, a migration), each placed exactly as
    /// `create` would place it, in one transaction. A lead that fails validation or rights is
    /// reported in its place and the rest are captured.
    package func createMany(_ scope: Scope, _ drafts: [LeadDraft]) async throws -> [Result<Lead, DomainError>] {
        let level = try scope.require(.leads, .create)
        guard drafts.count <= Self.maxBatch else { throw DomainError.field("leads", "send at most \(Self.maxBatch) leads at once") }
        let now = clock.now()
        var results = [Result<Lead, DomainError>?](repeating: nil, count: drafts.count)
        var captures: [(Int, LeadCapture)] = []
        for (i, d) in drafts.enumerated() {
            do { captures.append((i, try Self.capture(scope, d, level: level, now: now))) } catch let e as DomainError { results[i] = .failure(e) }
        }
        // one lead that spoils the transaction (e.g. a named owner who left) fails alone
        let written = await LeadCaptureQueue.together(captures.map(\.1)) { try await insertBatch($0, now: now) }
        for ((i, _), r) in zip(captures, written) {
            switch r {
            case .success(let lead): results[i] = .success(lead)
            case .failure(let e as DomainError): results[i] = .failure(e)
            case .failure(let e): throw e
            }
        }
        return results.map { $0! }
    }

    package static let maxBatch = 1_000

    /// A draft made into a lead for `scope`: naming an owner other than yourself needs `leads.assign` over them.
    /// Entered `byHand` (one lead by a user), the creator keeps it when no rule places it; in a batch,
    /// only a user who cannot see every lead keeps what they enter.
    static func capture(_ scope: Scope, _ draft: LeadDraft, level: AccessLevel, now: Date, byHand: Bool = false) throws -> LeadCapture {
        if let o = draft.ownerID, o.lowercased() != scope.userID {
            let assign = try scope.require(.leads, .assign)
            guard scope.covers(assign, RecordAccess(ownerID: o.lowercased())) else {
                throw DomainError.forbidden("you may not assign leads to this user")
            }
        }
        return LeadCapture(lead: try LeadValidator.make(draft, id: ID.make(at: now), channel: .api, now: now), scope: scope, sourceID: nil,
                           creatorKeeps: byHand || level != .all)
    }

    /// A lead from a public form or a webhook of the workspace (no user acts; the source is named).
    /// `receipt` (a webhook signature) is recorded in the same transaction; seen before, it is a replay.
    package func capture(_ source: LeadSource, _ draft: LeadDraft, channel: LeadChannel, receipt: String? = nil) async throws -> Lead {
        var d = draft
        if d.source == nil { d.source = source.sourceLabel }
        if d.campaign == nil { d.campaign = source.campaign }
        d.ownerID = nil
        let now = clock.now()
        let lead = try LeadValidator.make(d, id: ID.make(at: now), channel: channel, now: now)
        let capture = LeadCapture(lead: lead, scope: Scope(workspaceID: source.workspaceID, userID: nil, role: .owner), sourceID: source.id,
                                  creatorKeeps: false)
        if receipt == nil, let queue { return try await queue.submit(capture) }
        return try await db.write { sql in
            if let receipt {
                let fresh = try await sql.raw("""
                    INSERT INTO webhook_receipts (source_id, signature, received_at) VALUES (\(bind: source.id), \(bind: receipt), \(bind: now.millis))
                    ON CONFLICT DO NOTHING RETURNING source_id
                    """).first() != nil
                if !fresh { throw DomainError.conflict("this delivery was already received (replayed signature)") }
            }
            return try await insert([capture], now: now, sql: sql)[0]
        }
    }

    /// Sets the owner by hand, with a timeline entry naming why.
    func move(_ lead: Lead, to owner: String?, reason: String, tx: Tx) async throws -> Lead {
        let (scope, now) = (tx.scope, tx.now)
        var l = lead
        let from = l.ownerID
        l.ownerID = owner
        l.assignedAt = owner == nil ? nil : now
        l.version += 1; l.updatedAt = now
        try await tx.sql.raw("""
            UPDATE leads SET owner_id = \(bind: l.ownerID), assigned_at = \(bind: l.assignedAt?.millis), version = \(bind: l.version),
              updated_at = \(bind: now.millis)
            WHERE id = \(bind: l.id) AND workspace_id = \(bind: scope.workspaceID)
            """).run()
        try await tx.timeline(l.id, .ownerChanged, data: [
            "from": from.map(JSONValue.string) ?? .null, "to": owner.map(JSONValue.string) ?? .null, "reason": .string(reason)])
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

    static let records = OwnedRecords(table: "leads", alias: "l", columns: columns, object: .leads, name: "lead", plural: "leads",
                                      mayNotRead: "you may not read leads", pooled: "this lead is in the public pool; claim it first", decode: decode)
    static let newest = records.keyset("created_at", descending: true) { $0.createdAt }
    static let oldest = records.keyset("created_at", descending: false) { $0.createdAt }

    package func get(_ scope: Scope, id: String) async throws -> Lead {
        Self.present(scope, try await Self.records.get(scope, id, in: db))
    }

    /// Contact details masked outside the scope's `personal_data.read` reach (as for customers).
    static func present(_ scope: Scope, _ l: Lead) -> Lead {
        guard let level = scope.level(.personalData, .read), scope.covers(level, RecordAccess(ownerID: l.ownerID)) else { return l.masked() }
        return l
    }

    /// Newest first, within the scope's read reach.
    package func list(_ scope: Scope, filter: LeadFilter, cursor: String?, limit: Int = 50) async throws -> Page<Lead> {
        var page = try await Self.records.page(scope, where: try clauses(scope, filter), order: Self.newest, cursor: cursor, limit: limit, in: db)
        page.items = page.items.map { Self.present(scope, $0) }
        return page
    }

    /// The read limit and `filter`'s conditions.
    func clauses(_ scope: Scope, _ filter: LeadFilter) throws -> SQLQueryString {
        var q = try Self.records.clauses(scope, equal: ["status": filter.status?.rawValue, "owner_id": filter.ownerID, "source": filter.source])
        if filter.overdue {
            q += " AND l.status = 'new' AND l.responded_at IS NULL AND l.response_due_at < \(bind: clock.now().millis)"
        }
        return q
    }

    /// The list page's window: by when the lead came in (the indexed key), newest or oldest first,
    /// paged either way (`OwnedRecords.window`).
    package func window(_ scope: Scope, filter: LeadFilter, oldestFirst: Bool = false, cursor: String?, before: String?,
                        limit: Int = 50) async throws -> (items: [Lead], next: String?, previous: String?) {
        let w = try await Self.records.window(scope, where: try clauses(scope, filter), order: oldestFirst ? Self.oldest : Self.newest,
                                              cursor: cursor, before: before, limit: limit, in: db)
        return (w.items.map { Self.present(scope, $0) }, w.next, w.previous)
    }

    /// How many leads `filter` finds for `scope`, up to the list's cap (`ListCount`).
    package func count(_ scope: Scope, filter: LeadFilter) async throws -> (count: Int, exact: Bool) {
        try await Self.records.count(scope, where: try clauses(scope, filter), in: db)
    }

    /// Leads a search box finds: by phone or email exactly (both indexed, however old the lead),
    /// or by a part of the name or company among the workspace's newest 5,000 (a bounded walk: a
    /// term nobody has never reads every lead). Newest first, within the scope's read reach.
    package func find(_ scope: Scope, text raw: String, limit: Int = 10) async throws -> [Lead] {
        let term = Text.clean(raw)
        guard term.count >= 2 else { return [] }
        let like = db.dialect == .sqlite ? "LIKE" : "ILIKE"
        let pattern = "%" + term.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%").replacingOccurrences(of: "_", with: "!_") + "%"
        var q = try Self.records.clauses(scope)
        q += " AND ((l.id IN (SELECT id FROM leads WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY created_at DESC LIMIT 5000)"
        q += " AND (l.name \(unsafeRaw: like) \(bind: pattern) ESCAPE '!' OR l.company \(unsafeRaw: like) \(bind: pattern) ESCAPE '!'))"
        if let phone = IdentityNormalizer.phone(term) { q += " OR l.phone = \(bind: phone)" }
        if term.contains("@") { q += " OR l.email = \(bind: term.lowercased())" }
        q += ")"
        return try await Self.records.page(scope, where: q, order: Self.newest, cursor: nil, limit: limit, in: db).items.map { Self.present(scope, $0) }
    }

    // MARK: Follow-up

    /// Moves the status along its allowed paths; disqualifying needs a reason.
    package func setStatus(_ scope: Scope, id: String, to status: LeadStatus, reason: String?, ifVersion: Int?) async throws -> Lead {
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            var l = try await Self.records.load(scope, id, for: .update, ifVersion: ifVersion, sql: tx.sql)
            try l.status.check(to: status, reason: reason)
            guard status != l.status else { return l }
            let from = l.status
            l.status = status
            l.disqualifyReason = status == .disqualified ? reason.map(Text.clean) : nil
            if status != .new && l.respondedAt == nil { l.respondedAt = now }
            l.version += 1; l.updatedAt = now
            try await tx.sql.raw("""
                UPDATE leads SET status = \(bind: status.rawValue), disqualify_reason = \(bind: l.disqualifyReason),
                  responded_at = \(bind: l.respondedAt?.millis), version = \(bind: l.version), updated_at = \(bind: now.millis)
                WHERE id = \(bind: l.id)
                """).run()
            var data: [String: JSONValue] = ["from": .string(from.rawValue), "to": .string(status.rawValue)]
            if let r = l.disqualifyReason { data["reason"] = .string(r) }
            try await tx.timeline(l.id, .statusChanged, data: data)
            try await tx.audit("update", "leads", l.id, detail: .object(data))
            return l
        }
    }

    /// Hands a lead to another user (or the pool) by hand, with a reason on its timeline.
    package func transfer(_ scope: Scope, id: String, to owner: String?, reason: String) async throws -> Lead {
        let reason = Text.clean(reason)
        if reason.isEmpty { throw DomainError.field("reason", "is required") }
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let l = try await Self.records.load(scope, id, for: .update, sql: tx.sql)
            let level = try scope.require(.leads, .assign)
            for o in [l.ownerID, owner] where o != nil && !scope.covers(level, RecordAccess(ownerID: o)) {
                throw DomainError.forbidden("you may not assign leads to or from this user")
            }
            if let owner { try await requireActiveMember(owner, scope.workspaceID, sql: tx.sql) }
            let moved = try await move(l, to: owner?.lowercased(), reason: reason, tx: tx)
            try await tx.audit("transfer", "leads", l.id, detail: ["from": l.ownerID.map(JSONValue.string) ?? .null,
                                                                 "to": owner.map(JSONValue.string) ?? .null, "reason": .string(reason)])
            return moved
        }
    }

    /// Logs a call, visit, note… on the lead. The first one answers the first-response deadline,
    /// and a new lead becomes contacted.
    package func addActivity(_ scope: Scope, leadID: String, _ draft: ActivityDraft, isNote: Bool) async throws -> TimelineEntry {
        let now = clock.now()
        return try await db.write(scope, at: now) { tx in
            let l = try await Self.records.load(scope, leadID, for: .update, sql: tx.sql)
            return try await Self.log(lead: l, draft, isNote: isNote, tx: tx)
        }
    }

    /// The one way a note or contact is logged on a lead (the caller has checked the lead may be
    /// updated), inside the caller's transaction: a recorded visit goes through here too.
    static func log(lead l: Lead, _ draft: ActivityDraft, isNote: Bool, data: [String: JSONValue]? = nil, tx: Tx) async throws -> TimelineEntry {
        let (scope, now) = (tx.scope, tx.now)
        let id = ID.make(at: now)
        var entry = isNote ? try draft.note(id: id, customerID: l.id, author: scope.userID, now: now)
                           : try draft.interaction(id: id, customerID: l.id, author: scope.userID, now: now)
        entry.data = data
        try await tx.timeline([entry])
        if !isNote && l.respondedAt == nil {
            let status = l.status == .new ? LeadStatus.contacted : l.status
            try await tx.sql.raw("""
                UPDATE leads SET responded_at = \(bind: now.millis), status = \(bind: status.rawValue), version = version + 1,
                  updated_at = \(bind: now.millis) WHERE id = \(bind: l.id)
                """).run()
            if status != l.status {
                try await tx.timeline(l.id, .statusChanged, data: ["from": .string(l.status.rawValue), "to": .string(status.rawValue)])
            }
        }
        try await tx.audit("create", isNote ? "notes" : "interactions", entry.id, detail: ["lead_id": .string(l.id)])
        return entry
    }

    /// The lead's history, newest first (after conversion it is on the customer's timeline).
    package func timeline(_ scope: Scope, leadID: String, cursor: String?, limit: Int = 50) async throws -> Page<TimelineEntry> {
        try await db.read { sql in
            let l = try await Self.records.load(scope, leadID, for: .read, sql: sql)
            return try await TimelineStore.page(scope.workspaceID, subjectID: l.id, cursor: cursor, limit: limit, sql: sql)
        }
    }
}
