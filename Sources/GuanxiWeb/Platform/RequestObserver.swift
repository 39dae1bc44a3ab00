import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore

/// The outermost middleware: gives every request an id (the caller's `X-Request-Id` when it is a
/// sane one, else a new one), answers it in `X-Request-Id`, counts the request by its route
/// pattern in `Metrics`, keeps 5xx answers for the status page and writes the request's log line:
/// time, id, method, route pattern, status, duration and who asked — never the query string,
/// headers, cookies or tokens.
package struct RequestObserver: RouterMiddleware {
    package typealias Context = AppContext
    package let metrics: ServerMetrics
    package init(metrics: ServerMetrics) { self.metrics = metrics }

    package func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let id = RequestID.accept(request.headers[RequestID.header]) ?? ID.make()
        var ctx = context
        let note = RequestNote(requestID: id)   // the error body repeats the id (ErrorMiddleware)
        ctx.note = note
        var status = 500
        defer {
            let d = ContinuousClock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            let route = RequestID.route(context.endpointPath), method = RequestID.method(request.method)
            metrics.request(method: method, route: route, status: status, seconds: seconds)
            if status >= 500 {
                metrics.serverError(.init(at: Date(), requestID: id, method: method, route: route, status: status, workspaceID: note.workspaceID))
            }
            if let log = metrics.log { log(RequestID.line(id: id, method: method, route: route, status: status, seconds: seconds, note: note)) }
        }
        var response = try await next(request, ctx)
        status = Int(response.status.code)
        response.headers[RequestID.header] = id
        return response
    }
}

/// Request ids, route labels and the request log's line.
package enum RequestID {
    package static let header = HTTPField.Name("X-Request-Id")!

    /// The caller's id when it is 1–128 letters, digits, `-`, `_`, `.` or `:`; nil otherwise (a new one is made).
    package static func accept(_ value: String?) -> String? {
        guard let v = value, !v.isEmpty, v.utf8.count <= 128,
              v.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46 || $0 == 58 })
        else { return nil }
        return v
    }

    /// The route table's pattern (`/api/v1/tickets/{id}`, as Hummingbird describes the matched route;
    /// a `:id` form is turned into it), `unmatched` for addresses no route has.
    package static func route(_ endpoint: String?) -> String {
        guard let e = endpoint, e != "NotFound", !e.isEmpty else { return "unmatched" }
        guard e.contains(":") else { return e }
        return e.split(separator: "/", omittingEmptySubsequences: false)
            .map { part -> String in part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part) }.joined(separator: "/")
    }

    private static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    /// The method, or `OTHER` (a label must not take whatever a client sends).
    package static func method(_ m: HTTPRequest.Method) -> String { methods.contains(m.rawValue) ? m.rawValue : "OTHER" }

    /// One JSON object on one line.
    static func line(id: String, method: String, route: String, status: Int, seconds: Double, note: RequestNote) -> String {
        let who = note.ids
        var s = "{\"time\":\"\(timestamp(Date()))\",\"request_id\":\"\(id)\",\"method\":\"\(method)\",\"route\":\"\(json(route))\",\"status\":\(status),"
        s += "\"duration_ms\":\(Double(Int((seconds * 1_000_000).rounded())) / 1000)"
        if let w = who.workspaceID { s += ",\"workspace_id\":\"\(json(w))\"" }
        if let u = who.userID { s += ",\"user_id\":\"\(json(u))\"" }
        return s + "}\n"
    }

    /// ISO 8601 UTC with milliseconds, without a formatter.
    static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var t = time_t(ms / 1000), parts = tm()
        gmtime_r(&t, &parts)
        let tm = parts
        func pad(_ n: Int32, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(ms % 1000), 3))Z"
    }

    private static func json(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0 == "\"" || $0 == "\\" || $0.value < 0x20 }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
