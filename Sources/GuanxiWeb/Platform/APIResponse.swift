import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import GuanxiCore
import GuanxiStore

/// What an API handler answers: status, JSON bytes and extra headers. Handlers return this rather
/// than a `Response` so idempotent replays can store and resend exactly the same bytes.
package struct APIResponse: Sendable {
    package var status: HTTPResponse.Status
    package var body: Data
    package var headers: [String: String]
    package var contentType = "application/json; charset=utf-8"
    /// A body written while it is made (exports): each chunk goes out as the producer hands it over,
    /// so a large download never sits whole in memory. Not stored for idempotent replays.
    package var stream: (@Sendable (_ write: (Data) async throws -> Void) async throws -> Void)?

    /// A streamed download: its content type, the file name a browser saves it as, and its producer.
    package static func streamed(contentType: String, filename: String,
                                 _ produce: @escaping @Sendable (_ write: (Data) async throws -> Void) async throws -> Void) -> APIResponse {
        var r = APIResponse(status: .ok, body: Data(), headers: ["Content-Disposition": "attachment; filename=\"\(filename)\"", "Cache-Control": "no-store"],
                            contentType: contentType)
        r.stream = produce
        return r
    }

    package init(status: HTTPResponse.Status, body: Data, headers: [String: String], contentType: String = "application/json; charset=utf-8") {
        self.status = status; self.body = body; self.headers = headers; self.contentType = contentType
    }

    package static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, etag version: Int? = nil) -> APIResponse {
        var h: [String: String] = [:]
        if let version { h["ETag"] = "\"\(version)\"" }
        let body = (value as? any JSONWritable).map { Data($0.jsonBytes()) } ?? APIJSON.encode(value)
        return APIResponse(status: status, body: body, headers: h)
    }

    package static let noContent = APIResponse(status: .noContent, body: Data(), headers: [:])

    package var response: Response {
        var fields = HTTPFields()
        if !body.isEmpty || status != .noContent { fields[.contentType] = contentType }
        for (k, v) in headers { if let name = HTTPField.Name(k) { fields[name] = v } }
        if let stream {
            fields[.contentType] = contentType
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                try await stream { data in try await writer.write(ByteBuffer(bytes: data)) }
                try await writer.finish(nil)
            })
        }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// A list answer: `{"items": […]}`.
package struct Items<T: Encodable & Sendable>: Encodable, Sendable {
    package var items: [T]
    package init(items: [T]) { self.items = items }
}

/// Lists of hand-written-JSON records skip `JSONEncoder` too (search answers spent a third of the
/// server's time in it before).
extension Items: JSONWritable where T: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) { w.object { w in w.key("items"); w.write(items) } }
    package var jsonSizeHint: Int { items.jsonSizeHint + 16 }
}

/// The API's JSON conventions: snake_case keys (declared per type), ISO 8601 dates with milliseconds.
package enum APIJSON {

    package static func encode<T: Encodable>(_ value: T) -> Data {
        (try? JSONCoding.apiEncoder().encode(value)) ?? Data("{}".utf8)
    }

    package static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { dec in
            let c = try dec.singleValueContainer()
            let s = try c.decode(String.self)
            if let d = Timestamp.parse(s) { return d }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an ISO 8601 date-time such as 2026-01-31T09:30:00Z")
        }
        return d
    }
}

/// Reading request bodies with the size limits and error shapes the API promises.
package enum APIBody {
    package static let maxJSON = 1 << 20          // 1 MiB
    package static let maxUpload = 64 << 20       // 64 MiB CSV
    /// A message with its files: the attachments' 25 MB and room for the text and the multipart framing.
    package static let maxAttachments = 27 << 20

    /// Collects the body (413 above `limit`).
    package static func bytes(_ request: Request, limit: Int = maxJSON) async throws -> Data {
        var r = request
        let buffer = try await r.collectBody(upTo: limit)
        return Data(buffer: buffer)
    }

    /// Decodes JSON: 400 when it is not JSON, 422 naming the field when a value has the wrong type.
    package static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if data.isEmpty { throw DomainError.badRequest("the request body is empty; send JSON") }
        if let readable = T.self as? any JSONReadable.Type {
            let value: JSONValue
            do { value = try data.withUnsafeBytes { try JSONParser.parse(bytes: $0.bindMemory(to: UInt8.self)) } } catch let f as JSONParser.Failure {
                throw WebError.malformedJSON("not valid JSON at byte \(f.offset)")
            }
            switch value {
            case .object(let o): return try readable.init(json: o) as! T
            case .null: throw DomainError.badRequest("the request body must be a JSON object, not null")
            default: throw DomainError.badRequest("the request body must be a JSON object")
            }
        }
        return try decodeCodable(type, from: data)
    }

    /// The Codable reading every body type has (and the one a `JSONReadable` must agree with).
    package static func decodeCodable<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try APIJSON.decoder().decode(T.self, from: data)
        } catch let DecodingError.dataCorrupted(ctx) where ctx.codingPath.isEmpty {
            // the decoder refuses a whole document for one number it cannot hold; name that field instead
            let tooLarge = outOfRangeNumbers(data)
            if !tooLarge.isEmpty { throw DomainError.validation(Dictionary(tooLarge.map { ($0, DomainMessage.tooLarge) }) { a, _ in a }) }
            throw WebError.malformedJSON(ctx.underlyingError.map { "\($0)" } ?? ctx.debugDescription)
        } catch DecodingError.typeMismatch(_, let ctx) where ctx.codingPath.isEmpty {
            // The body is JSON but not an object (e.g. `[]`, `"x"`): there is no field to name.
            throw DomainError.badRequest("the request body must be a JSON object")
        } catch DecodingError.valueNotFound(_, let ctx) where ctx.codingPath.isEmpty {
            throw DomainError.badRequest("the request body must be a JSON object, not null")
        } catch let DecodingError.dataCorrupted(ctx) {
            throw DomainError.field(path(ctx.codingPath), DomainMessage(ctx.debugDescription))
        } catch let DecodingError.typeMismatch(t, ctx) {
            throw DomainError.field(path(ctx.codingPath), "has the wrong type (expected \(describe(t)))")
        } catch let DecodingError.valueNotFound(_, ctx) {
            throw DomainError.field(path(ctx.codingPath), "must not be null")
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw DomainError.field(path(ctx.codingPath + [key]), .required)
        }
    }

    /// The fields (`stages[0].probability`) of well-formed JSON whose numbers no Swift integer holds
    /// (past ±2⁶³) or that overflow a double; empty when the JSON is malformed or has none.
    package static func outOfRangeNumbers(_ data: Data) -> [String] {
        guard let value = try? data.withUnsafeBytes({ try JSONParser.parse(bytes: $0.bindMemory(to: UInt8.self)) }) else { return [] }
        var out: [String] = []
        func walk(_ v: JSONValue, _ path: String) {
            switch v {
            case .number(let n) where !path.isEmpty && (!n.isFinite || abs(n) >= 9.223372036854775807e18): out.append(path)
            case .object(let o): for (k, x) in o { walk(x, path.isEmpty ? k : path + "." + k) }
            case .array(let a): for (i, x) in a.enumerated() { walk(x, path + "[\(i)]") }
            default: break
            }
        }
        walk(value, "")
        return out.sorted()
    }

    package static func json<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let data = try await bytes(request)
        try refuseNUL(data)
        return try decode(type, from: data)
    }

    /// No field takes a NUL character, and PostgreSQL cannot store one in text (it answered 500):
    /// a `\u0000` escape anywhere in the body is refused.
    package static func refuseNUL(_ data: Data) throws {
        let nul = Array("u0000".utf8)
        try data.withUnsafeBytes { (b: UnsafeRawBufferPointer) in
            var i = 0
            while i < b.count {
                guard b[i] == UInt8(ascii: "\\") else { i += 1; continue }
                if i + 5 < b.count, (1...5).allSatisfy({ b[i + $0] == nul[$0 - 1] }) {
                    throw DomainError.badRequest("text must not contain NUL characters (\\u0000)")
                }
                i += 2   // an escape: the next byte is never the start of another
            }
        }
    }

    package static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
            .replacingOccurrences(of: ".[", with: "[")
    }

    package static func describe(_ t: Any.Type) -> String {
        let s = String(describing: t)
        if s.hasPrefix("Dictionary") { return "an object" }
        if s.hasPrefix("Array") { return "a list" }
        if s.contains("String") { return "a string" }
        if s.contains("Int") || s.contains("Double") { return "a number" }
        if s.contains("Bool") { return "true or false" }
        if s.contains("Array") { return "a list" }
        return "an object"
    }
}

extension Request {
    /// The version named by If-Match, nil when absent or `*`. An entity tag this server never
    /// issued (not a version number, malformed, or a list naming none) matches no version, so the
    /// precondition is false and the store answers 412 with the current version (RFC 9110 13.1.1).
    package func ifMatchVersion() throws -> Int? {
        guard let raw = headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, raw != "*" else { return nil }
        for tag in raw.split(separator: ",") {
            var v = tag.trimmingCharacters(in: .whitespaces)
            if v == "*" { return nil }
            if v.hasPrefix("W/") { v.removeFirst(2) }
            if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = String(v.dropFirst().dropLast()) }
            // "7", or "7-<digest>" when the answer carried other capabilities' fields (a customer's scores)
            if let n = Int(v.prefix { $0 != "-" }), n > 0 { return n }
        }
        return Self.noVersion
    }

    /// A version no record has: what an If-Match names when it names none of ours.
    static let noVersion = -1

    package func query(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }
}
