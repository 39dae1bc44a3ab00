/// Errors the domain raises. They know nothing about HTTP: GuanxiWeb maps them to status codes
/// in one place (`ErrorMeaning`), for the API and the pages.
package enum DomainError: Error, Sendable, Equatable {
    /// The record does not exist in the caller's workspace (other workspaces' ids look the same).
    case notFound(String)
    /// One or more fields are invalid; keys are field names, values are messages.
    case validation([String: DomainMessage])
    /// The write was based on a version that is no longer current.
    case staleVersion(current: Int)
    /// The record already exists (e.g. an identity belongs to another customer).
    case duplicate(field: String, existingID: String, message: DomainMessage)
    /// The operation conflicts with the record's state.
    case conflict(DomainMessage)
    /// The caller is not signed in or the credential is wrong.
    case unauthorized(DomainMessage)
    /// The caller is signed in but may not do this.
    case forbidden(DomainMessage)
    /// The request is malformed in a way that is not about one field.
    case badRequest(DomainMessage)
    /// Too many attempts (sign-in lockout or rate limit); try again later, at the latest after `retryAfterSeconds`.
    case tooManyAttempts(DomainMessage)

    /// The longest any attempt limit holds (the sign-in window and lockout, 15 minutes; a public
    /// form's window, 10): the wait a "too many" answer names (`Retry-After`).
    package static let retryAfterSeconds = 15 * 60

    /// A validation error for a single field.
    package static func field(_ name: String, _ message: DomainMessage) -> DomainError {
        .validation([name: message])
    }
    /// The same for a message that arrives as a `String` (a literal takes the one above: generic and
    /// disfavoured, this one loses to it).
    @_disfavoredOverload
    package static func field(_ name: String, _ message: some StringProtocol) -> DomainError { field(name, DomainMessage(String(message))) }
}

/// Collects field errors so that a caller sees every problem at once, not just the first.
package struct FieldErrors: Sendable {
    package private(set) var messages: [String: DomainMessage] = [:]
    package init() {}
    package mutating func add(_ field: String, _ message: DomainMessage) {
        if messages[field] == nil { messages[field] = message }
    }
    /// The same for a message that arrives as a `String` (a literal takes the one above).
    @_disfavoredOverload
    package mutating func add(_ field: String, _ message: some StringProtocol) { add(field, DomainMessage(String(message))) }
    package var isEmpty: Bool { messages.isEmpty }
    /// Throws a `.validation` error when anything was collected.
    package func throwIfAny() throws(DomainError) {
        if !messages.isEmpty { throw DomainError.validation(messages) }
    }
}
