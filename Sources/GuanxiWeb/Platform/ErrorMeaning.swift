import Foundation
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore

/// Where an error is answered. Pages keep the statuses they have always answered (browsers show the
/// page whatever the status, and tests pin them); the API's are its contract. Aligning the two is a
/// decision of its own, which this table makes visible in one place.
package enum ErrorSurface: Sendable {
    /// `/api/v1`: the JSON error body.
    case api
    /// A page re-shown with the error beside the form it was posted from.
    case form
    /// A page replaced by the error (`Pages.failure`).
    case page
}

/// What an error means to whoever asked: the status to answer and a stable code (the API's
/// `error.code`). The one place both are decided, for the API (`ErrorMiddleware`) and the pages.
package struct ErrorMeaning: Sendable, Equatable {
    package var status: HTTPResponse.Status
    package var code: String

    package static func of(_ error: any Error, on surface: ErrorSurface = .api) -> ErrorMeaning {
        if let e = error as? DomainError {
            let (code, api, form, page): (String, HTTPResponse.Status, HTTPResponse.Status, HTTPResponse.Status) = switch e {
            case .notFound: ("not_found", .notFound, .badRequest, .notFound)
            case .validation: ("validation_failed", .unprocessableContent, .unprocessableContent, .badRequest)
            // The API's version travels in If-Match, so a stale one fails that precondition; a form carries its version in a field.
            case .staleVersion: ("version_conflict", .preconditionFailed, .conflict, .badRequest)
            // On a form a duplicate is a field to correct, not a record to fetch.
            case .duplicate: ("duplicate", .conflict, .unprocessableContent, .badRequest)
            case .conflict: ("conflict", .conflict, .conflict, .badRequest)
            case .unauthorized: ("unauthorized", .unauthorized, .badRequest, .badRequest)
            case .forbidden: ("forbidden", .forbidden, .forbidden, .forbidden)
            case .badRequest: ("bad_request", .badRequest, .badRequest, .badRequest)
            case .tooManyAttempts: ("too_many_attempts", .tooManyRequests, .tooManyRequests, .badRequest)
            }
            return ErrorMeaning(status: surface == .api ? api : surface == .form ? form : page, code: code)
        }
        let api: ErrorMeaning = switch error {
        case let e as WebError:
            switch e { case .malformedJSON: ErrorMeaning(status: .badRequest, code: "malformed_json") }
        case is MigrationError: ErrorMeaning(status: .serviceUnavailable, code: "schema")
        case let e as any HTTPResponseError:
            switch e.status {
            case .notFound: ErrorMeaning(status: .notFound, code: "route_not_found")
            case .contentTooLarge: ErrorMeaning(status: .contentTooLarge, code: "payload_too_large")
            case .methodNotAllowed: ErrorMeaning(status: .methodNotAllowed, code: "method_not_allowed")
            default: ErrorMeaning(status: e.status, code: "http_\(e.status.code)")
            }
        default: ErrorMeaning(status: .internalServerError, code: "internal")
        }
        // Pages have answered 400 for anything that is not the domain's own error.
        return surface == .api ? api : ErrorMeaning(status: .badRequest, code: api.code)
    }
}
