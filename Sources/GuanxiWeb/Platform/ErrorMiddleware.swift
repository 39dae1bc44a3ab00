import Foundation
import Hummingbird
import HTTPTypes
import Logging
import GuanxiCore
import GuanxiStore

/// Errors that only the web layer knows about.
package enum WebError: Error, Sendable {
    case malformedJSON(String)
}

/// Where the API's errors become HTTP answers:
/// `{"error":{"code":"…","message":"…","fields":{…}}}`. The caller's mistakes are 4xx, never 500;
/// `ErrorMeaning` decides status and code, for pages as well.
package struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, mapped) = Self.map(error)
            var body = mapped
            body.error.requestID = (context as? AppContext)?.note?.requestID
            if status == .internalServerError {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)",
                                                                  "request_id": "\(body.error.requestID ?? "")"])
            }
            return APIResponse(status: status, body: APIJSON.encode(body), headers: [:]).response
        }
    }

    package struct Body: Encodable {
        package struct Inner: Encodable {
            package var code: String
            package var message: String
            package var fields: [String: String]?
            package var existingID: String?
            package var currentVersion: Int?
            /// The request's id (`X-Request-Id`), to find its log line.
            package var requestID: String?
            package enum CodingKeys: String, CodingKey {
                case code, message, fields, existingID = "existing_id", currentVersion = "current_version", requestID = "request_id"
            }
        }
        package var error: Inner
    }

    /// The answer for any error: status and code from `ErrorMeaning`, the sentence and details here.
    package static func map(_ error: any Error) -> (HTTPResponse.Status, Body) {
        let meaning = ErrorMeaning.of(error)
        func body(_ message: String, fields: [String: String]? = nil, existing: String? = nil, version: Int? = nil) -> Body {
            Body(error: .init(code: meaning.code, message: message, fields: fields, existingID: existing, currentVersion: version))
        }
        let answer: Body = switch error {
        case let e as DomainError:
            switch e {
            case .notFound(let what): body("\(what) not found")
            case .validation(let f): body("some fields are invalid", fields: f.mapValues(\.text))
            case .staleVersion(let v): body("someone else changed this record first (now version \(v)); reload and try again", version: v)
            case .duplicate(let field, let id, let m): body(m.text, fields: [field: m.text], existing: id)
            case .conflict(let m), .unauthorized(let m), .forbidden(let m), .badRequest(let m), .tooManyAttempts(let m): body(m.text)
            }
        case WebError.malformedJSON(let m): body("the request body is not valid JSON: \(m.prefix(200))")
        case let e as MigrationError: body(e.description)
        case let e as any HTTPResponseError:
            switch e.status {
            case .notFound: body("no such endpoint")
            case .contentTooLarge: body("the request body is too large")
            case .methodNotAllowed: body("this endpoint does not take that method")
            default: body(e.status.reasonPhrase)
            }
        default: body("something went wrong on the server; it has been logged")
        }
        return (meaning.status, answer)
    }
}
