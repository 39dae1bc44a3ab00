import Foundation
import Synchronization
import SQLKit
import GuanxiCore

/// A workspace's business calendars (by name, in the JSON format `guanxi sla due` reads) and SLA
/// policies. Changing either plans the dues of every open ticket again.
package struct ServiceSettingsStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    package init(db: Database, clock: any GuanxiCore.Clock) { self.db = db; self.clock = clock }

    /// A calendar as stored: its name and its JSON (as given, validated).
    package struct NamedCalendar: Sendable, Encodable {
        package var name: String
        package var spec: JSONValue
    }

    package func calendars(_ scope: Scope) async throws -> [NamedCalendar] {
        try scope.require(.tickets, .read)
        return try await db.read { sql in
            try await sql.raw("SELECT name, spec_json FROM business_calendars WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY name")
                .all().map { r in
                    NamedCalendar(name: try r.decode(column: "name", as: String.self),
                                  spec: try JSONParser.parse(try r.decode(column: "spec_json", as: String.self)))
                }
        }
    }

    /// Saves (creates or replaces) a calendar from its JSON text; every bad field is named.
    package func saveCalendar(_ scope: Scope, name raw: String, json: String) async throws -> NamedCalendar {
        try requireSettings(scope)
        let name = Text.clean(raw)
        guard !name.isEmpty, name.count <= 60 else { throw DomainError.field("name", "must be 1 to 60 characters") }
        _ = try BusinessCalendar.parse(json)
        let spec = try JSONParser.parse(json)
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("""
                INSERT INTO business_calendars (workspace_id, name, spec_json, updated_at)
                VALUES (\(bind: scope.workspaceID), \(bind: name), \(bind: JSONCoding.encode(spec)), \(bind: now.millis))
                ON CONFLICT (workspace_id, name) DO UPDATE SET spec_json = excluded.spec_json, updated_at = excluded.updated_at
                """).run()
            try await tx.audit("save", "business_calendars", name, detail: spec)
            _ = try await TicketStore.replanOpen(scope.workspaceID, now: now, sql: tx.sql)
        }
        return NamedCalendar(name: name, spec: spec)
    }

    /// The workspace's policies by position; the standard one (on the calendar named "default", if
    /// there is one) when it has defined none.
    package func policies(_ scope: Scope) async throws -> [SLAPolicy] {
        try await db.read { sql in try await Self.policies(scope.workspaceID, sql: sql) }
    }

    static func policies(_ workspaceID: String, sql: any SQLDatabase) async throws -> [SLAPolicy] {
        let rows = try await sql.raw("""
            SELECT id, name, position, types, channels, tiers, targets_json, calendar, active FROM sla_policies
            WHERE workspace_id = \(bind: workspaceID) ORDER BY position, id
            """).all()
        if rows.isEmpty {
            let hasDefault = try await sql.raw("""
                SELECT 1 AS x FROM business_calendars WHERE workspace_id = \(bind: workspaceID) AND name = 'default'
                """).first() != nil
            return [SLAPolicy.standard(id: "standard", calendarID: hasDefault ? "default" : nil)]
        }
        return try rows.map { r in
            func list(_ c: String) throws -> [String] { try r.decode(column: c, as: String.self).split(separator: ",").map(String.init) }
            let targets = try JSONDecoder().decode([String: SLATargets].self, from: Data(try r.decode(column: "targets_json", as: String.self).utf8))
            return SLAPolicy(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                             position: try r.decode(column: "position", as: Int.self),
                             types: try list("types").compactMap(TicketType.init), channels: try list("channels").compactMap(TicketChannel.init),
                             tiers: try list("tiers"),
                             targets: Dictionary(uniqueKeysWithValues: targets.compactMap { k, v in TicketPriority(rawValue: k).map { ($0, v) } }),
                             calendarID: try r.decode(column: "calendar", as: String?.self), active: try r.decode(column: "active", as: Int.self) != 0)
        }
    }

    /// Saves (creates or replaces) a policy under its id.
    package func savePolicy(_ scope: Scope, _ policy: SLAPolicy) async throws -> SLAPolicy {
        try requireSettings(scope)
        var e = FieldErrors()
        let id = policy.id.lowercased()
        if id.isEmpty || id.count > 40 || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            e.add("id", "must be 1 to 40 letters, digits, - or _")
        }
        let name = Text.clean(policy.name)
        if name.isEmpty || name.count > 80 { e.add("name", "must be 1 to 80 characters") }
        for (p, t) in policy.targets {
            for (k, m) in [("first_response", t.firstResponse), ("next_response", t.nextResponse), ("resolution", t.resolution)] {
                if let m, m < 1 || m > 525_600 { e.add("targets.\(p.rawValue).\(k)", "must be 1 to 525600 business minutes") }
            }
        }
        try e.throwIfAny()
        let now = clock.now()
        var saved = policy
        saved.id = id; saved.name = name
        let targets = Dictionary(uniqueKeysWithValues: policy.targets.map { ($0.key.rawValue, $0.value) })
        try await db.write(scope, at: now) { tx in
            if let cal = policy.calendarID {
                guard try await tx.sql.raw("""
                    SELECT 1 AS x FROM business_calendars WHERE workspace_id = \(bind: scope.workspaceID) AND name = \(bind: cal)
                    """).first() != nil else { throw DomainError.field("calendar", "no calendar named '\(cal)'") }
            }
            try await tx.sql.raw("""
                INSERT INTO sla_policies (workspace_id, id, name, position, types, channels, tiers, targets_json, calendar, active, updated_at)
                VALUES (\(bind: scope.workspaceID), \(bind: id), \(bind: name), \(bind: policy.position),
                  \(bind: policy.types.map(\.rawValue).joined(separator: ",")), \(bind: policy.channels.map(\.rawValue).joined(separator: ",")),
                  \(bind: policy.tiers.joined(separator: ",")), \(bind: String(decoding: try JSONEncoder().encode(targets), as: UTF8.self)),
                  \(bind: policy.calendarID), \(bind: policy.active ? 1 : 0), \(bind: now.millis))
                ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name, position = excluded.position, types = excluded.types,
                  channels = excluded.channels, tiers = excluded.tiers, targets_json = excluded.targets_json, calendar = excluded.calendar,
                  active = excluded.active, updated_at = excluded.updated_at
                """).run()
            try await tx.audit("save", "sla_policies", id)
            _ = try await TicketStore.replanOpen(scope.workspaceID, now: now, sql: tx.sql)
        }
        return saved
    }

    package func deletePolicy(_ scope: Scope, id: String) async throws {
        try requireSettings(scope)
        try await db.write(scope, at: clock.now()) { tx in
            try await tx.sql.raw("DELETE FROM sla_policies WHERE workspace_id = \(bind: scope.workspaceID) AND id = \(bind: id.lowercased())").run()
            try await tx.audit("delete", "sla_policies", id.lowercased())
            _ = try await TicketStore.replanOpen(scope.workspaceID, now: tx.now, sql: tx.sql)
        }
    }

    private func requireSettings(_ scope: Scope) throws {
        guard scope.level(.settings, .update) != nil else { throw DomainError.forbidden("only administrators change service settings") }
    }

    /// The calendars the policies name, parsed (a calendar's JSON was validated when saved). Every
    /// ticket write plans with them, so each text is parsed once per process (`parsed`).
    static func calendars(_ workspaceID: String, sql: any SQLDatabase) async throws -> [String: BusinessCalendar] {
        var out: [String: BusinessCalendar] = [:]
        for r in try await sql.raw("SELECT name, spec_json FROM business_calendars WHERE workspace_id = \(bind: workspaceID)").all() {
            let text = try r.decode(column: "spec_json", as: String.self)
            let calendar: BusinessCalendar
            if let known = parsed.withLock({ $0[text] }) {
                calendar = known
            } else {
                calendar = try BusinessCalendar.parse(text)
                parsed.withLock { cache in
                    if cache.count >= 256 { cache.removeAll() }
                    cache[text] = calendar
                }
            }
            out[try r.decode(column: "name", as: String.self)] = calendar
        }
        return out
    }

    private static let parsed = Mutex<[String: BusinessCalendar]>([:])
}

/// What the SLA of a workspace's tickets is planned with, read once per write.
struct ServiceRules: Sendable {
    let policies: [SLAPolicy]
    let calendars: [String: BusinessCalendar]

    static func load(_ workspaceID: String, sql: any SQLDatabase) async throws -> ServiceRules {
        ServiceRules(policies: try await ServiceSettingsStore.policies(workspaceID, sql: sql),
                     calendars: try await ServiceSettingsStore.calendars(workspaceID, sql: sql))
    }

    /// The workspace's rules read and applied to one ticket (each write to a ticket plans with them).
    static func plan(_ t: Ticket, tier: String?, workspaceID: String, sql: any SQLDatabase) async throws -> (SLAPolicy?, SLATargets?, BusinessCalendar) {
        try await load(workspaceID, sql: sql).plan(type: t.type, channel: t.channel, priority: t.priority, tier: tier)
    }

    /// The policy, targets and calendar of a ticket of this kind.
    func plan(type: TicketType, channel: TicketChannel, priority: TicketPriority, tier: String?) -> (SLAPolicy?, SLATargets?, BusinessCalendar) {
        let policy = SLAPolicy.select(policies, type: type, channel: channel, tier: tier)
        let calendar = policy?.calendarID.flatMap { calendars[$0] } ?? .aroundTheClock
        return (policy, policy?.targets[priority], calendar)
    }
}
