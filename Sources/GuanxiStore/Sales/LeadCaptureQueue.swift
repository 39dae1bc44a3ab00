import Foundation
import SQLKit
import GuanxiCore

/// One new lead on its way in: who captures it, from which source, and whether the creator keeps
/// it when no rule places it (someone who cannot reach every lead could not see it again otherwise).
/// Captures go through `GroupCommit`: leads arriving while a write runs share the next transaction,
/// with one duplicate look-up, one rule read, one round-robin step and one audit append.
struct LeadCapture: Sendable {
    let lead: Lead
    let scope: Scope
    let sourceID: String?
    let creatorKeeps: Bool
}

typealias LeadCaptureQueue = GroupCommit<LeadCapture, Lead>

extension LeadStore {
    /// Writes a group of new leads in one transaction (the one way leads are stored): duplicate
    /// flags, assignment, timeline and audit entries, in arrival order.
    func insertBatch(_ items: [LeadCapture], now: Date) async throws -> [Lead] {
        try await db.write { sql in try await insert(items, now: now, sql: sql) }
    }

    /// The same inside the caller's transaction (a webhook records its receipt in it first).
    func insert(_ items: [LeadCapture], now: Date, sql: any SQLDatabase) async throws -> [Lead] {
        // workspaces never share a look-up; almost always there is one
        var results = [Lead?](repeating: nil, count: items.count)
        let groups = Dictionary(grouping: items.indices, by: { items[$0].scope.workspaceID })
        for ws in groups.keys.sorted() {
            let idx = groups[ws]!
            for (i, l) in zip(idx, try await placeGroup(idx.map { items[$0] }, workspaceID: ws, now: now, sql: sql)) { results[i] = l }
        }
        return results.map { $0! }
    }

    /// One workspace's group: read the facts, place the leads (`LeadPlacement`), write them.
    private func placeGroup(_ items: [LeadCapture], workspaceID ws: String, now: Date, sql: any SQLDatabase) async throws -> [Lead] {
        let leads = items.map(\.lead)
        var facts = LeadPlacement.Facts()
        try await readDuplicates(leads, workspaceID: ws, into: &facts, sql: sql)
        for o in LeadPlacement.namedOwners(leads) { facts.activeUsers[o] = try await AccessStore.activeMember(o, ws, sql: sql) }
        try LeadPlacement.checkNamedOwners(leads, activeUsers: facts.activeUsers)   // before any rule is read or turn taken
        let plan = LeadPlacement(leads, rules: try await AssignmentRuleStore.rules(ws, sql: sql))
        try await readAssignment(plan, workspaceID: ws, into: &facts, sql: sql)
        let placed = try plan.place(items.map { LeadPlacement.Capture(lead: $0.lead, creatorKeeps: $0.creatorKeeps, actingUserID: $0.scope.userID) },
                                    facts: facts, now: now)
        try await write(placed, items, workspaceID: ws, now: now, sql: sql)
        return placed.map(\.lead)
    }

    /// Customers and earlier leads holding the group's phones, emails and WeChat ids.
    private func readDuplicates(_ leads: [Lead], workspaceID ws: String, into facts: inout LeadPlacement.Facts, sql: any SQLDatabase) async throws {
        let byKind: [(String, Set<String>)] = [("phone", Set(leads.compactMap(\.phone))), ("email", Set(leads.compactMap(\.email))),
                                               ("wechat_id", Set(leads.compactMap(\.wechat)))]
        guard byKind.contains(where: { !$0.1.isEmpty }) else { return }
        var idParts: [SQLQueryString] = []
        for (kind, values) in byKind where !values.isEmpty {
            idParts.append("""
                SELECT i.value, i.customer_id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                WHERE i.workspace_id = \(bind: ws) AND i.kind = \(bind: kind) AND i.value IN (\(binds: values.sorted())) AND c.deleted_at IS NULL
                """)
        }
        var iq = idParts[0]
        for p in idParts.dropFirst() { iq += " UNION ALL "; iq += p }
        for r in try await sql.raw(iq).all() {
            facts.customerOf[try r.decode(column: "value", as: String.self)] = try r.decode(column: "customer_id", as: String.self)
        }
        // one indexed look-up per column with only that column's values (an OR would scan every lead)
        var parts: [SQLQueryString] = []
        for (kind, values) in byKind where !values.isEmpty {
            let column = kind == "wechat_id" ? "wechat" : kind
            parts.append("SELECT id, phone, email, wechat, created_at FROM leads WHERE workspace_id = \(bind: ws) AND \(unsafeRaw: column) IN (\(binds: values.sorted()))")
        }
        var q = parts[0]
        for p in parts.dropFirst() { q += " UNION ALL "; q += p }
        // no ORDER BY (that lets the planner walk leads_created over every lead of the workspace): the placement sorts them
        for r in try await sql.raw(q).all() {
            facts.earlierLeads.append(LeadPlacement.EarlierLead(
                id: try r.decode(column: "id", as: String.self), createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)),
                keys: try ["phone", "email", "wechat"].compactMap { try r.decode(column: $0, as: String?.self) }))
        }
    }

    /// What the matched rules need: their teams' active members, their users, the open-lead load,
    /// and the round-robin turns, reserved here (after matching, before anyone is placed) in one
    /// UPDATE per rule so that concurrent groups never hand out the same turn.
    private func readAssignment(_ plan: LeadPlacement, workspaceID ws: String, into facts: inout LeadPlacement.Facts,
                                sql: any SQLDatabase) async throws {
        func team(_ id: String) async throws -> [String] {
            if let m = facts.teamMembers[id] { return m }
            let m = try await AssignmentRuleStore.activeMembers(team: id, ws, sql: sql)
            facts.teamMembers[id] = m
            return m
        }
        for (rule, count) in plan.turnsToReserve {
            guard !(try await team(rule.teamID ?? "")).isEmpty else { continue }
            let end = try await sql.raw("UPDATE assignment_rules SET turn = turn + \(bind: count) WHERE id = \(bind: rule.id) RETURNING turn")
                .first()!.decode(column: "turn", as: Int64.self)
            facts.turns[rule.id] = end - Int64(count)
        }
        for t in plan.leastLoadedTeams { _ = try await team(t) }
        for u in plan.ruleUsers where facts.activeUsers[u] == nil { facts.activeUsers[u] = try await AccessStore.activeMember(u, ws, sql: sql) }
        if plan.needsLoad(facts) {
            for r in try await sql.raw("""
                SELECT owner_id, COUNT(*) AS n FROM leads WHERE workspace_id = \(bind: ws) AND owner_id IS NOT NULL
                AND status IN ('new', 'contacted', 'qualified') GROUP BY owner_id
                """).all() { facts.openLeads[try r.decode(column: "owner_id", as: String.self)] = try r.decode(column: "n", as: Int.self) }
        }
    }

    /// Rows, history and audit for the placed group.
    private func write(_ placed: [LeadPlacement.Placed], _ items: [LeadCapture], workspaceID ws: String, now: Date, sql: any SQLDatabase) async throws {
        var rows: [[any Encodable & Sendable]] = []
        var entries: [TimelineEntry] = []
        rows.reserveCapacity(placed.count)
        for (p, item) in zip(placed, items) {
            let l = p.lead
            rows.append([l.id, ws, l.name, l.company, l.title, l.phone, l.email, l.wechat, l.province, l.city, l.productInterest, l.tier, l.source,
                         l.campaign, l.utm.isEmpty ? nil : JSONCoding.encode(l.utm), l.message, l.channel.rawValue, l.status.rawValue, l.ownerID,
                         l.ruleID, l.assignedAt?.millis, l.responseDueAt?.millis, l.duplicateOfCustomerID, l.duplicateOfLeadID, item.sourceID,
                         l.version, now.millis, now.millis])
            entries.append(TimelineEntry.event(l.id, .created, author: item.scope.userID, now: now, data: p.created))
            if let moved = p.ownerChange {
                entries.append(TimelineEntry.event(l.id, .ownerChanged, author: item.scope.userID, now: now, data: moved))
            }
        }
        try await CustomerRows.insertRows("leads", """
            id, workspace_id, name, company, title, phone, email, wechat, province, city, product_interest, tier, source, campaign, utm_json, message,
            channel, status, owner_id, rule_id, assigned_at, response_due_at, dup_customer_id, dup_lead_id, source_id, version, created_at, updated_at
            """, rows, sql: sql)
        // the group's entries (each by its own capturer) in one insert
        try await TimelineStore.append(entries, workspaceID: ws, sql: sql)
        // audit in arrival order, one append per run of the same actor
        var start = 0
        while start < items.count {
            var end = start + 1
            while end < items.count && items[end].scope.userID == items[start].scope.userID && items[end].scope.tokenID == items[start].scope.tokenID { end += 1 }
            try await Tx(sql: sql, scope: items[start].scope, now: now, db: db).audit((start..<end).map { i in
                AuditEvent("create", "leads", placed[i].lead.id, detail: ["channel": .string(placed[i].lead.channel.rawValue),
                                                                         "source_id": items[i].sourceID.map(JSONValue.string) ?? .null])
            })
            try await Tx(sql: sql, scope: items[start].scope, now: now, db: db).publish(.leadCaptured, (start..<end).map { (id: placed[$0].lead.id, data: placed[$0].lead) })
            start = end
        }
    }
}
