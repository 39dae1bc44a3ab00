import Foundation
import SQLKit
import GuanxiCore

/// A request a source's key opened but whose events were refused (for the live debugger).
package struct EventRefusal: Sendable, Encodable {
    package var code: String
    package var message: String
    /// The start of the body as received, to see what the client sent.
    package var sample: String?
    package var at: Date
}

/// What the live debugger shows of a source: the last events that arrived and the last refusals.
package struct SourceActivity: Sendable {
    package var source: EventSource
    package var events: [StoredEvent]
    package var refusals: [EventRefusal]
}

extension EventStore {
    /// Refusals kept per source (older ones are dropped as new ones come).
    package static let refusalsKept = 50
    /// The debugger's events: the last ones stored.
    package static let debuggerEvents = 50

    /// Counts a refused request against its source and keeps it among the source's last
    /// refusals; best effort (a refusal is answered whether or not this is written).
    package func recordRefusal(_ key: SourceKey, code: String, message: String, sample: String?) async {
        let now = clock.now()
        _ = try? await db.write { sql in
            try await sql.raw("""
                INSERT INTO event_refusals (workspace_id, source_id, code, message, sample, at)
                VALUES (\(bind: key.workspaceID), \(bind: key.sourceID), \(bind: String(code.prefix(40))), \(bind: String(message.prefix(500))),
                        \(bind: sample.map { String($0.prefix(1_000)) }), \(bind: now.millis))
                """).run()
            try await sql.raw("UPDATE event_sources SET refused_count = refused_count + 1 WHERE id = \(bind: key.sourceID)").run()
            try await sql.raw("""
                DELETE FROM event_refusals WHERE source_id = \(bind: key.sourceID) AND seq <= (
                  SELECT seq FROM event_refusals WHERE source_id = \(bind: key.sourceID) ORDER BY seq DESC LIMIT 1 OFFSET \(literal: Self.refusalsKept))
                """).run()
        }
    }

    /// The source with the last events it stored and its last refusals, newest first.
    package func activity(_ scope: Scope, sourceID: String) async throws -> SourceActivity {
        try await db.read { sql in
            let source = try await Self.source(scope.workspaceID, sourceID, sql: sql)
            // the newest rows only: a quiet source does not make this read the whole table
            let top = try await sql.raw("SELECT MAX(seq) AS m FROM events").first()?.decode(column: "m", as: Int64?.self) ?? 0
            let events = try await sql.raw("""
                SELECT seq, type, event, message_id, anonymous_id, user_id, customer_id, source_id, occurred_at, received_at, properties_json FROM events
                WHERE source_id = \(bind: source.id) AND seq > \(bind: top - 200_000) ORDER BY seq DESC LIMIT \(literal: Self.debuggerEvents)
                """).all().map(Self.decodeEvent)
            let refusals = try await sql.raw("""
                SELECT code, message, sample, at FROM event_refusals WHERE source_id = \(bind: source.id) ORDER BY seq DESC LIMIT \(literal: Self.refusalsKept)
                """).all().map { r in
                EventRefusal(code: try r.decode(column: "code", as: String.self), message: try r.decode(column: "message", as: String.self),
                             sample: try r.decode(column: "sample", as: String?.self), at: Date(millis: try r.decode(column: "at", as: Int64.self)))
            }
            return SourceActivity(source: source, events: events, refusals: refusals)
        }
    }
}
