import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// The tracking clients' addresses, outside `/api/v1` (no session, no CSRF: a write key opens
/// them): Segment's HTTP Tracking API (`/v1/track` … `/v1/batch` and the browser's short paths)
/// and PostHog's `/batch/`, `/capture/` and `/e/`. Every answer that stores events is exactly
/// 200, sent after the events are committed; 4xx say why nothing was stored; 429 sheds load.
struct EventIngest {
    let events: EventStore
    let clock: any GuanxiCore.Clock

    /// Segment's limits (the batch limit is RudderStack's for its clients, which batch up to 4 MB).
    static let maxBatchBytes = 500 * 1024
    static let maxRudderBytes = 4 * 1024 * 1024
    /// What is read off the wire at most (compressed or not).
    static let maxWireBytes = maxRudderBytes + 64 * 1024

    enum Wire { case segment(EventType?), posthog }

    static let segmentPaths: [(String, EventType?)] = [
        ("identify", .identify), ("track", .track), ("page", .page), ("screen", .screen), ("group", .group), ("alias", .alias), ("batch", nil),
        ("i", .identify), ("t", .track), ("p", .page), ("s", .screen), ("g", .group), ("a", .alias), ("b", nil),
    ]

    func register(_ router: RouterGroup<AppContext>) {
        for (path, type) in Self.segmentPaths { route(router, "/v1/" + path, .segment(type)) }
        for path in ["/batch", "/capture", "/e", "/track", "/i/v0/e"] { route(router, path, .posthog) }
        Tracker.register(router)
    }

    private func route(_ router: RouterGroup<AppContext>, _ path: String, _ proto: Wire) {
        router.post(RouterPath(path)) { request, context in await self.receive(request, context, proto) }
        router.on(RouterPath(path), method: .options) { request, _ in await self.preflight(request) }
    }

    /// A browser's CORS preflight: answered for origins some enabled source allows.
    func preflight(_ request: Request) async -> Response {
        guard let origin = request.headers[.origin], (try? await events.originAllowed(origin)) == true else {
            return Response(status: .noContent)
        }
        var h = Self.cors(origin)
        h[.accessControlAllowMethods] = "POST, OPTIONS"
        h[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "Content-Type, Authorization, Content-Encoding"
        h[.accessControlMaxAge] = "86400"
        return Response(status: .noContent, headers: h)
    }

    func receive(_ request: Request, _ context: AppContext, _ proto: Wire) async -> Response {
        let origin = request.headers[.origin]
        let receivedAt = clock.now()
        var request = request
        // the body, gunzipped when the header says so or the bytes show it
        var bytes: [UInt8]
        do {
            let buffer = try await request.collectBody(upTo: Self.maxWireBytes)
            bytes = Array(buffer: buffer)
        } catch {
            return refuse(.contentTooLarge, "payload_too_large", "the request body is larger than \(Self.maxRudderBytes) bytes", origin: nil)
        }
        let declared = request.headers[.contentEncoding]?.lowercased()
        if declared == "gzip" || Gunzip.isGzip(bytes) {
            do { bytes = try Gunzip.decompress(bytes, limit: Self.maxRudderBytes) } catch Gunzip.Failure.tooLarge {
                return refuse(.contentTooLarge, "payload_too_large", "the batch is larger than \(Self.maxRudderBytes) bytes", origin: nil)
            } catch {
                return refuse(.badRequest, "invalid_gzip", "the body is not valid gzip", origin: nil)
            }
        } else if let d = declared, !d.isEmpty, d != "identity" {
            return refuse(.unsupportedMediaType, "unsupported_encoding", "Content-Encoding \(d) is not supported (gzip is)", origin: nil)
        }
        if bytes.count > Self.maxRudderBytes {
            return refuse(.contentTooLarge, "payload_too_large", "the batch is \(bytes.count) bytes; at most \(Self.maxRudderBytes) are accepted", origin: nil)
        }
        let body: JSONValue
        do { body = try bytes.withUnsafeBufferPointer { try JSONParser.parse(bytes: $0) } } catch {
            return await refuseNoted(.badRequest, "invalid_json", "the body is not JSON", Self.writeKey(request), bytes)
        }
        // the key the body carries, for a refusal of its events to reach the source's debugger
        let bodyKey = body.objectValue.flatMap { $0["writeKey"]?.stringValue ?? $0["api_key"]?.stringValue }
        let batch: EventBatch
        do {
            switch proto {
            case .segment(let type): batch = try EventIntake.segment(body, type: type, receivedAt: receivedAt, newID: { UUID().uuidString.lowercased() })
            case .posthog: batch = try EventIntake.posthog(body, receivedAt: receivedAt, newID: { UUID().uuidString.lowercased() })
            }
        } catch let r as EventIntake.Refusal {
            return await refuseNoted(.badRequest, "invalid_event", r.reason, Self.writeKey(request) ?? bodyKey, bytes)
        } catch {
            return refuse(.badRequest, "invalid_event", "the events could not be read", origin: nil)
        }
        // RudderStack's clients may send 4 MB, the others 500 KB
        let limit = Self.isRudderStack(request) || batch.fromRudderStack ? Self.maxRudderBytes : Self.maxBatchBytes
        if bytes.count > limit {
            return await refuseNoted(.contentTooLarge, "payload_too_large", "the batch is \(bytes.count) bytes; at most \(limit) are accepted",
                                     Self.writeKey(request) ?? batch.writeKey, bytes)
        }
        // the key: Basic (key as user), Bearer, a header, the query, or the body
        guard let writeKey = Self.writeKey(request) ?? batch.writeKey else {
            return refuse(.unauthorized, "unauthorized", "a write key is required (Basic with the key as user, or writeKey in the body)", origin: nil)
        }
        let key: SourceKey?
        do { key = try await events.key(writeKey) } catch {
            return refuse(.serviceUnavailable, "unavailable", "events cannot be received right now; retry", origin: nil, retryAfter: "5")
        }
        guard let key else { return refuse(.unauthorized, "unauthorized", "the write key is not valid", origin: nil) }
        guard key.enabled else { return refuse(.forbidden, "source_disabled", "this source is disabled", origin: nil) }
        guard key.allows(origin: origin) else {
            let message = "this source does not accept events from \(origin ?? "")"
            await events.recordRefusal(key, code: "origin_not_allowed", message: message, sample: Self.sample(bytes))
            return refuse(.forbidden, "origin_not_allowed", message, origin: nil)
        }
        if batch.messages.isEmpty { return ok(proto, origin: origin) }
        do {
            _ = try await events.ingest(EventIntakeItem(key: key, messages: batch.messages, receivedAt: receivedAt))
        } catch is EventIntakeBusy {
            return refuse(.tooManyRequests, "too_many_requests", "too many events are waiting to be stored; retry shortly", origin: origin, retryAfter: "1")
        } catch {
            // the group's transaction rolled back: nothing of this request is stored
            context.logger.error("events not stored", metadata: ["error": "\(String(reflecting: error))"])
            return refuse(.serviceUnavailable, "unavailable", "the events were not stored; retry", origin: origin, retryAfter: "2")
        }
        return ok(proto, origin: origin)
    }

    /// A refusal of a request whose key names a source: kept for that source's debugger (a key
    /// that opens nothing is not noted anywhere).
    private func refuseNoted(_ status: HTTPResponse.Status, _ code: String, _ message: String, _ writeKey: String?, _ bytes: [UInt8]) async -> Response {
        if let writeKey, let key = try? await events.key(writeKey) {
            await events.recordRefusal(key, code: code, message: message, sample: Self.sample(bytes))
        }
        return refuse(status, code, message, origin: nil)
    }

    /// The start of a body as text, for the debugger.
    static func sample(_ bytes: [UInt8]) -> String { String(decoding: bytes.prefix(1_000), as: UTF8.self) }

    private func ok(_ proto: Wire, origin: String?) -> Response {
        let body: String
        switch proto {
        case .segment: body = #"{"success":true}"#
        case .posthog: body = #"{"status":1}"#
        }
        return Self.answer(.ok, body, origin: origin, retryAfter: nil)
    }

    /// A refusal the clients understand: `code` and `message` (Segment's clients read both).
    private func refuse(_ status: HTTPResponse.Status, _ code: String, _ message: String, origin: String?, retryAfter: String? = nil) -> Response {
        let body = JSONCoding.encode(JSONValue.object(["success": .bool(false), "code": .string(code), "message": .string(message)]))
        return Self.answer(status, body, origin: origin, retryAfter: retryAfter)
    }

    private static func answer(_ status: HTTPResponse.Status, _ body: String, origin: String?, retryAfter: String?) -> Response {
        var h = origin.map(cors) ?? HTTPFields()
        h[.contentType] = "application/json; charset=utf-8"
        if let retryAfter { h[.retryAfter] = retryAfter }
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private static func cors(_ origin: String) -> HTTPFields {
        var h = HTTPFields()
        h[.accessControlAllowOrigin] = origin
        h[.vary] = "Origin"
        h[.accessControlAllowCredentials] = "true"
        return h
    }

    /// The write key from the request's headers or query (the body's is read with the events).
    static func writeKey(_ request: Request) -> String? {
        if let auth = request.headers[.authorization] {
            let parts = auth.split(separator: " ", maxSplits: 1)
            if parts.count == 2 {
                let scheme = parts[0].lowercased(), value = parts[1].trimmingCharacters(in: .whitespaces)
                if scheme == "basic", let d = Data(base64Encoded: value), let text = String(data: d, encoding: .utf8) {
                    let user = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                    if !user.isEmpty { return user }
                } else if scheme == "bearer", !value.isEmpty {
                    return value
                }
            }
        }
        if let h = HTTPField.Name("X-Write-Key"), let v = request.headers[h], !v.isEmpty { return v }
        for name in ["writeKey", "api_key", "token"] { if let v = request.uri.queryParameters.get(name), !v.isEmpty { return v } }
        return nil
    }

    /// RudderStack's clients batch up to 4 MB (their user agent or library says who they are).
    static func isRudderStack(_ request: Request) -> Bool {
        let agent = request.headers[.userAgent]?.lowercased() ?? ""
        if agent.contains("rudder") { return true }
        if let h = HTTPField.Name("AnonymousId"), request.headers[h] != nil { return true }   // RudderStack's clients send it
        return false
    }
}
