import Foundation
import SQLKit
import GuanxiCore

/// A customer's behaviour as the API and the 360 page show it: the computed profile and what
/// events did to the customer's fields (each field's last decision, with its source and time).
package struct CustomerBehaviour: Sendable {
    package var profile: BehaviourProfile
    package var fields: [TraitFieldRecord]
}

/// The last decision about one customer field an identify's traits named.
package struct TraitFieldRecord: Sendable, Equatable {
    package var field: String
    package var value: String
    package var action: String
    package var sourceID: String
    package var sourceName: String?
    package var decidedAt: Date
}

/// A customer's events grouped into visits, newest first, with the events they hold.
package struct BehaviourSessions: Sendable {
    package var sessions: [BehaviourSession]
    package var events: [StoredEvent]
    /// Whether older events were left out (more than the read's limit).
    package var more: Bool
    /// Where the visits before the shown ones start (nil: none older).
    package var older: String? = nil
}

/// What a deletion on request removed and refused from then on.
package struct EventDeletion: Sendable, Encodable {
    package var events: Int
    package var refusedIDs: Int
    enum CodingKeys: String, CodingKey { case events = "deleted_events", refusedIDs = "refused_ids" }
}

/// The workspace's event settings: how long events are kept (nil: for ever) and which customer
/// fields events may overwrite after staff have edited them.
package struct EventSettings: Sendable, Equatable {
    package var retentionDays: Int?
    package var overwrite: Set<TraitMerge.Field>
    package var version: Int
    package init(retentionDays: Int? = nil, overwrite: Set<TraitMerge.Field> = [], version: Int = 1) {
        self.retentionDays = retentionDays; self.overwrite = overwrite; self.version = version
    }
}

extension EventStore {
    // MARK: Profiles at intake

    /// Whose profile an event counts in: its customer's, or the visitor's own until someone knows
    /// who they are (placeholder ids have none: a thousand visitors sending `null` are no one).
    static func person(customer: String?, _ m: EventMessage) -> String? {
        if let customer { return customer }
        if let a = m.anonymousID, IdentityLink.usable(a) { return "a:" + a }
        if let u = m.userID, IdentityLink.usable(u) { return "u:" + u }
        return nil
    }

    /// Adds a group's stored events to their people's profiles: one read of the profiles, the
    /// rules (`BehaviourProfile.apply`), one multi-row upsert.
    static func updateProfiles(_ stored: [(ws: String, m: EventMessage)], known: [String: [String: String]], now: Date, sql: any SQLDatabase) async throws {
        var byPerson: [String: [String: [EventMessage]]] = [:]
        var customerOf: [String: String] = [:]
        for (ws, m) in stored {
            let ids = known[ws] ?? [:]
            let customer = m.userID.flatMap { ids[$0] } ?? m.anonymousID.flatMap { ids[$0] }
            guard let p = person(customer: customer, m) else { continue }
            byPerson[ws, default: [:]][p, default: []].append(m)
            if let customer { customerOf[ws + "\u{1F}" + p] = customer }
        }
        for (ws, people) in byPerson {
            var profiles = try await loadProfiles(ws, Array(people.keys), sql: sql)
            var rows: [[any Encodable & Sendable]] = []
            for (p, messages) in people {
                var profile = profiles[p] ?? BehaviourProfile()
                profile.apply(messages)
                profiles[p] = profile
                rows.append([ws, p, customerOf[ws + "\u{1F}" + p], profile.lastSeen?.millis, JSONCoding.encode(profile.json), now.millis])
            }
            try await upsertProfiles(rows, sql: sql)
        }
    }

    static func loadProfiles(_ ws: String, _ people: [String], sql: any SQLDatabase) async throws -> [String: BehaviourProfile] {
        var out: [String: BehaviourProfile] = [:]
        for chunk in people.chunked(500) where !chunk.isEmpty {
            for r in try await sql.raw("SELECT person, data_json FROM event_profiles WHERE workspace_id = \(bind: ws) AND person IN (\(binds: Array(chunk)))").all() {
                out[try r.decode(column: "person", as: String.self)] = BehaviourProfile(json: (try? JSONParser.parse(try r.decode(column: "data_json", as: String.self))) ?? .null)
            }
        }
        return out
    }

    static func upsertProfiles(_ rows: [[any Encodable & Sendable]], sql: any SQLDatabase) async throws {
        _ = try await BulkSQL.insert("event_profiles", "workspace_id, person, customer_id, last_seen, data_json, updated_at", rows, suffix: """
            ON CONFLICT (workspace_id, person) DO UPDATE SET customer_id = excluded.customer_id, last_seen = excluded.last_seen,
              data_json = excluded.data_json, updated_at = excluded.updated_at
            """, sql: sql)
    }

    /// A visitor turned out to be a customer: their ids' profiles join the customer's.
    static func foldProfiles(_ ws: String, ids: [String], into customer: String, now: Date, sql: any SQLDatabase) async throws {
        let visitors = ids.flatMap { ["a:" + $0, "u:" + $0] }
        let found = try await loadProfiles(ws, visitors + [customer], sql: sql)
        let theirs = visitors.compactMap { found[$0] }
        guard !theirs.isEmpty else { return }
        var profile = found[customer] ?? BehaviourProfile()
        for p in theirs { profile.merge(p) }
        try await upsertProfiles([[ws, customer, customer, profile.lastSeen?.millis, JSONCoding.encode(profile.json), now.millis]], sql: sql)
        for chunk in visitors.chunked(500) {
            try await sql.raw("DELETE FROM event_profiles WHERE workspace_id = \(bind: ws) AND person IN (\(binds: Array(chunk)))").run()
        }
    }

    // MARK: Traits into the customer

    /// An identify's traits into its customer's fields (`TraitMerge` decides each), the change
    /// audited and published like a staff member's, every decision recorded with its source and time.
    static func mergeTraits(_ traits: [String: JSONValue], into id: String, message m: EventMessage, key: SourceKey, tx: Tx,
                            clock: any GuanxiCore.Clock) async throws {
        let ws = key.workspaceID, scope = tx.scope
        guard let old = try? await CustomerStore.load(scope, id, sql: tx.sql) else { return }
        var written: [String: String] = [:]
        for r in try await tx.sql.raw("SELECT field, written FROM event_trait_fields WHERE workspace_id = \(bind: ws) AND customer_id = \(bind: id)").all() {
            if let w = try r.decode(column: "written", as: String?.self) { written[try r.decode(column: "field", as: String.self)] = w }
        }
        let customers = CustomerStore(db: tx.db, clock: clock)
        let (email, phone) = TraitMerge.identities(traits)
        let asked = [email.map { Identity(kind: .email, value: $0) }, phone.map { Identity(kind: .phone, value: $0) }].compactMap { $0 }
        let holders = try await customers.identityHolders(scope, asked, sql: tx.sql, except: id)
        let taken = Set(asked.filter { holders[$0.kind.rawValue + ":" + $0.value] != nil }.map(\.value))
        let first = old.addresses.first
        let current = TraitMerge.Current(name: old.name, emails: old.emails, phones: old.phones, birthday: old.birthday, city: first?.city, province: first?.province)
        var outcome = TraitMerge.decide(traits: traits, current: current, written: written, overwrite: try await settings(ws, sql: tx.sql).overwrite,
                                        taken: taken, today: BehaviourProfile.day(tx.now))
        var draft = CustomerDraft()
        for d in outcome.decisions where d.writes {
            switch d.field {
            case .name: draft.name = d.value
            case .email: draft.emails = (draft.emails ?? old.emails) + [d.value]
            case .phone: draft.phones = (draft.phones ?? old.phones) + [d.value]
            case .birthday: draft.birthday = .some(d.value)
            case .city, .province:
                var addresses = draft.addresses ?? old.addresses
                if addresses.isEmpty { addresses = [Address()] }
                if d.field == .city { addresses[0].city = d.value } else { addresses[0].province = d.value }
                draft.addresses = addresses
            }
        }
        if outcome.decisions.contains(where: \.writes),
           try await change(id, scope: scope, tx: tx, customers: customers, message: m, key: key, { _ in draft }) == .refused {
            for i in outcome.decisions.indices where outcome.decisions[i].writes { outcome.decisions[i].action = .invalid }
        }
        for d in outcome.decisions {
            try await tx.sql.raw("""
                INSERT INTO event_trait_fields (workspace_id, customer_id, field, value, action, written, source_id, message_id, decided_at)
                VALUES (\(bind: ws), \(bind: id), \(bind: d.field.rawValue), \(bind: d.value), \(bind: d.action.rawValue),
                        \(bind: d.writes ? d.value : nil), \(bind: key.sourceID), \(bind: m.messageID), \(bind: tx.now.millis))
                ON CONFLICT (workspace_id, customer_id, field) DO UPDATE SET value = excluded.value, action = excluded.action,
                  written = COALESCE(excluded.written, event_trait_fields.written), source_id = excluded.source_id,
                  message_id = excluded.message_id, decided_at = excluded.decided_at
                """).run()
        }
    }

    // MARK: Reading a customer's behaviour

    /// The customer's profile and field decisions (nil: no events yet), for a scope that may read the customer.
    package func behaviour(_ scope: Scope, customerID: String) async throws -> CustomerBehaviour? {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let id = customerID.lowercased()
        return try await db.read { sql in
            _ = try await CustomerStore.load(scope, id, for: .read, sql: sql)
            let profile = try await Self.loadProfiles(scope.workspaceID, [id], sql: sql)[id]
            let fields = try await sql.raw("""
                SELECT f.field, f.value, f.action, f.source_id, f.decided_at, s.name FROM event_trait_fields f
                LEFT JOIN event_sources s ON s.id = f.source_id
                WHERE f.workspace_id = \(bind: scope.workspaceID) AND f.customer_id = \(bind: id) ORDER BY f.field
                """).all().map { r in
                TraitFieldRecord(field: try r.decode(column: "field", as: String.self), value: try r.decode(column: "value", as: String.self),
                                 action: try r.decode(column: "action", as: String.self), sourceID: try r.decode(column: "source_id", as: String.self),
                                 sourceName: try r.decode(column: "name", as: String?.self),
                                 decidedAt: Date(millis: try r.decode(column: "decided_at", as: Int64.self)))
            }
            guard profile != nil || !fields.isEmpty else { return nil }
            return CustomerBehaviour(profile: profile ?? BehaviourProfile(), fields: fields)
        }
    }

    /// The customer's latest events (at most `limit`) grouped into visits; `before` (a cursor a
    /// previous read answered as `older`) reads the events before it, so every visit can be reached.
    package func sessions(_ scope: Scope, customerID: String, limit: Int = 1_000, before: String? = nil, shown: Int = 10) async throws -> BehaviourSessions {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let id = customerID.lowercased()
        let after: (Int64, Int64)?
        if let before {
            guard let (t, s) = try? Cursor.timeAndID(before), let seq = Int64(s) else { throw DomainError.field("visits", "is not a cursor this server issued") }
            after = (t, seq)
        } else { after = nil }
        let events = try await db.read { sql in
            _ = try await CustomerStore.load(scope, id, for: .read, sql: sql)
            var q = SQLQueryString("""
                SELECT seq, type, event, message_id, anonymous_id, user_id, customer_id, source_id, occurred_at, received_at, properties_json FROM events
                WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: id)
                """)
            if let (t, seq) = after { q += " AND (occurred_at < \(bind: t) OR (occurred_at = \(bind: t) AND seq < \(bind: seq)))" }
            q += " ORDER BY occurred_at DESC, seq DESC LIMIT \(literal: limit + 1)"
            return try await sql.raw(q).all().map(Self.decodeEvent)
        }
        let kept = Array(events.prefix(limit))
        let sessions = BehaviourSession.group(kept.map { (EventType(rawValue: $0.type) ?? .track, $0.event, $0.timestamp) })
        // older visits start before the earliest event of the last visit shown
        var older: String? = nil
        if sessions.count > shown || events.count > limit {
            let last = sessions.prefix(shown).last
            if let first = last?.items.max().map({ kept[$0] }) { older = Cursor.timeAndID(first.timestamp, String(first.seq)) }
        }
        return BehaviourSessions(sessions: sessions, events: kept, more: events.count > limit, older: older)
    }

    static func decodeEvent(_ r: any SQLRow) throws -> StoredEvent {
        StoredEvent(seq: try r.decode(column: "seq", as: Int64.self), type: try r.decode(column: "type", as: String.self),
                    event: try r.decode(column: "event", as: String?.self), messageID: try r.decode(column: "message_id", as: String.self),
                    anonymousID: try r.decode(column: "anonymous_id", as: String?.self), userID: try r.decode(column: "user_id", as: String?.self),
                    sourceID: try r.decode(column: "source_id", as: String.self),
                    timestamp: Date(millis: try r.decode(column: "occurred_at", as: Int64.self)),
                    receivedAt: Date(millis: try r.decode(column: "received_at", as: Int64.self)),
                    properties: (try? JSONParser.parse(try r.decode(column: "properties_json", as: String.self))) ?? .object([:]),
                    customerID: (try? r.decode(column: "customer_id", as: String?.self)) ?? nil)
    }

    // MARK: Deletion on request

    /// The suppression entry that keeps a deleted person's customer from being linked again.
    static func suppressionKey(_ customerID: String) -> String { "customer:" + customerID }

    /// Deletes the customer's events, profile, field decisions and links (personal information
    /// protection), and refuses their ids' events from now on (`event_suppressions`), audited.
    /// The customer record itself stays: deleting it is the customer's own operation.
    package func deleteEvents(_ scope: Scope, customerID: String) async throws -> EventDeletion {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let id = customerID.lowercased()
        return try await db.write(scope, at: clock.now()) { tx in
            let sql = tx.sql, ws = scope.workspaceID
            _ = try await CustomerStore.load(scope, id, for: .delete, sql: sql)
            var ids = Set<String>()
            for r in try await sql.raw("SELECT value FROM event_identities WHERE workspace_id = \(bind: ws) AND customer_id = \(bind: id)").all() {
                ids.insert(try r.decode(column: "value", as: String.self))
            }
            for r in try await sql.raw("SELECT DISTINCT anonymous_id, user_id FROM events WHERE workspace_id = \(bind: ws) AND customer_id = \(bind: id)").all() {
                for v in [try r.decode(column: "anonymous_id", as: String?.self), try r.decode(column: "user_id", as: String?.self)] { if let v { ids.insert(v) } }
            }
            let usable = ids.filter { IdentityLink.usable($0) }.sorted()
            var deleted = try await sql.raw("SELECT COUNT(*) AS n FROM events WHERE workspace_id = \(bind: ws) AND customer_id = \(bind: id)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            try await sql.raw("DELETE FROM events WHERE workspace_id = \(bind: ws) AND customer_id = \(bind: id)").run()
            for chunk in usable.chunked(400) where !chunk.isEmpty {
                let c = Array(chunk)
                deleted += try await sql.raw("""
                    SELECT COUNT(*) AS n FROM events WHERE workspace_id = \(bind: ws) AND customer_id IS NULL AND (anonymous_id IN (\(binds: c)) OR user_id IN (\(binds: c)))
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                try await sql.raw("""
                    DELETE FROM events WHERE workspace_id = \(bind: ws) AND customer_id IS NULL AND (anonymous_id IN (\(binds: c)) OR user_id IN (\(binds: c)))
                    """).run()
                try await sql.raw("DELETE FROM event_profiles WHERE workspace_id = \(bind: ws) AND person IN (\(binds: c.flatMap { ["a:" + $0, "u:" + $0] }))").run()
            }
            try await sql.raw("DELETE FROM event_profiles WHERE workspace_id = \(bind: ws) AND person = \(bind: id)").run()
            try await sql.raw("DELETE FROM event_trait_fields WHERE workspace_id = \(bind: ws) AND customer_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM event_identities WHERE workspace_id = \(bind: ws) AND customer_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM event_link_decisions WHERE workspace_id = \(bind: ws) AND (customer_id = \(bind: id) OR other_customer_id = \(bind: id))").run()
            let refused = usable + [Self.suppressionKey(id)]
            _ = try await BulkSQL.insert("event_suppressions", "workspace_id, value, customer_id, created_at",
                                         refused.map { v -> [any Encodable & Sendable] in [ws, v, id, tx.now.millis] }, suffix: "ON CONFLICT (workspace_id, value) DO NOTHING", sql: sql)
            try await tx.audit("delete_events", "customers", id, detail: .object(["deleted_events": .number(Double(deleted)), "refused_ids": .number(Double(refused.count))]))
            return EventDeletion(events: deleted, refusedIDs: refused.count)
        }
    }

    // MARK: Settings

    static func settings(_ ws: String, sql: any SQLDatabase) async throws -> EventSettings {
        guard let r = try await sql.raw("SELECT retention_days, overwrite_json, version FROM event_settings WHERE workspace_id = \(bind: ws)").first() else {
            return EventSettings()
        }
        return EventSettings(retentionDays: try r.decode(column: "retention_days", as: Int?.self),
                             overwrite: Set(JSONParser.strings(try r.decode(column: "overwrite_json", as: String.self)).compactMap(TraitMerge.Field.init(rawValue:))),
                             version: try r.decode(column: "version", as: Int.self))
    }
}
