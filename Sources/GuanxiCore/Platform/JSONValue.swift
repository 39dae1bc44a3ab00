import Foundation

/// Any JSON value; used for custom field values and flexible payloads.
package enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n.rounded() == n, abs(n) < 9.0e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    package var stringValue: String? { if case .string(let s) = self { return s }; return nil }

    /// A plain-text rendering used for filters, CSV export and search.
    package var plainText: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.rounded() == n && abs(n) < 9.0e15 ? String(Int64(n)) : String(n)
        case .string(let s): return s
        case .array(let a): return a.map(\.plainText).joined(separator: ";")
        case .object: return ""
        }
    }
}

/// One shared JSON coder configuration for storage columns.
package enum JSONCoding {
    /// Foundation's encoder as the API and outgoing webhooks write records: keys sorted, slashes
    /// left alone, dates as ISO 8601 (`Timestamp.iso8601`).
    package static func apiEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(Timestamp.iso8601(date))
        }
        return e
    }

    package static func encode<T: Encodable>(_ value: T) -> String {
        // Fast paths for the shapes customer rows store most (Foundation's encoder costs
        // microseconds per call, which dominates bulk imports).
        if let strings = value as? [String] { return encode(strings: strings) }
        // timeline and audit details are JSON values: written by hand, keys sorted as Foundation would
        if let v = value as? JSONValue { return encode(v) }
        if let m = value as? [String: String] {
            var w = JSONWriter(capacity: 128)
            w.object { w in for k in m.keys.sorted(by: JSONWriter.keyOrder) { w.key(name: k); w.string(m[k]!) } }
            return String(decoding: w.bytes, as: UTF8.self)
        }
        if let o = value as? [String: JSONValue] { return encode(o) }
        if let c = value as? any Collection, c.isEmpty { return c is any _DictionaryLike ? "{}" : "[]" }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: e.encode(value), as: UTF8.self)) ?? "null"
    }
    /// Timeline and audit details without the generic version's failing casts (a third of its 1.5 %
    /// of the machine under lead capture).
    package static func encode(_ value: [String: JSONValue]) -> String { encode(JSONValue.object(value)) }
    package static func encode(_ value: JSONValue) -> String {
        var w = JSONWriter(capacity: 256); w.value(value); return String(decoding: w.bytes, as: UTF8.self)
    }
    /// A JSON object of optional strings (nil members left out), keys in the given order.
    package static func encode(object members: [(String, String?)]) -> String {
        var out = "{"
        var first = true
        for (k, v) in members {
            guard let v else { continue }
            if !first { out += "," }
            first = false
            out += quote(k) + ":" + quote(v)
        }
        return out + "}"
    }

    /// A JSON array of strings, escaped per RFC 8259.
    package static func encode(strings: [String]) -> String {
        var out = "["
        for (i, s) in strings.enumerated() {
            if i > 0 { out += "," }
            out += quote(s)
        }
        return out + "]"
    }

    /// A JSON string literal.
    package static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        JSONWriter.appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    package static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        if type == [String].self, let v = try? JSONParser.parse(text ?? "") { return v.arrayValue?.compactMap(\.stringValue) as? T }
        guard let text, let data = text.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }
}

/// Marks dictionary types so the empty fast path writes `{}` rather than `[]`.
package protocol _DictionaryLike {}
extension Dictionary: _DictionaryLike {}

extension JSONValue: ExpressibleByDictionaryLiteral, ExpressibleByStringLiteral {
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }
    package init(stringLiteral value: String) { self = .string(value) }
}
