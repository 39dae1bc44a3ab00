import Testing
import Hummingbird
import HTTPTypes
import GuanxiCore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform
@testable import GuanxiWebCustomers
@testable import GuanxiWebSales
@testable import GuanxiWebService
@testable import GuanxiWebAccess

/// One table decides status and code for every error, for the API and for pages.
@Suite("Error meanings")
struct ErrorMeaningTests {
    struct Internal: Error {}

    @Test func everyErrorHasOneCodeAndAStatusPerSurface() {
        let cases: [(any Error, String, api: Int, form: Int, page: Int)] = [
            (DomainError.notFound("customer"), "not_found", 404, 400, 404),
            (DomainError.field("name", "is required"), "validation_failed", 422, 422, 400),
            (DomainError.staleVersion(current: 2), "version_conflict", 412, 409, 400),
            (DomainError.duplicate(field: "phones", existingID: "x", message: "taken"), "duplicate", 409, 422, 400),
            (DomainError.conflict("no"), "conflict", 409, 409, 400),
            (DomainError.unauthorized("who"), "unauthorized", 401, 400, 400),
            (DomainError.forbidden("no"), "forbidden", 403, 403, 403),
            (DomainError.badRequest("no"), "bad_request", 400, 400, 400),
            (DomainError.tooManyAttempts("wait"), "too_many_attempts", 429, 429, 400),
            (WebError.malformedJSON("x"), "malformed_json", 400, 400, 400),
            (HTTPError(.contentTooLarge), "payload_too_large", 413, 400, 400),
            (HTTPError(.notFound), "route_not_found", 404, 400, 400),
            (Internal(), "internal", 500, 400, 400),
        ]
        for (error, code, api, form, page) in cases {
            #expect(ErrorMeaning.of(error) == ErrorMeaning(status: .init(code: api), code: code), "\(error)")
            #expect(ErrorMeaning.of(error, on: .form) == ErrorMeaning(status: .init(code: form), code: code), "\(error)")
            #expect(ErrorMeaning.of(error, on: .page) == ErrorMeaning(status: .init(code: page), code: code), "\(error)")
            // and the API's body carries the same code
            let (status, body) = ErrorMiddleware<AppContext>.map(error)
            #expect(status.code == api && body.error.code == code)
        }
    }
}
