import Foundation
import Testing
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Synchronization
import GuanxiCore
import GuanxiStore
import GuanxiWeb
@testable import GuanxiWebPlatform
import GuanxiTestSupport

/// `/metrics`, request ids, the request log and the status page.
@Suite("Metrics and status")
struct MetricsTests {
    /// The application with a request log kept in memory and a route that fails with a 500
    /// (`/api/v1/test-failure/{id}`, behind the API's authentication like every operation).
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
        func withLock<T>(_ body: (inout [String]) -> T) -> T { all.withLock { body(&$0) } }
    }

    static func run(_ backend: Backend, _ body: @Sendable @escaping (WebEnv, Lines) async throws -> Void) async throws {
        try await TestDatabase.with(backend, seed: Seed.web) { db, seed in
            let lines = Lines()
            let services = AppServices(db: db, metrics: ServerMetrics(log: { line in lines.withLock { $0.append(line) } }))
            let (router, table, pageTable) = buildRouterAndPages(services)
            struct Boom: Error {}
            table.group.get("test-failure/:id") { _, _ -> Response in throw Boom() }
            try await Application(router: router).test(.router) { client in
                try await body(WebEnv(client: client, services: services, table: table, pageTable: pageTable, seed: seed), lines)
            }
        }
    }

    @Test(arguments: Backend.all) func metricsFromAnotherHostNeedATokenThatMayReadSettings(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a request that did not come over the loopback interface (the test client has no peer address)
            // when /metrics is asked without a token, with a sales rep's, with a bad one and with an admin's
            let none = try await env.get("/metrics", as: .none)
            let rep = try await env.get("/metrics", as: .a)
            let bad = try await env.get("/metrics", as: .bearer("gx_not-a-token"))
            let admin = try await env.get("/metrics", as: .admin)
            // then only the admin's token reads them
            #expect(none.status == .unauthorized && none.errorCode == "unauthorized")
            #expect(rep.status == .forbidden && rep.errorCode == "forbidden")
            #expect(bad.status == .unauthorized)
            #expect(admin.status == .ok)
            #expect(admin.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(admin.text.contains("# TYPE guanxi_http_requests_total counter"))
            #expect(admin.text.contains("# TYPE guanxi_db_write_wait_seconds histogram"))
            #expect(admin.text.contains("guanxi_queue_depth{queue=\"webhook_dead\"} 0"))
            #expect(admin.text.contains("guanxi_queue_depth{queue=\"mail_pending\"} 0"))
            #expect(admin.text.contains("guanxi_db_connections{pool="))
        }
    }

    @Test func loopbackIsOnlyTheLocalInterfaceWithoutAProxy() {
        // given addresses and forwarding headers, then only a loopback peer that no proxy relayed is local
        func local(_ address: String, _ headers: [String: String] = [:]) -> Bool {
            var h = HTTPFields()
            for (k, v) in headers { h[HTTPField.Name(k)!] = v }
            return MetricsEndpoint.isLocal(address: address, headers: h)
        }
        #expect(local("127.0.0.1") && local("::1") && local("::ffff:127.0.0.1") && local("127.0.0.53"))
        #expect(!local("10.0.0.8") && !local("local") && !local("::ffff:10.0.0.8") && !local("1127.0.0.1"))
        #expect(!local("127.0.0.1", ["X-Forwarded-For": "203.0.113.9"]) && !local("::1", ["Forwarded": "for=203.0.113.9"]))
    }

    @Test(arguments: Backend.all) func requestsAreCountedByRoutePatternNeverByRawPath(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given a customer read by its id, an address no route has, and a failing read
            let id = try await env.createCustomer(name: "张三 🐼")
            _ = try await env.get("/api/v1/customers/\(id)")
            _ = try await env.get("/api/v1/customers/\(id)")
            _ = try await env.get("/api/v1/no-such-thing/\(id)x")
            _ = try await env.get("/api/v1/customers/0190aaaa-0000-7000-8000-000000000000")
            // when the metrics are read
            let text = try await env.get("/metrics", as: .admin).text
            // then the route's pattern is the label, twice 2xx and once 4xx, and no raw id appears
            #expect(text.contains("guanxi_http_requests_total{method=\"GET\",route=\"/api/v1/customers/{id}\",status=\"2xx\"} 2"), "\(text.prefix(3000))")
            #expect(text.contains("guanxi_http_requests_total{method=\"GET\",route=\"/api/v1/customers/{id}\",status=\"4xx\"} 1"))
            #expect(text.contains("guanxi_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"4xx\"} 1"))
            #expect(text.contains("guanxi_http_requests_total{method=\"POST\",route=\"/api/v1/customers\",status=\"2xx\"} 1"))
            #expect(text.contains("guanxi_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/customers/{id}\"} 3"))
            #expect(text.contains("guanxi_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/customers/{id}\",le=\"+Inf\"} 3"))
            #expect(!text.contains(id) && !text.contains("0190aaaa") && !text.contains("no-such-thing"))
        }
    }

    @Test func labelValuesAndHelpAreEscapedAndBucketsAreCumulative() {
        // given a sample whose label holds a quote, a backslash and a newline, and a histogram
        var out = Exposition()
        out.family("x_total", "counter", "Help with a \\ and a\nnewline.")
        out.sample("x_total", [("route", "a\"b\\c\nd 中文")], 3)
        let h = Histogram(bounds: [0.1, 1])
        h.observe(0.05); h.observe(0.5); h.observe(0.5); h.observe(7)
        out.histogram("y_seconds", [("job", "j")], h)
        // then the text follows the exposition format
        #expect(out.text.contains("# HELP x_total Help with a \\\\ and a\\nnewline.\n# TYPE x_total counter\n"))
        #expect(out.text.contains("x_total{route=\"a\\\"b\\\\c\\nd 中文\"} 3\n"))
        #expect(out.text.contains("y_seconds_bucket{job=\"j\",le=\"0.1\"} 1\ny_seconds_bucket{job=\"j\",le=\"1\"} 3\ny_seconds_bucket{job=\"j\",le=\"+Inf\"} 4\n"))
        #expect(out.text.contains("y_seconds_sum{job=\"j\"} 8.05\ny_seconds_count{job=\"j\"} 4\n"))
        #expect(RequestID.route("/api/v1/tickets/:id/replies/:reply") == "/api/v1/tickets/{id}/replies/{reply}")
        #expect(RequestID.route("NotFound") == "unmatched" && RequestID.route(nil) == "unmatched")
    }

    @Test(arguments: Backend.all) func everyAnswerCarriesARequestIDTheCallersWhenItIsSane(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given requests with a sane id, none, and ids that are too long or carry unsafe characters
            let sane = try await env.send(.get, "/api/v1/customers", headers: ["X-Request-Id": "lb-7f3a:01.x_y"])
            let none = try await env.get("/api/v1/customers")
            let page = try await env.get("/sign-in", as: .none)
            var replaced: [String] = []
            for bad in [String(repeating: "a", count: 129), "two words", "<script>", "id\"x", "请求", "a\u{0}b"] {
                let r = try await env.send(.get, "/api/v1/customers", headers: ["X-Request-Id": bad])
                #expect(r.header("X-Request-Id") != bad)
                replaced.append(r.header("X-Request-Id") ?? "")
            }
            // then the sane id comes back, and the others get a new one each (a UUID)
            #expect(sane.header("X-Request-Id") == "lb-7f3a:01.x_y")
            for id in [none.header("X-Request-Id"), page.header("X-Request-Id")] + replaced.map(Optional.some) {
                #expect(id?.count == 36 && UUID(uuidString: id ?? "") != nil, "\(id ?? "nil")")
            }
            #expect(Set(replaced).count == replaced.count)
            // and an error's body names the request
            let missing = try await env.send(.get, "/api/v1/customers/0190aaaa-0000-7000-8000-000000000000", headers: ["X-Request-Id": "trace-1"])
            #expect(missing.status == .notFound && missing.json["error"]["request_id"].string == "trace-1")
        }
    }

    @Test(arguments: Backend.all) func theRequestLogHasOneJSONLinePerRequestAndNoSecrets(_ backend: Backend) async throws {
        try await Self.run(backend) { env, lines in
            // given a signed request with a secret in its query, a failed sign-in with a password, and a server error
            _ = try await env.send(.get, "/api/v1/customers?q=secret-query&token=gx_querysecret", headers: ["X-Request-Id": "req-1", "Cookie": "gx_session=cookiesecret"])
            _ = try await env.send(.post, "/api/v1/auth/sign-in", as: .none, json: #"{"email":"rep-a@example.com","password":"wrong-password-秘密"}"#,
                                   headers: ["X-Request-Id": "req-2"])
            let failed = try await env.send(.get, "/api/v1/test-failure/0190bbbb", headers: ["X-Request-Id": "req-3"])
            #expect(failed.status == .internalServerError && failed.json["error"]["request_id"].string == "req-3")
            // when the log is read
            let log = lines.withLock { $0 }
            // then each request is one JSON object on one line, with the pattern, status and who asked, and nothing secret
            #expect(log.count == 3)
            let all = log.joined()
            for secret in ["secret-query", "gx_querysecret", "cookiesecret", "wrong-password", env.seed.tokenA, "0190bbbb"] {
                #expect(!all.contains(secret), "\(secret) in the log")
            }
            let entries = log.map { J(Data($0.utf8)) }
            #expect(log.allSatisfy { $0.hasSuffix("}\n") && $0.dropLast().contains("\n") == false })
            #expect(entries[0]["request_id"].string == "req-1" && entries[0]["route"].string == "/api/v1/customers"
                    && entries[0]["status"].int == 200 && entries[0]["method"].string == "GET")
            #expect(entries[0]["workspace_id"].string == env.workspaceA.id && entries[0]["user_id"].string != nil)
            #expect(entries[0]["time"].string?.hasSuffix("Z") == true && entries[0]["duration_ms"].value != nil)
            #expect(entries[1]["route"].string == "/api/v1/auth/sign-in" && entries[1]["status"].int == 401 && entries[1]["user_id"].isNull)
            #expect(entries[2]["route"].string == "/api/v1/test-failure/{id}" && entries[2]["status"].int == 500)
            // and the failed sign-in is counted
            #expect(env.services.db.stats.failedSignIns.load(ordering: .relaxed) == 1)
            #expect(try await env.get("/metrics", as: .admin).text.contains("guanxi_sign_in_failures_total 1\n"))
        }
    }

    @Test(arguments: Backend.all) func theStatusIsForAdministratorsAndShowsTheirWorkspacesErrorsOnly(_ backend: Backend) async throws {
        try await Self.run(backend) { env, _ in
            // given a server error in workspace A's request and one in workspace B's
            _ = try await env.send(.get, "/api/v1/test-failure/1", headers: ["X-Request-Id": "in-a"])
            _ = try await env.send(.get, "/api/v1/test-failure/2", as: .b, headers: ["X-Request-Id": "in-b"])
            // when each asks for the status
            let a = try await env.get("/api/v1/status", as: .admin)
            let b = try await env.get("/api/v1/status", as: .b)
            let rep = try await env.get("/api/v1/status", as: .a)
            let nobody = try await env.get("/api/v1/status", as: .none)
            // then administrators see the server and their own workspace's errors; others are refused
            #expect(a.status == .ok && b.status == .ok)
            #expect(rep.status == .forbidden && nobody.status == .unauthorized)
            #expect(a.json["recent_errors"].array.map { $0["request_id"].string } == ["in-a"])
            #expect(b.json["recent_errors"].array.map { $0["request_id"].string } == ["in-b"])
            #expect(a.json["recent_errors"][0]["route"].string == "/api/v1/test-failure/{id}" && a.json["recent_errors"][0]["status"].int == 500)
            #expect(a.json["version"].string == GuanxiVersion.current)
            #expect(a.json["schema"]["current"].int == a.json["schema"]["latest"].int && (a.json["schema"]["latest"].int ?? 0) > 0)
            #expect(a.json["database"]["kind"].string == env.services.db.dialect.rawValue)
            #expect((a.json["database"]["size_bytes"].int ?? 0) > 0)
            #expect(a.json["last_backup"].isNull)
            #expect(Set(a.json["queues"].array.compactMap { $0["name"].string }) == ["ingest", "webhook_pending", "webhook_dead", "mail_pending", "mail_failed", "search_index"])
        }
    }

    @Test(arguments: Backend.all) func theLastBackupIsTheNewestWrittenInTheBackupLog(_ backend: Backend) async throws {
        try await TestDatabase.with(backend, seed: Seed.web) { db, seed in
            let services = AppServices(db: db)
            // given a backup written, and a later one that failed
            let at = Date(timeIntervalSince1970: 1_796_000_000)
            try await BackupLog(db: db).record(BackupRecord(startedAt: at.addingTimeInterval(-3), finishedAt: at,
                                                            file: "/srv/backups/guanxi-20261206.backup", bytes: 12_345, sha256: "ab", schemaVersion: 21))
            try await BackupLog(db: db).record(BackupRecord(startedAt: at.addingTimeInterval(60), finishedAt: at.addingTimeInterval(61),
                                                            file: "/srv/backups/full.backup", error: "No space left on device"))
            let (router, table, pageTable) = buildRouterAndPages(services)
            try await Application(router: router).test(.router) { client in
                let env = WebEnv(client: client, services: services, table: table, pageTable: pageTable, seed: seed)
                // when the status is read, then it names the one written
                let r = try await env.get("/api/v1/status", as: .admin)
                #expect(r.json["last_backup"]["kind"].string == db.dialect.rawValue && r.json["last_backup"]["size_bytes"].int == 12_345)
                #expect(r.json["last_backup"]["location"].string == "/srv/backups/guanxi-20261206.backup")
                #expect(r.json["last_backup"]["taken_at"].string?.hasPrefix("2026-11-30") == true, "\(r.json["last_backup"])")
            }
        }
    }

    @Test(arguments: Backend.all) func theStatusPageIsInTheSettingsForAdministratorsInEachLanguage(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            // given an administrator and a sales rep signed in
            let admin = try await PageTests().signIn(env, email: "admin-a@example.com", password: "password-admin")
            let rep = try await PageTests().signIn(env)
            // and every background job of the server has run
            for job in ["housekeeping", "mail_watch", "search_index", "sla_watch", "text_messages", "webhook_watch"] {
                env.services.metrics.jobRan(job, ok: true)
            }
            // when they open the status page in each language
            for (lang, words) in [("zh-Hans", ["系统状态", "最近备份", "从未备份", "Webhook 死信"]), ("zh-Hant", ["系統狀態", "從未備份", "待傳送的回覆郵件"]),
                                  ("en", ["Status", "Last backup", "Never", "Replies waiting to be mailed", "No server errors."])] {
                let r = try await env.send(.get, "/settings/status", as: .none, headers: ["Cookie": admin.jar["Cookie"]! + "; gx_lang=\(lang)"])
                // then it shows the server's state in that language
                #expect(r.status == .ok)
                for w in words { #expect(r.text.contains(w), "\(lang): \(w)") }
                #expect(!r.text.contains("job_"), "\(lang): a background job shown by its key, not its name")
                #expect(r.text.contains(GuanxiVersion.current))
            }
            let settings = try await env.send(.get, "/settings/users", as: .none, headers: admin.jar)
            #expect(settings.text.contains("href=\"/settings/status\""))
            // and a sales rep is refused
            let refused = try await env.send(.get, "/settings/status", as: .none, headers: rep.jar)
            #expect(refused.status == .forbidden)
        }
    }

    /// What one request adds, measured in place (the server's A/B in bench/api/metrics.sh is the
    /// real check; this one says where the time goes and fails only if something went badly wrong).
    @Test func countingARequestAndItsLogLineCostMicroseconds() {
        let m = ServerMetrics()
        let routes = (0..<60).map { "/api/v1/route\($0)/{id}" }
        let n = 200_000
        let clock = ContinuousClock()
        let counting = clock.measure {
            for i in 0..<n { m.request(method: "GET", route: routes[i % routes.count], status: 200, seconds: Double(i % 1000) / 10_000) }
        }
        let note = RequestNote(requestID: "0193a1c2-0000-7000-8000-000000000000")
        note.signedIn(Scope(workspaceID: "0193a1c2-0000-7000-8000-000000000001", userID: "0193a1c2-0000-7000-8000-000000000002", role: .admin))
        var bytes = 0
        let line = clock.measure {
            for _ in 0..<(n / 10) {
                bytes &+= RequestID.line(id: note.requestID, method: "GET", route: "/api/v1/customers/{id}", status: 200, seconds: 0.0031, note: note).utf8.count
            }
        }
        let perCount = Double(counting.components.attoseconds) / 1e9 / Double(n) + Double(counting.components.seconds) * 1e9 / Double(n)
        let perLine = Double(line.components.attoseconds) / 1e9 / Double(n / 10) + Double(line.components.seconds) * 1e9 / Double(n / 10)
        print("metrics cost: counting \(Int(perCount)) ns per request, log line \(Int(perLine)) ns per request (\(bytes / (n / 10)) bytes)")
        #expect(perCount < 100_000 && perLine < 100_000)
    }
}
