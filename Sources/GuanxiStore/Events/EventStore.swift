import Foundation
import SQLKit
import Synchronization
import GuanxiCore

/// A source of behaviour events (a shop, an app) and its counters; its write key is shown once.
package struct EventSource: Sendable, Encodable, Equatable {
    package var id: String
    package var name: String
    /// The key's first characters, to tell keys apart.
    package var keyPrefix: String
    /// Browser origins the key may be sent from (`*`: any); server clients send none.
    package var allowedOrigins: [String]
    package var enabled: Bool
    package var received: Int64
    package var stored: Int64
    package var duplicates: Int64
    /// Events refused (invalid, a wrong key's source excepted, or of a person whose events were deleted on request).
    package var refused: Int64
    package var lastEventAt: Date?
    package var createdAt: Date
    package var version: Int
    enum CodingKeys: String, CodingKey {
        case id, name, keyPrefix = "key_prefix", allowedOrigins = "allowed_origins", enabled, received, stored, duplicates, refused,
             lastEventAt = "last_event_at", createdAt = "created_at", version
    }
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(keyPrefix, forKey: .keyPrefix)
        try c.encode(allowedOrigins, forKey: .allowedOrigins); try c.encode(enabled, forKey: .enabled); try c.encode(received, forKey: .received)
        try c.encode(stored, forKey: .stored); try c.encode(duplicates, forKey: .duplicates); try c.encode(refused, forKey: .refused)
        try c.encode(lastEventAt, forKey: .lastEventAt)
        try c.encode(createdAt, forKey: .createdAt); try c.encode(version, forKey: .version)
    }
}

/// A source with its new write key (create and rotate; the only time the key is shown).
package struct IssuedSource: Sendable, Encodable {
    package var source: EventSource
    package var writeKey: String
    enum CodingKeys: String, CodingKey { case source, writeKey = "write_key" }
}

/// What a write key opens: its source and workspace, whether it may be used, and from which origins.
package struct SourceKey: Sendable, Equatable {
    package var sourceID: String
    package var workspaceID: String
    package var enabled: Bool
    package var allowedOrigins: [String]

    /// Whether a browser page at `origin` may send with this key (no origin: a server client).
    package func allows(origin: String?) -> Bool {
        guard let origin, !origin.isEmpty else { return true }
        return allowedOrigins.contains("*") || allowedOrigins.contains { $0.caseInsensitiveCompare(origin) == .orderedSame }
    }
}

/// One stored event as the API shows it (and as the `event.received` webhook carries it).
package struct StoredEvent: Sendable, Encodable {
    package var seq: Int64
    package var type: String
    package var event: String?
    package var messageID: String
    package var anonymousID: String?
    package var userID: String?
    package var sourceID: String
    package var timestamp: Date
    package var receivedAt: Date
    package var properties: JSONValue
    /// The customer the event belongs to (nil: a visitor nobody knows yet).
    package var customerID: String? = nil
    enum CodingKeys: String, CodingKey {
        case type, event, timestamp, properties, messageID = "message_id", anonymousID = "anonymous_id", userID = "user_id",
             sourceID = "source_id", receivedAt = "received_at", customerID = "customer_id"
    }
    /// Absent values as null: every event answers the same keys.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type); try c.encode(event, forKey: .event); try c.encode(timestamp, forKey: .timestamp)
        try c.encode(properties, forKey: .properties); try c.encode(messageID, forKey: .messageID)
        try c.encode(anonymousID, forKey: .anonymousID); try c.encode(userID, forKey: .userID)
        try c.encode(sourceID, forKey: .sourceID); try c.encode(receivedAt, forKey: .receivedAt); try c.encode(customerID, forKey: .customerID)
    }
}

extension StoredEvent: WebhookFilterable {
    /// What a filter finds at `path` in the event's JSON, read from the event itself (ingest asks
    /// this of every event for an endpoint with filters; only the events passing are written as JSON).
    package func filterTexts(at path: ArraySlice<String>) -> [String] {
        guard let key = path.first else { return [] }
        let rest = path.dropFirst()
        func one(_ v: String?) -> [String] { rest.isEmpty ? v.map { [$0] } ?? [] : [] }
        switch key {
        case "type": return one(type)
        case "event": return one(event)
        case "message_id": return one(messageID)
        case "anonymous_id": return one(anonymousID)
        case "user_id": return one(userID)
        case "customer_id": return one(customerID)
        case "source_id": return one(sourceID)
        case "timestamp": return one(Timestamp.iso8601(timestamp))
        case "received_at": return one(Timestamp.iso8601(receivedAt))
        case "properties": return WebhookFilter.texts(at: rest, in: properties)
        default: return []
        }
    }
}

extension StoredEvent: JSONWritable {
    /// The same members as `encode(to:)`, in its sorted order.
    package func writeJSON(to w: inout JSONWriter) {
        func text(_ w: inout JSONWriter, _ v: String?) { if let v { w.string(v) } else { w.null() } }
        w.object { w in
            w.key("anonymous_id"); text(&w, anonymousID)
            w.key("customer_id"); text(&w, customerID)
            w.key("event"); text(&w, event)
            w.member("message_id", messageID)
            w.key("properties"); w.value(properties)
            w.member("received_at", receivedAt)
            w.member("source_id", sourceID)
            w.member("timestamp", timestamp)
            w.member("type", type)
            w.key("user_id"); text(&w, userID)
        }
    }
}

/// A recorded decision linking visitor ids to a customer (or refusing to join two customers).
package struct LinkDecisionRecord: Sendable, Encodable {
    package var id: String
    package var customerID: String?
    package var otherCustomerID: String?
    package var reason: String
    package var anonymousID: String?
    package var userID: String?
    package var linked: [String]
    package var decidedAt: Date
    enum CodingKeys: String, CodingKey {
        case id, reason, linked, customerID = "customer_id", otherCustomerID = "other_customer_id", anonymousID = "anonymous_id",
             userID = "user_id", decidedAt = "decided_at"
    }
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(reason, forKey: .reason); try c.encode(linked, forKey: .linked)
        try c.encode(customerID, forKey: .customerID); try c.encode(otherCustomerID, forKey: .otherCustomerID)
        try c.encode(anonymousID, forKey: .anonymousID); try c.encode(userID, forKey: .userID); try c.encode(decidedAt, forKey: .decidedAt)
    }
}

/// One request's events on their way in, and what became of them.
package struct EventIntakeItem: Sendable {
    package var key: SourceKey
    package var messages: [EventMessage]
    package var receivedAt: Date
    package init(key: SourceKey, messages: [EventMessage], receivedAt: Date) { self.key = key; self.messages = messages; self.receivedAt = receivedAt }
}
package struct EventIntakeResult: Sendable, Equatable {
    package var stored: Int
    package var duplicates: Int
    /// Events of ids whose events were deleted on request (answered like the others, never stored).
    package var suppressed = 0
}

/// Events are refused for now (the intake queue is full); the client should retry later.
package struct EventIntakeBusy: Error {}

/// Sources, their keys, the intake of events and the customer's events.
package final class EventStore: Sendable {
    let db: Database
    let clock: any GuanxiCore.Clock
    /// Requests arriving while a write runs share the next transaction.
    let queue: GroupCommit<EventIntakeItem, EventIntakeResult>
    /// Events accepted into the queue and not yet written; beyond `maxPending` requests are shed.
    package let pending = Atomic<Int>(0)
    package let maxPending: Int

    package init(db: Database, clock: any GuanxiCore.Clock, maxPending: Int = 200_000) {
        self.db = db; self.clock = clock; self.maxPending = maxPending
        queue = GroupCommit(maxBatch: 512, stats: db.stats, write: { items in try await EventStore.write(items, db: db, clock: clock) })
    }

    /// The write keys verified on this database.
    var keys: WriteKeyCache { WriteKeyCache.of(db) }

    /// Forgets verified keys here and on every server (after a source changed).
    func sourcesChanged(_ tx: Tx) async throws {
        try await tx.ring(WriteKeyCache.bell)
    }

    // MARK: Sources

    package func createSource(_ scope: Scope, name: String, allowedOrigins: [String] = []) async throws -> IssuedSource {
        let name = try Self.checkName(name)
        let origins = try Self.checkOrigins(allowedOrigins)
        let key = Secret.token(prefix: "gxw_")
        let id = ID.make()
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            try await tx.sql.raw("""
                INSERT INTO event_sources (id, workspace_id, name, key_hash, key_prefix, allowed_origins_json, enabled, created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: scope.workspaceID), \(bind: name), \(bind: Secret.hash(key)), \(bind: String(key.prefix(10))),
                        \(bind: JSONCoding.encode(origins)), 1, \(bind: now.millis), \(bind: now.millis), 1)
                """).run()
            try await tx.audit("create", "event_sources", id, detail: ["name": .string(name)])
        }
        return IssuedSource(source: try await source(scope, id: id), writeKey: key)
    }

    package func sources(_ scope: Scope) async throws -> [EventSource] {
        try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.sourceColumns) FROM event_sources WHERE workspace_id = \(bind: scope.workspaceID) ORDER BY created_at, id")
                .all().map(Self.decodeSource)
        }
    }

    package func source(_ scope: Scope, id: String) async throws -> EventSource {
        try await db.read { sql in try await Self.source(scope.workspaceID, id, sql: sql) }
    }

    /// A new write key for the source; the old one stops working at once.
    package func rotateKey(_ scope: Scope, id: String) async throws -> IssuedSource {
        let key = Secret.token(prefix: "gxw_")
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            _ = try await Self.source(scope.workspaceID, id, sql: tx.sql)
            try await tx.sql.raw("""
                UPDATE event_sources SET key_hash = \(bind: Secret.hash(key)), key_prefix = \(bind: String(key.prefix(10))),
                  updated_at = \(bind: now.millis), version = version + 1 WHERE id = \(bind: id) AND workspace_id = \(bind: scope.workspaceID)
                """).run()
            try await tx.audit("rotate_key", "event_sources", id)
            try await sourcesChanged(tx)
        }
        keys.invalidate()
        return IssuedSource(source: try await source(scope, id: id), writeKey: key)
    }

    /// Turns a source off (its events are refused) or on again.
    package func setEnabled(_ scope: Scope, id: String, _ enabled: Bool) async throws -> EventSource {
        let now = clock.now()
        try await db.write(scope, at: now) { tx in
            _ = try await Self.source(scope.workspaceID, id, sql: tx.sql)
            try await tx.sql.raw("""
                UPDATE event_sources SET enabled = \(bind: enabled ? 1 : 0), updated_at = \(bind: now.millis), version = version + 1
                WHERE id = \(bind: id) AND workspace_id = \(bind: scope.workspaceID)
                """).run()
            try await tx.audit(enabled ? "enable" : "disable", "event_sources", id)
            try await sourcesChanged(tx)
        }
        keys.invalidate()
        return try await source(scope, id: id)
    }

    /// The source a write key opens (nil: no such key); verified keys are answered from memory
    /// (`WriteKeyCache`) until a source changes.
    package func key(_ writeKey: String) async throws -> SourceKey? {
        guard !writeKey.isEmpty, writeKey.utf8.count <= 200 else { return nil }
        let hash = Secret.hash(writeKey)
        let cache = keys
        let t = ProcessInfo.processInfo.systemUptime
        if let hit = cache.cached(hash, at: t) { return hit }
        let generation = cache.current
        let found: SourceKey? = try await db.read { sql in
            guard let r = try await sql.raw("""
                SELECT id, workspace_id, enabled, allowed_origins_json FROM event_sources WHERE key_hash = \(bind: hash)
                """).first() else { return nil }
            return SourceKey(sourceID: try r.decode(column: "id", as: String.self), workspaceID: try r.decode(column: "workspace_id", as: String.self),
                             enabled: try r.decode(column: "enabled", as: Int.self) != 0,
                             allowedOrigins: JSONParser.strings(try r.decode(column: "allowed_origins_json", as: String.self)))
        }
        if let found { cache.store(hash, found, readAt: t, generation: generation) }
        return found
    }

    /// Whether any enabled source may be sent from this browser origin (the answer to a preflight,
    /// which carries no key).
    package func originAllowed(_ origin: String) async throws -> Bool {
        try await db.read { sql in
            try await sql.raw("SELECT allowed_origins_json FROM event_sources WHERE enabled = 1").all()
                .contains { r in
                    let o = JSONParser.strings((try? r.decode(column: "allowed_origins_json", as: String.self)) ?? "[]")
                    return o.contains("*") || o.contains { $0.caseInsensitiveCompare(origin) == .orderedSame }
                }
        }
    }

    // MARK: Intake

    /// Stores a request's events (with those of requests arriving meanwhile, in one transaction) and
    /// answers once they are committed; throws `EventIntakeBusy` when too many wait already.
    package func ingest(_ item: EventIntakeItem) async throws -> EventIntakeResult {
        let n = item.messages.count
        let before = pending.add(n, ordering: .relaxed).oldValue
        defer { pending.subtract(n, ordering: .relaxed) }
        if before > 0, before + n > maxPending { throw EventIntakeBusy() }
        return try await queue.submit(item)
    }

    /// One group: the events in multi-row inserts that skip messages seen before (and those of ids
    /// whose events were deleted on request), each newly stored identify's link decision and
    /// traits, the profiles of everyone the group's events are about, then counters per source.
    static func write(_ items: [EventIntakeItem], db: Database, clock: any GuanxiCore.Clock) async throws -> [EventIntakeResult] {
        try await db.write { sql in
            // the customers the group's ids already belong to, and the ids refused, per workspace
            var idsByWorkspace: [String: Set<String>] = [:]
            for i in items { for m in i.messages { for v in [m.anonymousID, m.userID] { if let v { idsByWorkspace[i.key.workspaceID, default: []].insert(v) } } } }
            var known: [String: [String: String]] = [:]
            var refused: [String: Set<String>] = [:]
            for (ws, values) in idsByWorkspace {
                known[ws] = try await linkedCustomers(ws, Array(values), sql: sql)
                refused[ws] = try await suppressed(ws, Array(values), sql: sql)
            }
            func isRefused(_ ws: String, _ m: EventMessage) -> Bool {
                guard let r = refused[ws], !r.isEmpty else { return false }
                return m.anonymousID.map(r.contains) == true || m.userID.map(r.contains) == true
            }
            // on PostgreSQL a message is unique per month received (M034): one sent again early in a
            // month may have been stored the month before, and one sent twice in one group may fall
            // either side of midnight; both are found here and skipped
            let partitioned = db.dialect == .postgres
            var seenBefore = Set<String>()
            if partitioned {
                var bySource: [String: (prev: Int64, ids: [String])] = [:]
                for i in items where EventMonths.looksBack(i.receivedAt.millis) {
                    let prev = EventMonths.previous(i.receivedAt.millis)
                    for m in i.messages { bySource[i.key.sourceID + "\u{1F}" + String(prev), default: (prev, [])].ids.append(m.messageID) }
                }
                for (k, v) in bySource {
                    let source = String(k.prefix { $0 != "\u{1F}" })
                    for chunk in Array(Set(v.ids)).chunked(500) where !chunk.isEmpty {
                        for r in try await sql.raw("""
                            SELECT message_id FROM events WHERE source_id = \(bind: source) AND received_month = \(bind: v.prev)
                              AND message_id IN (\(binds: Array(chunk)))
                            """).all() {
                            seenBefore.insert(source + "\u{1F}" + (try r.decode(column: "message_id", as: String.self)))
                        }
                    }
                }
            }
            var rows: [[any Encodable & Sendable]] = []
            rows.reserveCapacity(items.reduce(0) { $0 + $1.messages.count })
            var inGroup = Set<String>()
            for i in items {
                let ids = known[i.key.workspaceID] ?? [:]
                let month = EventMonths.start(i.receivedAt.millis)
                for m in i.messages where !isRefused(i.key.workspaceID, m) {
                    let customer = m.userID.flatMap { ids[$0] } ?? m.anonymousID.flatMap { ids[$0] }
                    var row: [any Encodable & Sendable] = [i.key.workspaceID, i.key.sourceID, m.messageID, m.type.rawValue, m.event, m.anonymousID, m.userID,
                                                          customer, m.timestamp.millis, i.receivedAt.millis, m.propertiesJSON, m.contextJSON]
                    if partitioned {
                        let k = i.key.sourceID + "\u{1F}" + m.messageID
                        guard !seenBefore.contains(k), inGroup.insert(k).inserted else { continue }
                        row.append(month)
                    }
                    rows.append(row)
                }
            }
            let columns = "workspace_id, source_id, message_id, type, event, anonymous_id, user_id, customer_id, occurred_at, received_at, properties_json, context_json"
            let inserted = try await BulkSQL.insert(
                "events", partitioned ? columns + ", received_month" : columns, rows,
                suffix: "ON CONFLICT (source_id, message_id\(partitioned ? ", received_month" : "")) DO NOTHING RETURNING source_id, message_id", sql: sql)
            var fresh = Set<String>()
            for r in inserted { fresh.insert(try r.decode(column: "source_id", as: String.self) + "\u{1F}" + r.decode(column: "message_id", as: String.self)) }
            // each message counts once per request, in order: a message repeated inside one request is a duplicate the second time
            var results: [EventIntakeResult] = []
            var counts: [String: (received: Int, stored: Int, refused: Int, last: Int64)] = [:]
            var stored: [(ws: String, m: EventMessage)] = []
            // the events of workspaces whose webhook endpoints take them (usually none: a look-up in memory)
            var subscribed = Set<String>()
            for ws in Set(items.map(\.key.workspaceID)) where try await !WebhookOutbox.endpoints(wanting: .eventReceived, of: db, workspaceID: ws, sql: sql).isEmpty {
                subscribed.insert(ws)
            }
            var published: [String: [(m: EventMessage, source: String, at: Date)]] = [:]
            var relinked = Set<String>()
            for i in items {
                var n = 0, refusedHere = 0
                for m in i.messages {
                    if isRefused(i.key.workspaceID, m) { refusedHere += 1; continue }
                    guard fresh.remove(i.key.sourceID + "\u{1F}" + m.messageID) != nil else { continue }
                    n += 1
                    stored.append((i.key.workspaceID, m))
                    if subscribed.contains(i.key.workspaceID) { published[i.key.workspaceID, default: []].append((m, i.key.sourceID, i.receivedAt)) }
                    if m.type == .identify || m.type == .alias {
                        let tx = Tx(sql: sql, scope: .acting(workspaceID: i.key.workspaceID, userID: nil), now: i.receivedAt, db: db)
                        if try await link(m, key: i.key, tx: tx, clock: clock) { relinked.insert(i.key.workspaceID) }
                    } else if m.type == .group {
                        let tx = Tx(sql: sql, scope: .acting(workspaceID: i.key.workspaceID, userID: nil), now: i.receivedAt, db: db)
                        let ids = try await linkedCustomers(i.key.workspaceID, [m.userID, m.anonymousID].compactMap { $0 }.filter { IdentityLink.usable($0) }, sql: sql)
                        let person = m.userID.flatMap { ids[$0] } ?? m.anonymousID.flatMap { ids[$0] }
                        try await group(m, person: person, key: i.key, tx: tx, clock: clock)
                    }
                }
                results.append(EventIntakeResult(stored: n, duplicates: i.messages.count - n - refusedHere, suppressed: refusedHere))
                let c = counts[i.key.sourceID] ?? (0, 0, 0, 0)
                counts[i.key.sourceID] = (c.received + i.messages.count, c.stored + n, c.refused + refusedHere, max(c.last, i.receivedAt.millis))
            }
            // the profiles, with the links this group made
            for ws in relinked {
                known[ws] = try await linkedCustomers(ws, Array(idsByWorkspace[ws] ?? []), sql: sql)
            }
            try await updateProfiles(stored, known: known, now: clock.now(), sql: sql)
            for (ws, events) in published.sorted(by: { $0.key < $1.key }) {
                try await publishReceived(events, ws: ws, known: known[ws] ?? [:], db: db, now: clock.now(), sql: sql)
            }
            for (source, c) in counts.sorted(by: { $0.key < $1.key }) {
                try await sql.raw("""
                    UPDATE event_sources SET received_count = received_count + \(bind: c.received), stored_count = stored_count + \(bind: c.stored),
                      duplicate_count = duplicate_count + \(bind: c.received - c.stored - c.refused), refused_count = refused_count + \(bind: c.refused),
                      last_event_at = \(bind: c.last) WHERE id = \(bind: source)
                    """).run()
            }
            return results
        }
    }

    /// `event.received` for a workspace's newly stored events, each as the API shows it, with the
    /// customer it belongs to once this group's links are made. The record a receiver gets them in
    /// order of is the person: the customer, else the user id, else the anonymous id.
    static func publishReceived(_ events: [(m: EventMessage, source: String, at: Date)], ws: String, known: [String: String],
                                db: Database, now: Date, sql: any SQLDatabase) async throws {
        let tx = Tx(sql: sql, scope: .acting(workspaceID: ws, userID: nil), now: now, db: db)
        try await tx.publish(.eventReceived, events.map { e in
            let m = e.m
            let customer = m.userID.flatMap { known[$0] } ?? m.anonymousID.flatMap { known[$0] }
            let data = StoredEvent(seq: 0, type: m.type.rawValue, event: m.event, messageID: m.messageID, anonymousID: m.anonymousID, userID: m.userID,
                                   sourceID: e.source, timestamp: m.timestamp, receivedAt: e.at, properties: m.properties, customerID: customer)
            return (id: customer ?? m.userID ?? m.anonymousID ?? m.messageID, data: data)
        })
    }

    /// The customers these visitor ids belong to.
    static func linkedCustomers(_ ws: String, _ values: [String], sql: any SQLDatabase) async throws -> [String: String] {
        var out: [String: String] = [:]
        for chunk in values.chunked(500) where !chunk.isEmpty {
            for r in try await sql.raw("SELECT value, customer_id FROM event_identities WHERE workspace_id = \(bind: ws) AND value IN (\(binds: Array(chunk)))").all() {
                out[try r.decode(column: "value", as: String.self)] = try r.decode(column: "customer_id", as: String.self)
            }
        }
        return out
    }

    /// Which of these ids are refused (their person's events were deleted on request).
    static func suppressed(_ ws: String, _ values: [String], sql: any SQLDatabase) async throws -> Set<String> {
        var out = Set<String>()
        for chunk in values.chunked(500) where !chunk.isEmpty {
            for r in try await sql.raw("SELECT value FROM event_suppressions WHERE workspace_id = \(bind: ws) AND value IN (\(binds: Array(chunk)))").all() {
                out.insert(try r.decode(column: "value", as: String.self))
            }
        }
        return out
    }

    /// An identify (or alias): read the facts, decide (`IdentityLink`), link the ids, attach their
    /// earlier events and fold the visitor's profile into the customer's, record the decision, and
    /// merge the traits into the customer (`TraitMerge`). Answers whether ids were linked.
    static func link(_ m: EventMessage, key: SourceKey, tx: Tx, clock: any GuanxiCore.Clock) async throws -> Bool {
        let ws = key.workspaceID
        var facts = IdentityLink.Facts()
        let traits = m.traits ?? [:]
        if let e = traits["email"]?.stringValue.flatMap(IdentityNormalizer.email) { facts.emailCustomer = try await customer(holding: "email", e, ws, tx.sql) }
        if let p = traits["phone"]?.stringValue.flatMap({ IdentityNormalizer.phone($0) }) { facts.phoneCustomer = try await customer(holding: "phone", p, ws, tx.sql) }
        let anonymous = m.anonymousID   // an alias's earlier id
        let linked = try await linkedCustomers(ws, [m.userID, anonymous].compactMap { $0 }, sql: tx.sql)
        facts.userCustomer = m.userID.flatMap { linked[$0] }
        facts.anonymousCustomer = anonymous.flatMap { linked[$0] }
        var d = IdentityLink.decide(userID: m.userID, anonymousID: anonymous, facts: facts)
        // a person whose events were deleted on request is not linked again
        if let c = d.customerID, !(try await suppressed(ws, [suppressionKey(c)], sql: tx.sql).isEmpty) {
            d = IdentityLink.Decision(customerID: nil, link: [], reason: .noMatch)
        }
        guard d.customerID != nil || d.reason == .conflict else { return false }
        var ids = d.link
        if let c = d.customerID, !ids.isEmpty {
            // the ids seen beside these on events not yet anyone's (an identify or alias that came
            // before the customer was known paired them): one step, usable ids only
            let pairs = try await tx.sql.raw("""
                SELECT DISTINCT anonymous_id, user_id FROM events WHERE workspace_id = \(bind: ws) AND customer_id IS NULL
                  AND (anonymous_id IN (\(binds: ids)) OR user_id IN (\(binds: ids)))
                """).all()
            for r in pairs {
                for v in [try r.decode(column: "anonymous_id", as: String?.self), try r.decode(column: "user_id", as: String?.self)] {
                    if let v, IdentityLink.usable(v), !ids.contains(v), linked[v] == nil { ids.append(v) }
                }
            }
            for v in ids {
                try await tx.sql.raw("""
                    INSERT INTO event_identities (workspace_id, value, kind, customer_id, created_at)
                    VALUES (\(bind: ws), \(bind: v), \(bind: v == m.userID ? "user_id" : "anonymous_id"), \(bind: c), \(bind: tx.now.millis))
                    ON CONFLICT (workspace_id, value) DO NOTHING
                    """).run()
            }
            try await tx.sql.raw("""
                UPDATE events SET customer_id = \(bind: c) WHERE workspace_id = \(bind: ws) AND customer_id IS NULL
                  AND (anonymous_id IN (\(binds: ids)) OR user_id IN (\(binds: ids)))
                """).run()
            try await foldProfiles(ws, ids: ids, into: c, now: tx.now, sql: tx.sql)
            // a group call the visitor made before anyone knew them
            try await groupAfterLink(ws, ids: ids, customer: c, key: key, tx: tx, clock: clock)
        }
        // traits reach the customer the ids surely are: not when only the traits named them and
        // another customer at once, but a linked user id is that user even then (the other's
        // email or phone stays theirs: `taken`)
        if let c = d.customerID, d.reason != .conflict || facts.userCustomer == c, m.type == .identify, !traits.isEmpty {
            try await mergeTraits(traits, into: c, message: m, key: key, tx: tx, clock: clock)
        }
        if ids.isEmpty && d.reason != .conflict { return false }   // nothing new: the ids were linked before
        try await tx.sql.raw("""
            INSERT INTO event_link_decisions (id, workspace_id, customer_id, other_customer_id, reason, anonymous_id, user_id, linked_json,
                                              source_id, message_id, decided_at)
            VALUES (\(bind: ID.make(at: tx.now)), \(bind: ws), \(bind: d.customerID), \(bind: d.otherCustomerID), \(bind: d.reason.rawValue),
                    \(bind: anonymous), \(bind: m.userID), \(bind: JSONCoding.encode(ids)), \(bind: key.sourceID), \(bind: m.messageID), \(bind: tx.now.millis))
            """).run()
        return !ids.isEmpty
    }

    /// The live customer holding a normalised identity.
    static func customer(holding kind: String, _ value: String, _ ws: String, _ sql: any SQLDatabase) async throws -> String? {
        try await sql.raw("""
            SELECT i.customer_id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
            WHERE i.workspace_id = \(bind: ws) AND i.kind = \(bind: kind) AND i.value = \(bind: value)
              AND c.deleted_at IS NULL AND c.merged_into IS NULL
            """).first()?.decode(column: "customer_id", as: String.self)
    }

    // MARK: A customer's events

    /// The customer's events, newest first, for a scope that may read the customer.
    package func events(_ scope: Scope, customerID: String, cursor: String?, limit: Int) async throws -> Page<StoredEvent> {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let id = customerID.lowercased()
        let limit = min(max(limit, 1), 200)
        return try await db.read { sql in
            _ = try await CustomerStore.load(scope, id, for: .read, sql: sql)
            var q = SQLQueryString("""
                SELECT seq, type, event, message_id, anonymous_id, user_id, source_id, occurred_at, received_at, properties_json FROM events
                WHERE workspace_id = \(bind: scope.workspaceID) AND customer_id = \(bind: id)
                """)
            if let cursor {
                let (t, s) = try Cursor.timeAndID(cursor)
                guard let seq = Int64(s) else { throw DomainError.field("cursor", "is not a cursor this server issued") }
                q += " AND (occurred_at < \(bind: t) OR (occurred_at = \(bind: t) AND seq < \(bind: seq)))"
            }
            q += " ORDER BY occurred_at DESC, seq DESC LIMIT \(literal: limit + 1)"
            let rows = try await sql.raw(q).all().map { r in
                StoredEvent(seq: try r.decode(column: "seq", as: Int64.self), type: try r.decode(column: "type", as: String.self),
                            event: try r.decode(column: "event", as: String?.self), messageID: try r.decode(column: "message_id", as: String.self),
                            anonymousID: try r.decode(column: "anonymous_id", as: String?.self), userID: try r.decode(column: "user_id", as: String?.self),
                            sourceID: try r.decode(column: "source_id", as: String.self),
                            timestamp: Date(millis: try r.decode(column: "occurred_at", as: Int64.self)),
                            receivedAt: Date(millis: try r.decode(column: "received_at", as: Int64.self)),
                            properties: (try? JSONParser.parse(try r.decode(column: "properties_json", as: String.self))) ?? .object([:]), customerID: id)
            }
            let items = Array(rows.prefix(limit))
            return Page(items: items, nextCursor: rows.count > limit ? items.last.map { Cursor.timeAndID($0.timestamp, String($0.seq)) } : nil)
        }
    }

    /// Why visitor ids belong to the customer (or were kept apart from it), newest first.
    package func linkDecisions(_ scope: Scope, customerID: String, limit: Int = 20) async throws -> [LinkDecisionRecord] {
        guard ID.isValid(customerID) else { throw DomainError.notFound("customer") }
        let id = customerID.lowercased()
        return try await db.read { sql in
            _ = try await CustomerStore.load(scope, id, for: .read, sql: sql)
            return try await sql.raw("""
                SELECT id, customer_id, other_customer_id, reason, anonymous_id, user_id, linked_json, decided_at FROM event_link_decisions
                WHERE workspace_id = \(bind: scope.workspaceID) AND (customer_id = \(bind: id) OR other_customer_id = \(bind: id))
                ORDER BY decided_at DESC, id DESC LIMIT \(literal: min(max(limit, 1), 200))
                """).all().map { r in
                LinkDecisionRecord(id: try r.decode(column: "id", as: String.self), customerID: try r.decode(column: "customer_id", as: String?.self),
                                   otherCustomerID: try r.decode(column: "other_customer_id", as: String?.self),
                                   reason: try r.decode(column: "reason", as: String.self), anonymousID: try r.decode(column: "anonymous_id", as: String?.self),
                                   userID: try r.decode(column: "user_id", as: String?.self),
                                   linked: JSONParser.strings(try r.decode(column: "linked_json", as: String.self)),
                                   decidedAt: Date(millis: try r.decode(column: "decided_at", as: Int64.self)))
            }
        }
    }

    // MARK: Rows

    static let sourceColumns = "id, name, key_prefix, allowed_origins_json, enabled, received_count, stored_count, duplicate_count, refused_count, last_event_at, created_at, version"

    static func source(_ ws: String, _ id: String, sql: any SQLDatabase) async throws -> EventSource {
        guard ID.isValid(id), let r = try await sql.raw("""
            SELECT \(unsafeRaw: sourceColumns) FROM event_sources WHERE id = \(bind: id.lowercased()) AND workspace_id = \(bind: ws)
            """).first() else { throw DomainError.notFound("event source") }
        return try decodeSource(r)
    }

    static func decodeSource(_ r: any SQLRow) throws -> EventSource {
        EventSource(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                    keyPrefix: try r.decode(column: "key_prefix", as: String.self),
                    allowedOrigins: JSONParser.strings(try r.decode(column: "allowed_origins_json", as: String.self)),
                    enabled: try r.decode(column: "enabled", as: Int.self) != 0,
                    received: try r.decode(column: "received_count", as: Int64.self), stored: try r.decode(column: "stored_count", as: Int64.self),
                    duplicates: try r.decode(column: "duplicate_count", as: Int64.self), refused: try r.decode(column: "refused_count", as: Int64.self),
                    lastEventAt: try r.decode(column: "last_event_at", as: Int64?.self).map { Date(millis: $0) },
                    createdAt: Date(millis: try r.decode(column: "created_at", as: Int64.self)), version: try r.decode(column: "version", as: Int.self))
    }

    static func checkName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw DomainError.field("name", .required) }
        // control characters go; a name of nothing else stays as given (it was visible to its writer)
        let n = Text.clean(name).isEmpty ? trimmed : Text.clean(name)
        if n.count > 100 { throw DomainError.field("name", .longerThan(100)) }
        return n
    }

    /// `*` or `scheme://host[:port]` as browsers send `Origin` (a trailing `/` is dropped); the
    /// OpenAPI document states the same pattern.
    package static let originPattern = "^(\\*|[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?/?)$"

    static func checkOrigins(_ origins: [String]) throws -> [String] {
        if origins.count > 50 { throw DomainError.field("allowed_origins", "at most \(50) origins") }
        let pattern = try Regex(originPattern)
        return try origins.map { o in
            guard (try? pattern.wholeMatch(in: o)) != nil else {
                throw DomainError.field("allowed_origins", "'\(o)' is not a web origin (scheme://host[:port] or *)")
            }
            return o == "*" ? o : String(o.lowercased().trimmingSuffix("/"))
        }
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> Substring { hasSuffix(suffix) ? dropLast(suffix.count) : self[...] }
}
