import Foundation

/// A value that writes its own JSON. Hot API answers (customers, pages of them) use this instead
/// of Foundation's `JSONEncoder`, which costs tens of microseconds per customer. The output is
/// byte-for-byte what `APIJSON.encode` writes (sorted keys, nil members left out, unescaped
/// slashes, ISO 8601 dates with milliseconds); a test holds the two together.
package protocol JSONWritable {
    func writeJSON(to w: inout JSONWriter)
    /// Bytes to reserve up front, so a page of records is not copied each time the buffer doubles.
    var jsonSizeHint: Int { get }
}

extension JSONWritable {
    package var jsonSizeHint: Int { 1024 }

    package func jsonBytes() -> [UInt8] {
        var w = JSONWriter(capacity: jsonSizeHint)
        writeJSON(to: &w)
        return w.bytes
    }
}

/// JSON already written (a page rendered where its rows were read).
package struct RenderedJSON: JSONWritable, Encodable, Sendable {
    package let bytes: [UInt8]
    package init(_ bytes: [UInt8]) { self.bytes = bytes }
    package func writeJSON(to w: inout JSONWriter) { bytes.withUnsafeBufferPointer { w.json($0) } }
    package var jsonSizeHint: Int { bytes.count }
    package func encode(to encoder: any Encoder) throws { try bytes.withUnsafeBufferPointer { try JSONParser.parse(bytes: $0) }.encode(to: encoder) }
}

/// Appends JSON to a byte buffer. Objects are written through `object { … }`; members must be
/// added in sorted key order by the caller (that is what `.sortedKeys` produces).
package struct JSONWriter {
    package private(set) var bytes: [UInt8] = []
    private var needsComma = false

    package init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    // MARK: Scalars

    package mutating func string(_ s: String) {
        separate()
        Self.appendQuoted(s, to: &bytes)
    }

    package mutating func int<T: BinaryInteger>(_ v: T) {
        separate()
        bytes.append(contentsOf: String(v).utf8)
    }

    package mutating func double(_ v: Double) {
        separate()
        if v.rounded() == v, abs(v) < 9.0e15 { bytes.append(contentsOf: String(Int64(v)).utf8) }
        else if v.isFinite { bytes.append(contentsOf: "\(v)".utf8) }
        else { bytes.append(contentsOf: "null".utf8) }
    }

    package mutating func bool(_ v: Bool) {
        separate()
        bytes.append(contentsOf: (v ? "true" : "false").utf8)
    }

    package mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    package mutating func date(_ d: Date) { date(millis: d.millis) }

    /// A string given as UTF-8 bytes (a database column read in place).
    package mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        separate()
        Self.appendQuoted(utf8: utf8, to: &bytes)
    }

    package mutating func date(millis: Int64) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        Timestamp.appendISO8601(millis: millis, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// The next value starts a new top-level value right after the last one, without a comma (rows
    /// written one after another into one buffer).
    package mutating func beginValue() { needsComma = false }

    /// A value that is already JSON, copied as it is: the caller vouches for it.
    package mutating func json(_ value: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(contentsOf: value)
    }

    package mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): double(n)
        case .string(let s): string(s)
        case .array(let a): array { w in for x in a { w.value(x) } }
        case .object(let o):
            object { w in for k in o.keys.sorted(by: JSONWriter.keyOrder) { w.key(name: k); w.value(o[k]!) } }
        }
    }

    package mutating func write<T: JSONWritable>(_ v: T) {
        separate()
        needsComma = false
        v.writeJSON(to: &self)
        needsComma = true
    }

    // MARK: Containers

    package mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member name inside `object`; the next value written is its value. Names written in the
    /// source are plain ASCII and copied as they are; `key(name:)` escapes one that comes from data.
    package mutating func key(_ k: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    package mutating func key(name k: String) {
        separate()
        Self.appendQuoted(k, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // Convenience members; optional ones are left out when nil, as the encoder does.
    package mutating func member(_ k: StaticString, _ v: String) { key(k); string(v) }
    package mutating func member(_ k: StaticString, _ v: String?) { if let v { key(k); string(v) } }
    package mutating func member(_ k: StaticString, _ v: Int) { key(k); int(v) }
    package mutating func member(_ k: StaticString, _ v: Int64) { key(k); int(v) }
    package mutating func member(_ k: StaticString, _ v: Bool) { key(k); bool(v) }
    package mutating func member(_ k: StaticString, _ v: Date) { key(k); date(v) }
    package mutating func member(_ k: StaticString, _ v: Date?) { if let v { key(k); date(v) } }
    package mutating func member(_ k: StaticString, _ v: [String]) { key(k); array { w in for s in v { w.string(s) } } }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// The order `JSONEncoder.OutputFormatting.sortedKeys` uses (lexicographic on UTF-8 here;
    /// the same for the ASCII keys the API writes).
    package static func keyOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string literal, escaped as RFC 8259 requires (and as Foundation does).
    package static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendQuoted(utf8: $0, to: &out) }
    }

    /// Copies runs that need no escaping in one go (most strings are a single run), looking for
    /// the bytes that do eight at a time.
    static func appendQuoted(utf8 u: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        while i < u.count {
            if i + 8 <= u.count, !needsEscape(UnsafeRawPointer(u.baseAddress! + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            let b = u[i]
            i += 1
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if runStart < i - 1 { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<(i - 1)])) }
            runStart = i
            out.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                out.append(contentsOf: "u00".utf8)
                out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
            }
        }
        if runStart < u.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<u.count])) }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether any of eight bytes is a control character, `"` or `\` (exact: the SWAR tests for a
    /// byte below a bound and for a zero byte have no false positives when asked only "any?").
    @inline(__always)
    static func needsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let control = (w &- ones &* 0x20) & ~w & highs
        let q = w ^ (ones &* 0x22), bs = w ^ (ones &* 0x5C)
        let quote = (q &- ones) & ~q & highs, backslash = (bs &- ones) & ~bs & highs
        return (control | quote | backslash) != 0
    }
}

extension Array: JSONWritable where Element: JSONWritable {
    package func writeJSON(to w: inout JSONWriter) {
        w.array { w in for x in self { w.write(x) } }
    }
    package var jsonSizeHint: Int { 64 + reduce(0) { $0 + $1.jsonSizeHint } }
}

/// UTC timestamps as the API writes them: `2026-01-31T09:30:00.123Z`.
package enum Timestamp {
    package static func iso8601(_ d: Date) -> String {
        var b: [UInt8] = []
        b.reserveCapacity(24)
        appendISO8601(millis: d.millis, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    package static func appendISO8601(millis: Int64, to out: inout [UInt8]) {
        var days = millis / 86_400_000
        var ms = millis % 86_400_000
        if ms < 0 { ms += 86_400_000; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        func digits(_ v: Int64, _ n: Int) {
            var div: Int64 = 1
            for _ in 1..<n { div *= 10 }
            var v = v
            while div > 0 { out.append(0x30 + UInt8(truncatingIfNeeded: (v / div) % 10)); v %= div; div /= 10 }
        }
        digits(y, 4); out.append(UInt8(ascii: "-")); digits(m, 2); out.append(UInt8(ascii: "-")); digits(d, 2)
        out.append(UInt8(ascii: "T"))
        digits(ms / 3_600_000, 2); out.append(UInt8(ascii: ":"))
        digits(ms / 60_000 % 60, 2); out.append(UInt8(ascii: ":"))
        digits(ms / 1000 % 60, 2); out.append(UInt8(ascii: "."))
        digits(ms % 1000, 3); out.append(UInt8(ascii: "Z"))
    }

    /// Reads exactly the API's date-time form — `YYYY-MM-DDTHH:MM:SS`, up to six fractional digits,
    /// then `Z` or `±HH:MM` — and nothing else: no trailing characters, no impossible days, no
    /// leap seconds. (Foundation's ISO 8601 reader accepts text after the offset; the OpenAPI
    /// document promises a pattern, and this is that pattern.)
    package static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        var i = 0
        func number(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) { guard (0x30...0x39).contains(b[k]) else { return nil }; v = v * 10 + Int64(b[k] - 0x30) }
            i += n; return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1; return true
        }
        guard let y = number(4), expect("-"), let mo = number(2), expect("-"), let d = number(2), expect("T"),
              let h = number(2), expect(":"), let mi = number(2), expect(":"), let s = number(2) else { return nil }
        guard (1...12).contains(mo), h < 24, mi < 60, s < 60, d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        guard d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(mo) - 1] else { return nil }
        var micros: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, (0x30...0x39).contains(b[i]), i - start < 6 { micros = micros * 10 + Int64(b[i] - 0x30); i += 1 }
            guard i > start else { return nil }
            for _ in 0..<(6 - (i - start)) { micros *= 10 }
        }
        var offset: Int64 = 0
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "Z") { i += 1 }
        else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2), expect(":"), let om = number(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else { return nil }
        guard i == b.count else { return nil }
        let seconds = days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    /// Proleptic Gregorian (year, month, day) → days since 1970-01-01 (H. Hinnant's algorithm).
    package static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Days since 1970-01-01 → proleptic Gregorian (year, month, day) (H. Hinnant's algorithm).
    package static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
