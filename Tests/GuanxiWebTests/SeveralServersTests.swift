import Foundation
import Testing
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import Synchronization
import SQLKit
import GuanxiCore
import GuanxiStore
import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebService
import GuanxiTestSupport

// Several Guanxi servers on one PostgreSQL database (docs/DEPLOY.md): each "server" here is its own
// `Database` (pool, listener, caches) and application over the same database, as two processes
// behind a load balancer would be. Read replicas need scripts/with-postgres-replica.

/// Two servers on the test's database: `a` the harness's, `b` another handle with its own application.
struct TwoServers: Sendable {
    let a: WebEnv
    let b: any TestClientProtocol
    let bServices: AppServices

    static func run(_ body: @Sendable @escaping (TwoServers) async throws -> Void) async throws {
        try await WebEnv.run(.postgres) { env in
            let db2 = try await PostgresTests.anotherServer(env.services.db)
            do {
                let services = AppServices(db: db2, clock: SystemClock())
                try await Application(router: buildRouter(services).0).test(.router) { client in
                    try await body(TwoServers(a: env, b: client, bServices: services))
                }
                await db2.close()
            } catch {
                await db2.close()
                throw error
            }
        }
    }

    func sendB(_ method: HTTPRequest.Method, _ uri: String, token: String, json: String, headers: [String: String] = [:]) async throws -> Reply {
        var fields = HTTPFields()
        fields[.authorization] = "Bearer \(token)"
        fields[.contentType] = "application/json"
        for (k, v) in headers { fields[HTTPField.Name(k)!] = v }
        return try await b.execute(uri: uri, method: method, headers: fields, body: ByteBuffer(string: json)) { r in
            Reply(status: r.status, headers: r.headers, body: Data(buffer: r.body))
        }
    }
}

/// How many runs there were, and how many at once at most.
final class Counts: Sendable {
    let state = Mutex((ran: 0, inside: 0, most: 0))
    func enter() { state.withLock { $0.inside += 1; $0.most = max($0.most, $0.inside) } }
    func leave() -> Int { state.withLock { $0.inside -= 1; $0.ran += 1; return $0.ran } }
}

@Suite("Several servers on one PostgreSQL database", .enabled(if: Backend.postgresEnabled))
struct SeveralServersTests {
    @Test func aJobThatMustRunOnceRunsOnOneServerAtATime() async throws {
        try await TestDatabase.with(.postgres, seed: Seed.web) { db, _ in
            let other = try await PostgresTests.anotherServer(db)
            let counts = Counts()
            // ten rounds on each server at once, as their housekeeping loops would
            let results = try await withThrowingTaskGroup(of: Int?.self) { group in
                for server in [db, other] {
                    for _ in 0..<10 {
                        group.addTask {
                            try await server.once("test_job") {
                                counts.enter()
                                try await Task.sleep(for: .milliseconds(20))
                                return counts.leave()
                            }
                        }
                    }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            await other.close()
            let (ran, most) = counts.state.withLock { ($0.ran, $0.most) }
            #expect(most == 1, "two servers ran the job at once")
            #expect(results.compactMap { $0 }.count == ran)
            #expect(results.contains(nil), "nobody found the job running")
            // the lock is released after each run: the job runs again later
            #expect(try await db.once("test_job") { 1 } == 1)
            // one failing run releases it as well
            await #expect(throws: DomainError.self) { try await db.once("test_job") { throw DomainError.badRequest("failed") } }
            #expect(try await db.once("test_job") { "again 再次 🙂" } == "again 再次 🙂")
        }
    }

    @Test func theSLAWatchScansOnOneServerAtATime() async throws {
        try await TestDatabase.with(.postgres, seed: Seed.web) { db, _ in
            let other = try await PostgresTests.anotherServer(db)
            // server b is in the middle of a pass: server a's watch skips its own
            let held = try await other.once("sla_watch") {
                try await db.once("sla_watch") { "ran" }
            }
            #expect(held == .some(nil))
            await other.close()
        }
    }

    @Test func anIdempotencyKeyHoldsAcrossServers() async throws {
        try await TwoServers.run { s in
            let key = "two-servers-" + UUID().uuidString
            let body = json(["kind": str("person"), "name": str("双服务器 Two Servers 🙂")])
            // the same create sent to both servers at once
            async let first = s.a.send(.post, "/api/v1/customers", json: body, headers: ["Idempotency-Key": key])
            async let second = s.sendB(.post, "/api/v1/customers", token: s.a.seed.tokenA, json: body, headers: ["Idempotency-Key": key])
            let (r1, r2) = try await (first, second)
            #expect(r1.status == .created && r2.status == .created, "\(r1.status) \(r1.text) / \(r2.status) \(r2.text)")
            #expect(r1.json["id"].string != nil && r1.json["id"].string == r2.json["id"].string)
            #expect([r1.header("Idempotent-Replayed"), r2.header("Idempotent-Replayed")].compactMap { $0 } == ["true"])
            let n = try await s.a.services.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM customers WHERE name = \(bind: "双服务器 Two Servers 🙂")").first()!.decode(column: "n", as: Int.self)
            }
            #expect(n == 1)
            // the key reused for another request is refused on the other server too
            let other = try await s.sendB(.post, "/api/v1/customers", token: s.a.seed.tokenA, json: json(["kind": str("person"), "name": str("x'; DROP TABLE customers; --")]),
                                          headers: ["Idempotency-Key": key])
            #expect(other.status == .conflict)
            // another credential's same key is another key
            let b = try await s.sendB(.post, "/api/v1/customers", token: s.a.seed.adminA, json: body, headers: ["Idempotency-Key": key])
            #expect(b.status == .created && b.json["id"].string != r1.json["id"].string)
            // a claim left by a server that stopped mid-request is taken over once it is old
            let left = "left-behind-" + UUID().uuidString
            let credential = "token:" + (try await s.a.services.db.read { sql in
                try await sql.raw("SELECT id FROM api_tokens WHERE token_hash = \(bind: Secret.hash(s.a.seed.tokenA))").first()!.decode(column: "id", as: String.self)
            })
            try await s.a.services.db.write { sql in
                try await sql.raw("""
                    INSERT INTO idempotency_keys (workspace_id, credential, key, request_hash, status, body, headers_json, created_at)
                    VALUES (\(bind: s.a.workspaceA.id), \(bind: credential), \(bind: left), 'abc', 0, '', '{}', \(bind: Date().millis - 400_000))
                    """).run()
            }
            let taken = try await s.sendB(.post, "/api/v1/customers", token: s.a.seed.tokenA, json: body, headers: ["Idempotency-Key": left])
            #expect(taken.status == .created, "\(taken.status) \(taken.text)")
            // a refused request (an error, not an answer) leaves no claim: the key is free on the other server at once
            let bad = try await s.a.send(.post, "/api/v1/customers", json: json(["kind": str("nobody")]), headers: ["Idempotency-Key": "fails-" + left])
            #expect(bad.status.code >= 400)
            let fixed = try await s.sendB(.post, "/api/v1/customers", token: s.a.seed.tokenA, json: json(["kind": str("nobody")]), headers: ["Idempotency-Key": "fails-" + left])
            #expect(fixed.status == bad.status && fixed.header("Idempotent-Replayed") == nil, "\(fixed.status) \(fixed.text)")
        }
    }

    @Test func aLockoutSetOnOneServerHoldsOnTheOther() async throws {
        try await TwoServers.run { s in
            let a = s.a.services.signIn, b = s.bServices.signIn
            for _ in 0..<a.policy.accountFailures {
                await #expect(throws: DomainError.self) { try await a.signIn(email: "rep-a@example.com", password: "wrong 错误", address: "203.0.113.9") }
            }
            // the right password, on the other server, from the address that failed: locked
            do {
                _ = try await b.signIn(email: "rep-a@example.com", password: "password-sales_rep", address: "203.0.113.9")
                Issue.record("the other server let a locked account in")
            } catch let e as DomainError {
                #expect("\(e)".contains("locked"), "\(e)")
            }
            // from another address it opens, on either
            let session = try await b.signIn(email: "rep-a@example.com", password: "password-sales_rep", address: "198.51.100.7")
            #expect(try await a.session(session.secret) != nil)
            // signing out on b ends the session on a at once, though a had it cached
            try await b.signOut(session.secret)
            var ended = false
            for _ in 0..<100 where !ended {
                ended = try await a.session(session.secret) == nil
                if !ended { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(ended, "server a still takes a session signed out on server b")
        }
    }

    @Test func aChangeOnOneServerWakesTheOthersWatcher() async throws {
        try await TwoServers.run { s in
            let bell = s.bServices.db.bells("test_bell")
            let clock = ContinuousClock()
            // once b listens (a ring from a reaches it), and what rang meanwhile is taken
            var heard = false
            for _ in 0..<50 where !heard {
                await s.a.services.db.ring("test_bell")
                heard = await clock.measure { await bell.wait(upTo: .milliseconds(200)) } < .milliseconds(200)
            }
            #expect(heard, "server b never heard server a")
            try await Task.sleep(for: .milliseconds(300))
            await bell.wait(upTo: .milliseconds(1))
            // the ring inside a transaction reaches the other server when it commits
            async let woke: Duration = clock.measure { await bell.wait(upTo: .seconds(20)) }
            try await Task.sleep(for: .milliseconds(200))
            try await s.a.services.db.write(.acting(workspaceID: s.a.workspaceA.id, userID: nil), at: Date()) { tx in try await tx.ring("test_bell") }
            #expect(try await woke < .seconds(3))
            // a rolled-back transaction rings nobody elsewhere
            try? await s.a.services.db.write(.acting(workspaceID: s.a.workspaceA.id, userID: nil), at: Date()) { tx in
                try await tx.ring("test_bell")
                throw DomainError.badRequest("rolled back")
            }
            let quiet = await clock.measure { await bell.wait(upTo: .milliseconds(700)) }
            #expect(quiet >= .milliseconds(600), "a rolled-back ring woke the other server")

            // the search indexer on server b writes a ticket opened on server a long before its idle pass
            let watch = Task { try await SearchIndexWatch(db: s.bServices.db, logger: .init(label: "test")).run() }
            defer { watch.cancel() }
            try await Task.sleep(for: .milliseconds(300))
            let customer = try await s.a.createCustomer(name: "两台服务器")
            let r = try await s.a.send(.post, "/api/v1/tickets", as: .admin, json: json(["customer_id": str(customer), "subject": str("跨服务器唤醒 wake"), "body": str("内容 🙂")]))
            #expect(r.status == .created, "\(r.text)")
            var depth = 1
            let took = try await clock.measure {
                for _ in 0..<150 where depth > 0 {
                    depth = try await s.a.services.tickets.searchQueueDepth(workspaceID: nil)
                    if depth > 0 { try await Task.sleep(for: .milliseconds(20)) }
                }
            }
            #expect(depth == 0 && took < SearchIndexWatch.idle, "server b's indexer was not woken (queue \(depth) after \(took))")
        }
    }
}

@Suite("Reads from a streaming replica", .enabled(if: Backend.postgresEnabled && PostgresTests.replicaURL(database: "x") != nil))
struct ReadReplicaTests {
    /// A server over the test's database that reads from the replica (and from a replica that is down).
    static func run(_ body: @Sendable @escaping (Database, WebEnv, any TestClientProtocol) async throws -> Void) async throws {
        try await WebEnv.run(.postgres) { env in
            let name = PostgresTests.databaseName(env.services.db)!
            let down = "postgres://guanxi@127.0.0.1:1/\(name)"
            let db = try await PostgresTests.anotherServer(env.services.db, readURLs: [down, PostgresTests.replicaURL(database: name)!])
            do {
                // the health check finds the replica within a second or two
                for _ in 0..<100 {
                    if try await ReadAfterWrite.$current.withValue(ReadAfterWrite(floor: 0, primaryOnly: false), operation: { try await inRecovery(db) }) { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                let services = AppServices(db: db, clock: SystemClock())
                try await Application(router: buildRouter(services).0).test(.router) { client in try await body(db, env, client) }
                await db.close()
            } catch {
                await db.close()
                throw error
            }
        }
    }

    static func inRecovery(_ db: Database) async throws -> Bool {
        try await db.read { try await $0.raw("SELECT pg_is_in_recovery() AS r").first()!.decode(column: "r", as: Bool.self) }
    }

    @Test func requestsReadTheirWritesAndOthersReadTheReplica() async throws {
        try await Self.run { db, env, client in
            #expect(db.replicated)
            // without a request (background work, commands): the primary
            #expect(try await Self.inRecovery(db) == false)
            // a request that has written nothing reads from the replica, skipping the one that is down
            #expect(try await ReadAfterWrite.$current.withValue(ReadAfterWrite(floor: 0, primaryOnly: false)) { try await Self.inRecovery(db) })
            // a request that writes reads from the primary from its write on
            try await ReadAfterWrite.$current.withValue(ReadAfterWrite(floor: 0, primaryOnly: false)) {
                try await db.write { try await $0.raw("CREATE TABLE replica_probe (n BIGINT)").run() }
                #expect(try await Self.inRecovery(db) == false)
            }
            // each next request sees the write before it, from the replica or the primary
            for n in 1...20 {
                try await db.write { try await $0.raw("INSERT INTO replica_probe VALUES (\(bind: n))").run() }
                let floor = try await db.logPosition()
                let seen = try await ReadAfterWrite.$current.withValue(ReadAfterWrite(floor: floor, primaryOnly: false)) {
                    try await db.read { try await $0.raw("SELECT MAX(n) AS n FROM replica_probe").first()!.decode(column: "n", as: Int.self) }
                }
                #expect(seen == n)
            }

            // through the application: a create answers where its write got to; a read sent with it finds the record
            func send(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
                var fields = HTTPFields()
                fields[.authorization] = "Bearer \(env.seed.tokenA)"
                if body != nil { fields[.contentType] = "application/json" }
                for (k, v) in headers { fields[HTTPField.Name(k)!] = v }
                return try await client.execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) }) { r in
                    Reply(status: r.status, headers: r.headers, body: Data(buffer: r.body))
                }
            }
            for i in 0..<10 {
                let created = try await send(.post, "/api/v1/customers", body: json(["kind": str("person"), "name": str("副本 Replica \(i) 🙂")]))
                #expect(created.status == .created)
                let position = try #require(created.header("Guanxi-Read-After"))
                #expect(created.header("Set-Cookie")?.contains("guanxi_read_after=\(position)") == true)
                let id = created.json["id"].string ?? ""
                let read = try await send(.get, "/api/v1/customers/\(id)", headers: ["Guanxi-Read-After": position])
                #expect(read.status == .ok, "read after write: \(read.status)")
                let byCookie = try await send(.get, "/api/v1/customers/\(id)", headers: ["Cookie": "guanxi_read_after=\(position)"])
                #expect(byCookie.status == .ok)
            }
            // nonsense positions count as none
            #expect(try await send(.get, "/api/v1/customers", headers: ["Guanxi-Read-After": "1/0'; --"]).status == .ok)
            #expect(try await send(.get, "/api/v1/customers", headers: ["Guanxi-Read-After": "99999999999999999999999"]).status == .ok)
        }
    }

    @Test func aReplicaThatFallsBehindIsWaitedForThenSkipped() async throws {
        try await Self.run { db, _, _ in
            // a position the replica will not reach soon: the read waits its bound, then reads the primary
            let far = try await db.logPosition() + 1 << 40
            let clock = ContinuousClock()
            var recovering = true
            let took = try await clock.measure {
                recovering = try await ReadAfterWrite.$current.withValue(ReadAfterWrite(floor: far, primaryOnly: false)) { try await Self.inRecovery(db) }
            }
            #expect(recovering == false)
            #expect(took < .seconds(2))
        }
    }
}
