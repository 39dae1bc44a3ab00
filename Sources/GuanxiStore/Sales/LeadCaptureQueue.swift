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

    private func placeGroup(_ items: [LeadCapture], workspaceID ws: String, now: Date, sql: any SQLDatabase) async throws -> [Lead] {
        var leads = items.map(\.lead)
        // duplicates: customers' identities, earlier leads, and earlier leads of this same group
        let keys = Set(leads.flatMap { [$0.phone, $0.email, $0.wechat].compactMap { $0 } })
        var customerOf: [String: String] = [:]
        var leadOf: [String: String] = [:]
        if !keys.isEmpty {
            let byKind: [(String, Set<String>)] = [("phone", Set(leads.compactMap(\.phone))), ("email", Set(leads.compactMap(\.email))),
                                                   ("wechat_id", Set(leads.compactMap(\.wechat)))]
            var idParts: [SQLQueryString] = []
            for (kind, values) in byKind where !values.isEmpty {
                idParts.append("""
                    SELECT i.value, i.customer_id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                    WHERE i.workspace_id = \(bind: ws) AND i.kind = \(bind: kind) AND i.value IN (\(binds: values.sorted())) AND c.deleted_at IS NULL
                    """)
            }
            var iq = idParts[0]
            for p in idParts.dropFirst() { iq += " UNION ALL "; iq += p }
            for r in try await sql.raw(iq).all() { customerOf[try r.decode(column: "value", as: String.self)] = try r.decode(column: "customer_id", as: String.self) }
            // one indexed look-up per column with only that column's values (an OR would scan every lead)
            var parts: [SQLQueryString] = []
            for (kind, values) in byKind where !values.isEmpty {
                let column = kind == "wechat_id" ? "wechat" : kind
                parts.append("SELECT id, phone, email, wechat, created_at FROM leads WHERE workspace_id = \(bind: ws) AND \(unsafeRaw: column) IN (\(binds: values.sorted()))")
            }
            var q = parts[0]
            for p in parts.dropFirst() { q += " UNION ALL "; q += p }
            // sorted here, not by ORDER BY: that lets the planner walk leads_created over every lead of the workspace
            var found: [(at: Int64, id: String, keys: [String])] = []
            for r in try await sql.raw(q).all() {
                found.append((try r.decode(column: "created_at", as: Int64.self), try r.decode(column: "id", as: String.self),
                              try ["phone", "email", "wechat"].compactMap { try r.decode(column: $0, as: String?.self) }))
            }
            for f in found.sorted(by: { ($0.at, $0.id) < ($1.at, $1.id) }) { for k in f.keys where leadOf[k] == nil { leadOf[k] = f.id } }   // oldest wins
        }
        for i in leads.indices {
            let own = [leads[i].phone, leads[i].email, leads[i].wechat].compactMap { $0 }
            leads[i].duplicateOfCustomerID = own.lazy.compactMap { customerOf[$0] }.first
            leads[i].duplicateOfLeadID = own.lazy.compactMap { leadOf[$0] }.first
            for k in own where leadOf[k] == nil { leadOf[k] = leads[i].id }
        }
        // a named owner (checked by the caller's rights) must be an active member; the rest go by rule
        for l in leads { if let o = l.ownerID { try await requireActiveMember(o, ws, sql: sql) } }
        // assignment: each lead's first matching rule, round-robin turns taken together per rule
        let rules = try await AssignmentRuleStore.rules(ws, sql: sql)
        let matched = zip(leads, Assigner.rules(for: leads, in: rules)).map { $0.ownerID == nil ? $1 : nil }
        var members: [String: [String]] = [:]
        func team(_ id: String) async throws -> [String] {
            if let m = members[id] { return m }
            let m = try await AssignmentRuleStore.activeMembers(team: id, ws, sql: sql)
            members[id] = m
            return m
        }
        var owners = leads.map(\.ownerID)
        var turns: [String: Int64] = [:]
        for rule in rules where rule.method == .roundRobin {
            let count = matched.filter { $0?.id == rule.id }.count
            guard count > 0, !(try await team(rule.teamID ?? "")).isEmpty else { continue }
            let end = try await sql.raw("UPDATE assignment_rules SET turn = turn + \(bind: count) WHERE id = \(bind: rule.id) RETURNING turn")
                .first()!.decode(column: "turn", as: Int64.self)
            turns[rule.id] = end - Int64(count)
        }
        var load: [String: Int]?
        var active: [String: Bool] = [:]
        for (i, rule) in matched.enumerated() {
            guard let rule else { continue }
            switch rule.method {
            case .pool: owners[i] = nil
            case .user:
                let u = rule.userID ?? ""
                if active[u] == nil { active[u] = try await AccessStore.activeMember(u, ws, sql: sql) }
                owners[i] = active[u]! ? rule.userID : nil
            case .roundRobin:
                let m = try await team(rule.teamID ?? "")
                if let t = turns[rule.id] { owners[i] = Assigner.roundRobin(members: m, turn: t); turns[rule.id] = t + 1 }
            case .leastLoaded:
                let m = try await team(rule.teamID ?? "")
                guard !m.isEmpty else { continue }
                if load == nil {
                    var l: [String: Int] = [:]
                    for r in try await sql.raw("""
                        SELECT owner_id, COUNT(*) AS n FROM leads WHERE workspace_id = \(bind: ws) AND owner_id IS NOT NULL
                        AND status IN ('new', 'contacted', 'qualified') GROUP BY owner_id
                        """).all() { l[try r.decode(column: "owner_id", as: String.self)] = try r.decode(column: "n", as: Int.self) }
                    load = l
                }
                if let o = Assigner.leastLoaded(members: m, load: load!) { owners[i] = o; load![o, default: 0] += 1 }
            }
        }
        // rows, history and audit
        var rows: [[any Encodable & Sendable]] = []
        var entries: [TimelineEntry] = []
        for i in leads.indices {
            var reason = "rule"
            if owners[i] == nil, items[i].creatorKeeps, let me = items[i].scope.userID { owners[i] = me; reason = "creator" }
            var l = leads[i]
            l.ownerID = owners[i]; l.ruleID = matched[i]?.id
            if l.ownerID != nil {
                l.assignedAt = now
                if let m = matched[i]?.responseMinutes { l.responseDueAt = now.addingTimeInterval(Double(m) * 60) }
            }
            leads[i] = l
            rows.append([l.id, ws, l.name, l.company, l.title, l.phone, l.email, l.wechat, l.province, l.city, l.productInterest, l.tier, l.source,
                         l.campaign, l.utm.isEmpty ? nil : JSONCoding.encode(l.utm), l.message, l.channel.rawValue, l.status.rawValue, l.ownerID,
                         l.ruleID, l.assignedAt?.millis, l.responseDueAt?.millis, l.duplicateOfCustomerID, l.duplicateOfLeadID, items[i].sourceID,
                         l.version, now.millis, now.millis])
            var data: [String: JSONValue] = ["name": .string(l.name), "channel": .string(l.channel.rawValue)]
            if let s = l.source { data["source"] = .string(s) }
            if let d = l.duplicateOfCustomerID { data["duplicate_of_customer_id"] = .string(d) }
            if let d = l.duplicateOfLeadID { data["duplicate_of_lead_id"] = .string(d) }
            entries.append(TimelineEntry.event(l.id, .created, author: items[i].scope.userID, now: now, data: data))
            if l.ruleID != nil || reason == "creator" {
                var moved: [String: JSONValue] = ["from": .null, "to": l.ownerID.map(JSONValue.string) ?? .null, "reason": .string(reason)]
                if let r = l.ruleID { moved["rule_id"] = .string(r) }
                entries.append(TimelineEntry.event(l.id, .ownerChanged, author: items[i].scope.userID, now: now, data: moved))
            }
        }
        try await CustomerRows.insertRows("leads", """
            id, workspace_id, name, company, title, phone, email, wechat, province, city, product_interest, tier, source, campaign, utm_json, message,
            channel, status, owner_id, rule_id, assigned_at, response_due_at, dup_customer_id, dup_lead_id, source_id, version, created_at, updated_at
            """, rows, sql: sql)
        try await TimelineStore.append(entries, workspaceID: ws, sql: sql)
        // audit in arrival order, one append per run of the same actor
        var start = 0
        while start < items.count {
            var end = start + 1
            while end < items.count && items[end].scope.userID == items[start].scope.userID && items[end].scope.tokenID == items[start].scope.tokenID { end += 1 }
            try await AuditLog.append((start..<end).map { i in
                AuditEvent("create", "leads", leads[i].id, detail: ["channel": .string(leads[i].channel.rawValue),
                                                                    "source_id": items[i].sourceID.map(JSONValue.string) ?? .null])
            }, scope: items[start].scope, at: now, dialect: db.dialect, sql: sql)
            start = end
        }
        return leads
    }
}
