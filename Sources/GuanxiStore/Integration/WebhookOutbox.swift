import Foundation
import SQLKit
import Synchronization
import GuanxiCore

extension Tx {
    /// Writes an outgoing event about record `recordID` into this transaction's outbox: one
    /// delivery per enabled endpoint of the workspace that subscribed to `type` and whose filters
    /// `data` passes. It commits or rolls back with the change, so nothing is sent for a change
    /// that did not happen and nothing is lost when the server stops after the commit. When no
    /// endpoint wants `type` (the usual case) this is a look-up in memory: `data` is not even built.
    /// `changes` says what moved where it is not plain from the record (a stage's from and to, the customer merged away).
    package func publish<T: Encodable>(_ type: WebhookEventType, _ recordID: String, _ data: @autoclosure () -> T,
                                       changes: @autoclosure () -> [String: JSONValue] = [:]) async throws {
        let endpoints = try await WebhookOutbox.endpoints(wanting: type, of: db, workspaceID: scope.workspaceID, sql: sql)
        guard !endpoints.isEmpty, let event = WebhookOutbox.event(recordID, data(), changes: changes(), for: endpoints) else { return }
        try await WebhookOutbox.write(type, [event], tx: self)
    }

    /// `publish` for many records of one type (a group of captured leads or placed orders).
    package func publish<T: Encodable>(_ type: WebhookEventType, _ records: @autoclosure () -> [(id: String, data: T)]) async throws {
        let endpoints = try await WebhookOutbox.endpoints(wanting: type, of: db, workspaceID: scope.workspaceID, sql: sql)
        guard !endpoints.isEmpty else { return }
        try await WebhookOutbox.write(type, records().compactMap { WebhookOutbox.event($0.id, $0.data, changes: [:], for: endpoints) }, tx: self)
    }
}

/// The body every delivery carries: `{"changes": {…}, "data": …, "id": "<event id>", "timestamp": "<ISO 8601>", "type": "order.paid"}`,
/// `data` being the record as the API shows it after the change, `changes` (only when there are
/// any) what moved: `from` and `to` of a stage or status, the customer merged away.
package enum WebhookPayload {
    /// Larger `data` is replaced by `{"id": …, "truncated": true}`: read the record through the API.
    package static let maxData = 256 * 1024

    package static func data<T: Encodable>(_ value: T) -> [UInt8] {
        if let w = value as? any JSONWritable { return w.jsonBytes() }
        return (try? Array(JSONCoding.apiEncoder().encode(value))) ?? Array("null".utf8)
    }

    package static func body(eventID: String, type: WebhookEventType, recordID: String, at now: Date, data: [UInt8], changes: [String: JSONValue]) -> String {
        var w = JSONWriter(capacity: data.count + 160)
        w.object { w in
            if !changes.isEmpty { w.key("changes"); w.value(.object(changes)) }
            w.key("data")
            if data.count > maxData {
                w.object { w in w.member("id", recordID); w.key("truncated"); w.bool(true) }
            } else {
                data.withUnsafeBufferPointer { w.json($0) }
            }
            w.member("id", eventID)
            w.member("timestamp", Timestamp.iso8601(now))
            w.member("type", type.rawValue)
        }
        return String(decoding: w.bytes, as: UTF8.self)
    }
}

/// The publishing half of the outbox: which endpoints want what (kept in memory per database and
/// workspace), and the rows an event becomes.
package enum WebhookOutbox {
    /// An enabled endpoint as publishing needs it.
    struct Endpoint: Sendable {
        var id: String
        var events: [String]
        var filters: [String: [String]]
    }

    /// What one database keeps in memory for its outbox: the enabled endpoints per workspace, read
    /// at most every `ttl` (another server process on the same PostgreSQL database may change
    /// them; this process's own changes clear the entry at once), and the bell that wakes delivery.
    package final class Local: Sendable {
        struct Entry { var endpoints: [Endpoint]; var readAt: Double; var generation: Int }
        let entries = Mutex<[String: Entry]>([:])
        let generation = Atomic<Int>(0)
        static let ttl: Double = 10

        func cached(_ workspaceID: String, at t: Double) -> [Endpoint]? {
            entries.withLock { e in e[workspaceID].flatMap { t - $0.readAt < Self.ttl && $0.generation == generation.load(ordering: .acquiring) ? $0.endpoints : nil } }
        }
        func store(_ workspaceID: String, _ endpoints: [Endpoint], readAt t: Double, generation g: Int) {
            entries.withLock { $0[workspaceID] = Entry(endpoints: endpoints, readAt: t, generation: g) }
        }
        /// Forgets what was read (a subscription changed); reads already under way are not kept.
        package func invalidate() {
            generation.add(1, ordering: .releasing)
            entries.withLock { $0.removeAll() }
        }
    }

    /// The bell the delivery service waits on (rung on every server sharing the database), and the
    /// one that makes every server forget the endpoints it read.
    package static let bell = "webhooks"
    package static let endpointsChanged = "webhook_endpoints"

    /// Forgets the endpoints read here and on the other servers (a subscription changed).
    package static func invalidate(_ db: Database) async {
        local(db).invalidate()
        await db.ring(endpointsChanged)
    }

    private struct Weak: @unchecked Sendable { weak var db: Database?; let local: Local }
    private static let registry = Mutex<[ObjectIdentifier: Weak]>([:])

    /// The in-memory state of `db`'s outbox (made on first use; forgotten with the database).
    package static func local(_ db: Database) -> Local {
        registry.withLock { r in
            let key = ObjectIdentifier(db)
            if let w = r[key], w.db === db { return w.local }
            r = r.filter { $0.value.db != nil }
            let made = Weak(db: db, local: Local())
            r[key] = made
            db.bells.onRing(endpointsChanged) { [local = made.local] in local.invalidate() }
            return made.local
        }
    }

    static func endpoints(of db: Database, workspaceID: String, sql: any SQLDatabase) async throws -> [Endpoint] {
        let local = local(db)
        let t = ProcessInfo.processInfo.systemUptime
        if let hit = local.cached(workspaceID, at: t) { return hit }
        let g = local.generation.load(ordering: .acquiring)
        let rows = try await sql.raw("""
            SELECT id, events_json, filters_json FROM webhook_subscriptions WHERE workspace_id = \(bind: workspaceID) AND enabled = 1 ORDER BY id
            """).all()
        let endpoints = try rows.map { r in
            Endpoint(id: try r.decode(column: "id", as: String.self),
                     events: JSONCoding.decode([String].self, try r.decode(column: "events_json", as: String.self)) ?? [],
                     filters: JSONCoding.decode([String: [String]].self, try r.decode(column: "filters_json", as: String.self)) ?? [:])
        }
        local.store(workspaceID, endpoints, readAt: t, generation: g)
        return endpoints
    }

    /// The workspace's enabled endpoints subscribed to `type` (whatever their filters).
    static func endpoints(wanting type: WebhookEventType, of db: Database, workspaceID: String, sql: any SQLDatabase) async throws -> [Endpoint] {
        try await endpoints(of: db, workspaceID: workspaceID, sql: sql).filter { WebhookTopics.selects($0.events, type) }
    }

    /// An event about one record: its id, the record's JSON, what moved, and the endpoints it goes to.
    typealias Event = (recordID: String, data: [UInt8], changes: [String: JSONValue], targets: [Endpoint])

    /// The event `value` makes for those of `endpoints` whose filters it passes (nil: none). A
    /// `WebhookFilterable` value answers the filters itself and is written as JSON only when one passes.
    static func event<T: Encodable>(_ recordID: String, _ value: T, changes: [String: JSONValue], for endpoints: [Endpoint]) -> Event? {
        guard endpoints.contains(where: { !$0.filters.isEmpty }) else { return (recordID, WebhookPayload.data(value), changes, endpoints) }
        if let f = value as? any WebhookFilterable {
            let targets = endpoints.filter { WebhookFilter.matches($0.filters, texts: f.filterTexts) }
            return targets.isEmpty ? nil : (recordID, WebhookPayload.data(value), changes, targets)
        }
        let data = WebhookPayload.data(value)
        let parsed = (try? data.withUnsafeBufferPointer { try JSONParser.parse(bytes: $0) }) ?? .null
        let targets = endpoints.filter { WebhookFilter.matches($0.filters, data: parsed) }
        return targets.isEmpty ? nil : (recordID, data, changes, targets)
    }

    /// The event rows and one pending delivery per event and target, due now, written in two
    /// statements however many records a change placed; then the delivery service is woken (it
    /// finds the rows once this transaction commits).
    static func write(_ type: WebhookEventType, _ events: [Event], tx: Tx) async throws {
        guard !events.isEmpty else { return }
        let ws = tx.scope.workspaceID, at = tx.now.millis
        var eventRows: [[any Encodable & Sendable]] = [], deliveryRows: [[any Encodable & Sendable]] = []
        eventRows.reserveCapacity(events.count); deliveryRows.reserveCapacity(events.reduce(0) { $0 + $1.targets.count })
        for e in events {
            let eventID = ID.make(at: tx.now)
            let body = WebhookPayload.body(eventID: eventID, type: type, recordID: e.recordID, at: tx.now, data: e.data, changes: e.changes)
            eventRows.append([eventID, ws, type.rawValue, e.recordID, body, at])
            for t in e.targets {
                deliveryRows.append([ID.make(at: tx.now), ws, t.id, eventID, type.rawValue, e.recordID, WebhookDeliveryState.pending.rawValue, 0, at, at])
            }
        }
        _ = try await BulkSQL.insert("webhook_events", "id, workspace_id, type, record_id, body, created_at", eventRows, sql: tx.sql)
        _ = try await BulkSQL.insert("webhook_deliveries", "id, workspace_id, subscription_id, event_id, event_type, record_id, state, attempts, next_at, created_at",
                                     deliveryRows, sql: tx.sql)
        try await tx.ring(bell)
    }
}
