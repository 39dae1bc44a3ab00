import Foundation
import Testing
import SQLKit
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("Behaviour events on PostgreSQL: monthly partitions made ahead, a message stored once across a month's edge, retention dropping whole months")
struct EventPartitionTests {
    static let postgres = Backend.all.filter { $0 == .postgres }

    func count(_ db: Database, _ table: String, _ condition: String = "TRUE") async throws -> Int {
        try await db.read { try await $0.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE \(unsafeRaw: condition)").first()!.decode(column: "n", as: Int.self) }
    }

    func message(_ id: String, _ at: Date) -> EventMessage {
        EventMessage(type: .track, event: "旧 🍵", messageID: id, anonymousID: "p-1", timestamp: at,
                     properties: .object(["sql": .string("'; DROP TABLE events; --")]))
    }

    @Test func monthsAreUTCCalendarMonths() {
        // 2026-12-31T23:59:59.999Z and 2027-01-01T00:00:00Z
        let lastOfYear: Int64 = 1_798_761_599_999, newYear: Int64 = 1_798_761_600_000
        #expect(EventMonths.start(lastOfYear) == 1_796_083_200_000 && EventMonths.start(newYear) == newYear)
        #expect(EventMonths.next(lastOfYear) == newYear && EventMonths.previous(newYear) == 1_796_083_200_000)
        #expect(EventMonths.name(lastOfYear) == "events_y2026m12" && EventMonths.name(newYear) == "events_y2027m01")
        #expect(EventMonths.month(ofPartition: "events_y2027m01") == newYear && EventMonths.month(ofPartition: "events_default") == nil)
        #expect(EventMonths.month(ofPartition: "events_y2027m13") == nil)
        #expect(EventMonths.span(from: lastOfYear, to: lastOfYear).map(EventMonths.name) == ["events_y2026m12", "events_y2027m01", "events_y2027m02"])
        #expect(EventMonths.looksBack(newYear + 7 * 86_400_000) && !EventMonths.looksBack(newYear + 9 * 86_400_000))
        // a month goes whole only when every workspace in it is done with it
        #expect(EventMonths.droppable(month: lastOfYear, workspaces: ["a"], cutoffs: ["a": newYear]))
        #expect(!EventMonths.droppable(month: lastOfYear, workspaces: ["a", "b"], cutoffs: ["a": newYear]))
        #expect(!EventMonths.droppable(month: lastOfYear, workspaces: ["a"], cutoffs: ["a": newYear - 1]))
    }

    @Test(arguments: postgres)
    func monthsAreMadeAheadAndRetentionDropsThemWhole(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let db = env.services.db
            let store = EventStore(db: db, clock: SystemClock())
            func key(_ auth: Auth) async throws -> SourceKey {
                let r = try await env.send(.post, "/api/v1/event-sources", as: auth, json: #"{"name":"分区"}"#)
                return try #require(try await store.key(r.json["write_key"].string ?? ""))
            }
            let a = try await key(.admin), b = try await key(.b)
            let now = Date().millis, m0 = EventMonths.start(now)
            let months = try await store.partitions()
            #expect(months.contains(m0) && months.contains(EventMonths.next(m0)) && months.contains(EventMonths.next(EventMonths.next(m0))), "\(months)")
            // events received a hundred days ago, when no month was made for them, wait in the default partition
            let old = Date().addingTimeInterval(-100 * 86_400), oldMonth = EventMonths.start(old.millis)
            let first = try await store.ingest(EventIntakeItem(key: a, messages: (0..<5).map { message("o-\($0)", old) }, receivedAt: old))
            #expect(first.stored == 5)
            #expect(try await count(db, "events_default") == 5)
            // the job, run then, makes that month and the two after, and moves them into theirs
            let made = try await EventStore(db: db, clock: ManualClock(old)).preparePartitions()
            #expect(made.first == oldMonth && made.count == 3, "\(made.map(EventMonths.name))")
            #expect(try await count(db, "events_default") == 0)
            #expect(try await count(db, EventMonths.name(oldMonth)) == 5)
            // retries early the next month are the events stored already: one new event of six, and one twice in a request stored once
            let at = Date(millis: EventMonths.next(oldMonth) + 3_600_000)
            let retry = try await store.ingest(EventIntakeItem(key: a, messages: (0..<6).map { message("o-\($0)", at) } + [message("o-5", at)], receivedAt: at))
            #expect(retry.stored == 1 && retry.duplicates == 6, "\(retry)")
            #expect(try await count(db, "events", "message_id LIKE 'o-%'") == 6)
            // workspace B keeps its events for ever and has one in that next month
            #expect(try await store.ingest(EventIntakeItem(key: b, messages: [message("b-1", at)], receivedAt: at)).stored == 1)
            let put = try await env.send(.put, "/api/v1/event-settings", as: .admin, json: #"{"retention_days":30}"#)
            #expect(put.status == .ok, "\(put.text)")
            // the old month goes whole; in the next one B's event stays and A's goes by the batch
            #expect(try await store.purge(batch: 2) == 6)
            let after = try await store.partitions()
            #expect(!after.contains(oldMonth) && after.contains(EventMonths.next(oldMonth)) && after.contains(m0))
            #expect(try await count(db, "events", "workspace_id = '\(a.workspaceID)'") == 0)
            #expect(try await count(db, "events", "workspace_id = '\(b.workspaceID)'") == 1)
            // the current month takes events as before
            #expect(try await store.ingest(EventIntakeItem(key: a, messages: [message("n-1", Date())], receivedAt: Date())).stored == 1)
            #expect(try await count(db, EventMonths.name(m0), "message_id = 'n-1'") == 1)
        }
    }

    @Test(arguments: postgres)
    func theMigrationMovesExistingEventsIntoTheirMonths(_ backend: Backend) async throws {
        try await PostgresTests.withEmpty { db in
            try await Migrator(db: db, migrations: Features.migrations.filter { $0.version < M034_EventPartitions.migration.version }).migrate()
            let now = Date()
            let times = [-70, -40, -39, -1].map { now.addingTimeInterval(Double($0) * 86_400).millis }
            try await db.write { sql in
                for (i, t) in times.enumerated() {
                    try await sql.raw("""
                        INSERT INTO events (workspace_id, source_id, message_id, type, event, anonymous_id, occurred_at, received_at, properties_json)
                        VALUES ('w', 's', \(bind: "m-\(i)"), 'track', '旧事件 🍵', 'v', \(bind: t), \(bind: t), '{"名称":"龙井"}')
                        """).run()
                }
            }
            let seqs = try await db.read { try await $0.raw("SELECT seq FROM events ORDER BY seq").all().map { try $0.decode(column: "seq", as: Int64.self) } }
            try await Features.migrator(db).migrate()
            // every event in its month's partition, with its seq; none in the default one
            for (i, t) in times.enumerated() {
                #expect(try await count(db, EventMonths.name(t), "message_id = 'm-\(i)' AND received_month = \(EventMonths.start(t))") == 1)
            }
            #expect(try await count(db, "events") == 4)
            #expect(try await count(db, "events_default") == 0)
            let after = try await db.read { try await $0.raw("SELECT seq FROM events ORDER BY seq").all().map { try $0.decode(column: "seq", as: Int64.self) } }
            #expect(after == seqs)
            let store = EventStore(db: db, clock: SystemClock())
            #expect(try await store.partitions().last == EventMonths.next(EventMonths.next(EventMonths.start(now.millis))))
            // the sequence goes on, and a message id is still taken once in its month
            let fresh = try await db.write { sql in
                try await sql.raw("""
                    INSERT INTO events (workspace_id, source_id, message_id, type, occurred_at, received_at, properties_json, received_month)
                    VALUES ('w', 's', 'm-3', 'track', \(bind: times[3]), \(bind: times[3]), '{}', \(bind: EventMonths.start(times[3])))
                    ON CONFLICT (source_id, message_id, received_month) DO NOTHING RETURNING seq
                    """).all().count
            }
            #expect(fresh == 0)
            let next = try await db.write { sql in
                try await sql.raw("""
                    INSERT INTO events (workspace_id, source_id, message_id, type, occurred_at, received_at, properties_json, received_month)
                    VALUES ('w', 's', 'm-9', 'track', \(bind: now.millis), \(bind: now.millis), '{}', \(bind: EventMonths.start(now.millis))) RETURNING seq
                    """).first()!.decode(column: "seq", as: Int64.self)
            }
            #expect(next > (seqs.max() ?? 0))
        }
    }
}
