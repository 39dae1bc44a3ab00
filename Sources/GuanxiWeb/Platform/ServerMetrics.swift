import Foundation
import Synchronization
import GuanxiStore

/// The server's own counts, kept in memory for `/metrics` (Prometheus) and the status page:
/// requests by route pattern, method and status class with their latency, background jobs' runs,
/// and the last server errors. Labels come from the route table, never from the raw path, so the
/// number of series is bounded by the routes registered. One lock per kind of count; a request
/// takes it once, for a dictionary look-up and a few additions (the bucket is found before).
package final class ServerMetrics: Sendable {
    /// Off (`GUANXI_METRICS=off`): requests are not counted (request ids and the request log stay).
    package let counting: Bool
    /// Where the request log's lines go (one JSON object per line), nil for none.
    package let log: (@Sendable (String) -> Void)?
    package let started = Date()

    private let requests = Mutex<[RouteKey: RouteSeries]>([:])
    private let jobs = Mutex<[String: JobCounts]>([:])
    private let errors = Mutex(ErrorRing())

    package init(counting: Bool = true, log: (@Sendable (String) -> Void)? = nil) {
        self.counting = counting; self.log = log
    }

    struct RouteKey: Hashable { var method: String; var route: String }
    struct RouteSeries {
        /// 1xx … 5xx.
        var statuses = [UInt64](repeating: 0, count: 5)
        var buckets = [UInt64](repeating: 0, count: Histogram.latency.count + 1)
        var sum = 0.0
        var count: UInt64 = 0
    }

    /// Counts one answered request.
    package func request(method: String, route: String, status: Int, seconds: Double) {
        guard counting else { return }
        let bounds = Histogram.latency
        var i = 0
        while i < bounds.count && seconds > bounds[i] { i += 1 }
        let s = min(max(status / 100, 1), 5) - 1
        requests.withLock { all in
            all[RouteKey(method: method, route: route), default: RouteSeries()].record(status: s, bucket: i, seconds: seconds)
        }
    }

    // MARK: Background jobs

    package struct JobCounts: Sendable, Equatable {
        package var runs = 0
        package var failures = 0
        package var lastRun: Date?
        package var lastFailure: Date?
    }

    /// Records one pass of a background job (`sla_watch`, `mail_watch`, `webhook_watch`, `housekeeping`).
    package func jobRan(_ name: String, ok: Bool, at now: Date = Date()) {
        jobs.withLock { all in
            var j = all[name, default: JobCounts()]
            j.runs += 1; j.lastRun = now
            if !ok { j.failures += 1; j.lastFailure = now }
            all[name] = j
        }
    }

    package var jobCounts: [(name: String, counts: JobCounts)] {
        jobs.withLock { $0 }.sorted { $0.key < $1.key }.map { (name: $0.key, counts: $0.value) }
    }

    // MARK: Recent server errors

    /// A request answered with a 5xx, as the status page lists it.
    package struct RecentError: Sendable, Encodable, Equatable {
        package var at: Date
        package var requestID: String
        package var method: String
        package var route: String
        package var status: Int
        package var workspaceID: String?
        enum CodingKeys: String, CodingKey { case at, requestID = "request_id", method, route, status }
    }

    struct ErrorRing {
        static let capacity = 50
        var items: [RecentError] = []
        var next = 0
        mutating func add(_ e: RecentError) {
            if items.count < Self.capacity { items.append(e) } else { items[next] = e }
            next = (next + 1) % Self.capacity
        }
        /// Newest first.
        var newestFirst: [RecentError] { Array(items[..<min(next, items.count)].reversed()) + Array(items[min(next, items.count)...].reversed()) }
    }

    package func serverError(_ e: RecentError) { errors.withLock { $0.add(e) } }

    /// The last server errors, newest first: those of a workspace's signed-in requests, and (for
    /// server administrators) those of requests nobody signed in to.
    package func recentErrors(workspaceID: String, includingAnonymous: Bool) -> [RecentError] {
        let all = errors.withLock { $0.newestFirst }
        return all.filter { $0.workspaceID == workspaceID || (includingAnonymous && $0.workspaceID == nil) }
    }

    // MARK: Exposition

    /// Writes the request and job families.
    package func write(to out: inout Exposition) {
        let series = requests.withLock { $0 }.sorted { ($0.key.route, $0.key.method) < ($1.key.route, $1.key.method) }
        out.family("guanxi_http_requests_total", "counter", "HTTP requests answered, by method, route pattern and status class.")
        for (k, s) in series {
            for (i, n) in s.statuses.enumerated() where n > 0 {
                out.sample("guanxi_http_requests_total", [("method", k.method), ("route", k.route), ("status", "\(i + 1)xx")], Double(n))
            }
        }
        out.family("guanxi_http_request_duration_seconds", "histogram", "Time from a request's arrival to its answer, by method and route pattern.")
        for (k, s) in series {
            out.histogram("guanxi_http_request_duration_seconds", [("method", k.method), ("route", k.route)],
                          bounds: Histogram.latency, buckets: s.buckets, sum: s.sum, count: s.count)
        }
        let jobs = jobCounts
        out.family("guanxi_job_runs_total", "counter", "Passes of each background job.")
        for j in jobs { out.sample("guanxi_job_runs_total", [("job", j.name)], Double(j.counts.runs)) }
        out.family("guanxi_job_failures_total", "counter", "Passes of each background job that failed.")
        for j in jobs { out.sample("guanxi_job_failures_total", [("job", j.name)], Double(j.counts.failures)) }
        out.family("guanxi_job_last_run_timestamp_seconds", "gauge", "When each background job last ran (Unix seconds).")
        for j in jobs { out.sample("guanxi_job_last_run_timestamp_seconds", [("job", j.name)], j.counts.lastRun?.timeIntervalSince1970 ?? 0) }
    }
}

extension ServerMetrics.RouteSeries {
    mutating func record(status: Int, bucket: Int, seconds: Double) {
        statuses[status] &+= 1; buckets[bucket] &+= 1; sum += seconds; count &+= 1
    }
}

/// The Prometheus text exposition format (version 0.0.4): `# HELP` and `# TYPE` before each
/// family's samples, label values escaped, histograms as cumulative `_bucket{le=…}`, `_sum`, `_count`.
package struct Exposition {
    package private(set) var text = ""
    package init() {}
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    package mutating func family(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(Self.escape(help, quotes: false))\n# TYPE \(name) \(type)\n"
    }

    package mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1, quotes: true))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.number(value) + "\n"
    }

    /// One histogram's series; `buckets` are per bucket (the last is +Inf) and written cumulatively.
    package mutating func histogram(_ name: String, _ labels: [(String, String)], bounds: [Double], buckets: [UInt64], sum: Double, count: UInt64) {
        var running: UInt64 = 0
        for (i, n) in buckets.enumerated() {
            running &+= n
            sample(name + "_bucket", labels + [("le", i < bounds.count ? Self.number(bounds[i]) : "+Inf")], Double(running))
        }
        sample(name + "_sum", labels, sum)
        sample(name + "_count", labels, Double(count))
    }

    package mutating func histogram(_ name: String, _ labels: [(String, String)], _ h: Histogram) {
        let c = h.counts
        histogram(name, labels, bounds: h.bounds, buckets: c.buckets, sum: c.sum, count: c.count)
    }

    /// Backslash and newline always; double quotes in label values.
    package static func escape(_ s: String, quotes: Bool) -> String {
        guard s.contains(where: { $0 == "\\" || $0 == "\n" || (quotes && $0 == "\"") }) else { return s }
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quotes: out += "\\\""
            default: out.append(ch)
            }
        }
        return out
    }

    package static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
