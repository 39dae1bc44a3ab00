/// A field problem with a stable code beside its English text. The text is what the API sends, as
/// before; pages translate by the code (each feature declares its translations), so the wording can
/// change without a pattern to keep in step. Messages whose text varies ("'x' is not a valid email
/// address") are not coded yet: pages still match those with patterns.
public struct FieldMessage: Sendable, Hashable {
    public let code: String
    public let text: String
    public init(_ code: String, _ text: String) { self.code = code; self.text = text }

    public static let required = FieldMessage("required", "is required")
    public static let number = FieldMessage("number", "must be a number")
    public static let wholeNumber = FieldMessage("whole_number", "must be a whole number")
    public static let date = FieldMessage("date", "must be a date (YYYY-MM-DD)")
    public static let dateTime = FieldMessage("date_time", "must be a date and time (YYYY-MM-DD HH:MM)")
    public static let csvFile = FieldMessage("csv_file", "choose a CSV file")
}

extension DomainError {
    /// A validation error for a single field, with a coded message.
    public static func field(_ name: String, _ message: FieldMessage) -> DomainError { .validation([name: message.text]) }
}

extension FieldErrors {
    public mutating func add(_ field: String, _ message: FieldMessage) { add(field, message.text) }
}
