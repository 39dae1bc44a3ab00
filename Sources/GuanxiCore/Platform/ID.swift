import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then randomness.
/// Sorting the lowercase string form sorts by creation time, which keyset pagination relies on.
public enum ID {
    /// A new lowercase UUIDv7 string.
    public static func make(at date: Date = Date()) -> String {
        let ms = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8((ms >> (8 * (5 - UInt64(i)))) & 0xff) }
        var rng = SystemRandomNumberGenerator()
        // Two draws instead of ten: each draw is a system call, and bulk loads make millions of ids.
        let a = rng.next(), b = rng.next()
        for i in 6..<8 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i - 6))) }
        for i in 8..<16 { bytes[i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i - 8))) }
        bytes[6] = (bytes[6] & 0x0f) | 0x70
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        return format(bytes)
    }

    static func format(_ b: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (i, byte) in b.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `s` has the shape of a UUID (any version), case-insensitive.
    public static func isValid(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 36 else { return false }
        for (i, c) in u.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if c != UInt8(ascii: "-") { return false }
            } else if !((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) {
                return false
            }
        }
        return true
    }
}

/// Milliseconds since the Unix epoch: how every timestamp is stored (UTC).
public typealias Millis = Int64

extension Date {
    public var millis: Millis { Millis((timeIntervalSince1970 * 1000).rounded()) }
    public init(millis: Millis) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}

/// A clock that tests can control.
public protocol Clock: Sendable { func now() -> Date }
public struct SystemClock: Clock { public init() {}; public func now() -> Date { Date() } }
