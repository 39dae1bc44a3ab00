/// A field problem with a stable code beside its English text. The text is what the API sends, as
/// before; pages translate by the code (each feature declares its translations), so the wording can
/// change without a pattern to keep in step. Messages whose text varies ("'x' is not a valid email
/// address") are not coded yet: pages still match those with patterns.
package struct FieldMessage: Sendable, Hashable {
    package let code: String
    package let text: String
    package init(_ code: String, _ text: String) { self.code = code; self.text = text }

    package static let required = FieldMessage("required", "is required")
    package static let number = FieldMessage("number", "must be a number")
    package static let wholeNumber = FieldMessage("whole_number", "must be a whole number")
    package static let date = FieldMessage("date", "must be a date (YYYY-MM-DD)")
    package static let dateTime = FieldMessage("date_time", "must be a date and time (YYYY-MM-DD HH:MM)")
    package static let csvFile = FieldMessage("csv_file", "choose a CSV file")
}

extension DomainError {
    /// A validation error for a single field, with a coded message.
    package static func field(_ name: String, _ message: FieldMessage) -> DomainError { .validation([name: message.text]) }
}

extension FieldErrors {
    package mutating func add(_ field: String, _ message: FieldMessage) { add(field, message.text) }
}
