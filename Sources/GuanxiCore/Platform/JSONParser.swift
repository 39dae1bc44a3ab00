import Foundation

/// A small, strict RFC 8259 parser into `JSONValue`. Reading the JSON columns of a customer row
/// with it is several times cheaper than `JSONDecoder`, which the list and search answers felt.
package enum JSONParser {
    package struct Failure: Error, Equatable { package var offset: Int }

    package static func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try parse(bytes: $0) }
    }

    package static func parse(bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var p = Cursor(b: bytes, i: 0)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == bytes.count else { throw Failure(offset: p.i) }
        return v
    }

    /// The strings of a JSON array, skipping its other values, as `parse(text).strings` gives them,
    /// without building a `JSONValue` for each (emails, phones and tags of every listed customer).
    package static func strings(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { b in
            var p = Cursor(b: b, i: 0)
            var out: [String] = []
            p.skipSpace()
            guard p.i < b.count, b[p.i] == UInt8(ascii: "[") else { return (try? parse(bytes: b))?.strings ?? [] }
            p.i += 1
            p.skipSpace()
            if p.i < b.count, b[p.i] == UInt8(ascii: "]") { p.i += 1; p.skipSpace(); return p.i == b.count ? out : [] }
            while true {
                p.skipSpace()
                guard p.i < b.count, b[p.i] == UInt8(ascii: "\""), let s = try? p.string() else {
                    return (try? parse(bytes: b))?.strings ?? []   // other values, or malformed: the general path decides
                }
                out.append(s)
                p.skipSpace()
                guard p.i < b.count else { return [] }
                if b[p.i] == UInt8(ascii: ",") { p.i += 1; continue }
                if b[p.i] == UInt8(ascii: "]") { p.i += 1; p.skipSpace(); return p.i == b.count ? out : [] }
                return []
            }
        }
    }

    /// The members of a JSON object whose values are all strings, in file order, as
    /// `parse(text).objectValue` gives them; nil for any other shape (the caller then uses `parse`).
    /// Reads a customer's consent without building a `JSONValue` dictionary.
    package static func stringMembers(_ text: String) -> [(String, String)]? {
        var text = text
        return text.withUTF8 { b in
            var p = Cursor(b: b, i: 0)
            p.skipSpace()
            var out: [(String, String)] = []
            guard p.flatObject(into: &out) else { return nil }
            p.skipSpace()
            return p.i == b.count ? out : nil
        }
    }

    /// `stringMembers` for each object of a JSON array of such objects (a customer's addresses);
    /// nil for any other shape.
    package static func stringMemberLists(_ text: String) -> [[(String, String)]]? {
        var text = text
        return text.withUTF8 { b in
            var p = Cursor(b: b, i: 0)
            var out: [[(String, String)]] = []
            p.skipSpace()
            guard p.i < b.count, b[p.i] == UInt8(ascii: "[") else { return nil }
            p.i += 1
            p.skipSpace()
            if p.i < b.count, b[p.i] == UInt8(ascii: "]") { p.i += 1; p.skipSpace(); return p.i == b.count ? out : nil }
            while true {
                p.skipSpace()
                var members: [(String, String)] = []
                guard p.flatObject(into: &members) else { return nil }
                out.append(members)
                p.skipSpace()
                guard p.i < b.count else { return nil }
                if b[p.i] == UInt8(ascii: ",") { p.i += 1; continue }
                if b[p.i] == UInt8(ascii: "]") { p.i += 1; p.skipSpace(); return p.i == b.count ? out : nil }
                return nil
            }
        }
    }

    struct Cursor {
        let b: UnsafeBufferPointer<UInt8>
        var i: Int

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        func fail() -> Failure { Failure(offset: i) }

        /// An object of string members at `{` (false for anything else; keys repeat as parsed).
        mutating func flatObject(into out: inout [(String, String)]) -> Bool {
            guard i < b.count, b[i] == UInt8(ascii: "{") else { return false }
            i += 1
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return true }
            while true {
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: "\""), let k = try? string() else { return false }
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
                i += 1
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: "\""), let v = try? string() else { return false }
                out.append((k, v))
                skipSpace()
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return true }
                return false
            }
        }

        mutating func literal(_ word: StaticString, _ v: JSONValue) throws -> JSONValue {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count else { throw fail() }
            for k in 0..<n where b[i + k] != word.utf8Start[k] { throw fail() }
            i += n
            return v
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 64, i < b.count else { throw fail() }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var o: [String: JSONValue] = [:]
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                while true {
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail() }
                    let k = try string()
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail() }
                    i += 1
                    skipSpace()
                    o[k] = try value(depth: depth + 1)
                    skipSpace()
                    guard i < b.count else { throw fail() }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                    throw fail()
                }
            case UInt8(ascii: "["):
                i += 1
                var a: [JSONValue] = []
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    skipSpace()
                    a.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < b.count else { throw fail() }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                    throw fail()
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return .number(try number())
            }
        }

        mutating func number() throws -> Double {
            let start = i
            if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; digits += 1 }
            guard digits > 0 else { throw fail() }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                var frac = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; frac += 1 }
                guard frac > 0 else { throw fail() }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                var exp = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; exp += 1 }
                guard exp > 0 else { throw fail() }
            }
            guard let d = Double(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)) else { throw fail() }
            return d
        }

        /// A string literal starting at the opening quote.
        mutating func string() throws -> String {
            i += 1
            let start = i
            // Fast path: no escapes.
            while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") {
                guard b[i] >= 0x20 else { throw fail() }
                i += 1
            }
            guard i < b.count else { throw fail() }
            if b[i] == UInt8(ascii: "\"") {
                defer { i += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
            }
            var out = Array(UnsafeBufferPointer(rebasing: b[start..<i]))
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
                if c < 0x20 { throw fail() }
                if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
                i += 1
                guard i < b.count else { throw fail() }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else { throw fail() }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw fail()
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar)!).utf8)
                default: throw fail()
                }
            }
            throw fail()
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= b.count else { throw fail() }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = b[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw fail()
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }
    }
}

extension JSONValue {
    package var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    package var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    /// An array of strings (non-strings skipped).
    package var strings: [String] { arrayValue?.compactMap(\.stringValue) ?? [] }
}
