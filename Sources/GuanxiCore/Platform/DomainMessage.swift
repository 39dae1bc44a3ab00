/// A sentence the domain says, with a stable key beside its English text. Written as a string
/// literal wherever an error is raised — `DomainError.field("email", "'\(raw)' is not a valid email
/// address")`, `e.add("tags", "at most \(max) tags")` — it records the literal's
/// template as its key ("'{0}' is not a valid email address"), the interpolated values as its
/// arguments and the English text as before. The API sends the text; pages look the key up in the
/// features' translations and put the arguments back in.
package struct DomainMessage: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible, CustomDebugStringConvertible {
    /// The template: the literal's text with `{0}`, `{1}` … where values were interpolated.
    package let key: String
    /// The interpolated values, in order, as text.
    package let arguments: [String]
    /// The English sentence.
    package let text: String

    package init(stringLiteral value: String) { self.init(key: value, arguments: [], text: value) }

    /// A sentence that arrives as a `String` (read from elsewhere, or built by a helper): its text
    /// is its key, so one without variable parts is still found by pages.
    package init(_ text: String) { self.init(stringLiteral: text) }

    package init(stringInterpolation s: Interpolation) { self.init(key: s.key, arguments: s.arguments, text: s.text) }

    private init(key: String, arguments: [String], text: String) { self.key = key; self.arguments = arguments; self.text = text }

    package struct Interpolation: StringInterpolationProtocol {
        var key = "", text = "", arguments: [String] = []
        package init(literalCapacity: Int, interpolationCount: Int) {}
        package mutating func appendLiteral(_ literal: String) { key += literal; text += literal }
        package mutating func appendInterpolation<T>(_ value: T) {
            let v = String(describing: value)
            key += "{\(arguments.count)}"
            arguments.append(v)
            text += v
        }
    }

    package var description: String { text }
    /// As a `String` would print (`"\(error)"` of a `DomainError` reads as before).
    package var debugDescription: String { text.debugDescription }
}

/// Two messages are equal when they say the same thing, however they were written.
extension DomainMessage: Hashable {
    package static func == (a: DomainMessage, b: DomainMessage) -> Bool { a.text == b.text }
    package func hash(into h: inout Hasher) { h.combine(text) }
}

/// The API carries the English text, as it always has. What the database keeps for later pages
/// (import reports) is written with `keepingKeys`, so the key and arguments come back with it; a
/// bare text (an older row) reads as a message whose key is its text.
extension DomainMessage: Codable {
    private enum Parts: String, CodingKey { case text, key, arguments }
    package static let keepingKeys = CodingUserInfoKey(rawValue: "guanxi.domainMessage.keys")!

    package init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) { self.init(text); return }
        let c = try decoder.container(keyedBy: Parts.self)
        self.init(key: try c.decode(String.self, forKey: .key), arguments: try c.decode([String].self, forKey: .arguments),
                  text: try c.decode(String.self, forKey: .text))
    }
    package func encode(to encoder: any Encoder) throws {
        if encoder.userInfo[Self.keepingKeys] as? Bool == true {
            var c = encoder.container(keyedBy: Parts.self)
            try c.encode(text, forKey: .text); try c.encode(key, forKey: .key); try c.encode(arguments, forKey: .arguments)
        } else {
            var c = encoder.singleValueContainer()
            try c.encode(text)
        }
    }
}

/// Field messages that many validators share.
extension DomainMessage {
    package static let required: DomainMessage = "is required"
    package static let number: DomainMessage = "must be a number"
    package static let wholeNumber: DomainMessage = "must be a whole number"
    /// A number beyond what the field can hold (past 2⁶³ for a count, infinite, …).
    package static let tooLarge: DomainMessage = "is a number too large for this field"
    package static let date: DomainMessage = "must be a date (YYYY-MM-DD)"
    package static let dateTime: DomainMessage = "must be a date and time (YYYY-MM-DD HH:MM)"
    package static let csvFile: DomainMessage = "choose a CSV file"
    /// A text longer than a field takes.
    package static func longerThan(_ limit: Int) -> DomainMessage { "is longer than \(limit) characters" }
    /// A value outside a fixed list.
    package static func oneOf(_ values: [String]) -> DomainMessage { "must be one of: \(values.joined(separator: ", "))" }
    package static func oneOf<T: CaseIterable & RawRepresentable>(_: T.Type) -> DomainMessage where T.RawValue == String {
        oneOf(T.allCases.map(\.rawValue))
    }
}
