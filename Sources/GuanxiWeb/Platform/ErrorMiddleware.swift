import Foundation
import Hummingbird
import HTTPTypes
import Logging
import GuanxiCore
import GuanxiStore

/// Errors that only the web layer knows about.
public enum WebError: Error, Sendable {
    case malformedJSON(String)
}

/// The one place where errors become HTTP answers:
/// `{"error":{"code":"…","message":"…","fields":{…}}}`. The caller's mistakes are 4xx, never 500.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, body) = Self.map(error)
            if status == .internalServerError {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            return APIResponse(status: status, body: APIJSON.encode(body), headers: [:]).response
        }
    }

    struct Body: Encodable {
        struct Inner: Encodable {
            var code: String
            var message: String
            var fields: [String: String]?
            var existingID: String?
            var currentVersion: Int?
            enum CodingKeys: String, CodingKey { case code, message, fields, existingID = "existing_id", currentVersion = "current_version" }
        }
        var error: Inner
    }

    static func map(_ error: any Error) -> (HTTPResponse.Status, Body) {
        func body(_ code: String, _ message: String, fields: [String: String]? = nil, existing: String? = nil, version: Int? = nil) -> Body {
            Body(error: .init(code: code, message: message, fields: fields, existingID: existing, currentVersion: version))
        }
        switch error {
        case let e as DomainError:
            switch e {
            case .notFound(let what): return (.notFound, body("not_found", "\(what) not found"))
            case .validation(let f): return (.unprocessableContent, body("validation_failed", "some fields are invalid", fields: f))
            case .staleVersion(let v):
                return (.preconditionFailed, body("version_conflict", "someone else changed this record first (now version \(v)); reload and try again", version: v))
            case .duplicate(let field, let id, let m): return (.conflict, body("duplicate", m, fields: [field: m], existing: id))
            case .conflict(let m): return (.conflict, body("conflict", m))
            case .unauthorized(let m): return (.unauthorized, body("unauthorized", m))
            case .forbidden(let m): return (.forbidden, body("forbidden", m))
            case .badRequest(let m): return (.badRequest, body("bad_request", m))
            case .tooManyAttempts(let m): return (.tooManyRequests, body("too_many_attempts", m))
            }
        case let e as WebError:
            switch e {
            case .malformedJSON(let m): return (.badRequest, body("malformed_json", "the request body is not valid JSON: \(m.prefix(200))"))
            }
        case let e as MigrationError:
            return (.serviceUnavailable, body("schema", e.description))
        case let e as any HTTPResponseError:
            switch e.status {
            case .notFound: return (.notFound, body("route_not_found", "no such endpoint"))
            case .contentTooLarge: return (.contentTooLarge, body("payload_too_large", "the request body is too large"))
            case .methodNotAllowed: return (.methodNotAllowed, body("method_not_allowed", "this endpoint does not take that method"))
            default: return (e.status, body("http_\(e.status.code)", e.status.reasonPhrase))
            }
        default:
            return (.internalServerError, body("internal", "something went wrong on the server; it has been logged"))
        }
    }
}
