import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then randomness.
/// Sorting the lowercase string form sorts by creation time, which keyset pagination relies on.
package enum ID {
    /// A new lowercase UUIDv7 string.
    package static func make(at date: Date = Date()) -> String {
        let (a, b) = randomWords()
        return format(uuid7(at: date, a: UInt16(truncatingIfNeeded: a), b: b))
    }

    /// The smallest UUIDv7 of the millisecond of `date`: every id made at or after it sorts after it
    /// (a time cut over a key of such ids, e.g. for a purge, reads the primary key's index).
    package static func first(at date: Date) -> String { format(uuid7(at: date, a: 0, b: 0)) }

    /// The 16 bytes of a UUIDv7: the milliseconds of `date`, then `a` and `b` as its 12 and 62 free bits.
    private static func uuid7(at date: Date, a: UInt16, b: UInt64) -> [UInt8] {
        let ms = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8((ms >> (8 * (5 - UInt64(i)))) & 0xff) }
        for i in 6..<8 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt16(i - 6))) }
        for i in 8..<16 { bytes[i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i - 8))) }
        bytes[6] = (bytes[6] & 0x0f) | 0x70
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        return bytes
    }

    /// 128 random bits in one system call (each `SystemRandomNumberGenerator` draw is its own, and a
    /// captured lead makes four ids inside the serial write).
    static func randomWords() -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        #if canImport(Glibc)
        withUnsafeMutableBytes(of: &words) { arc4random_buf($0.baseAddress!, $0.count) }   // glibc ≥ 2.36: getrandom
        #else
        var rng = SystemRandomNumberGenerator()
        words = (rng.next(), rng.next())
        #endif
        return words
    }

    static func format(_ b: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: 36) { out in
            var j = 0
            for (i, byte) in b.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { out[j] = UInt8(ascii: "-"); j += 1 }
                out[j] = hexDigit(byte >> 4); out[j + 1] = hexDigit(byte & 0xf); j += 2
            }
            return j
        }
    }

    @inline(__always) static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10 }

    /// True when `s` has the shape of a UUID (any version), case-insensitive.
    package static func isValid(_ s: String) -> Bool {
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
package typealias Millis = Int64

extension Date {
    package var millis: Millis { Millis((timeIntervalSince1970 * 1000).rounded()) }
    package init(millis: Millis) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}

/// A clock that tests can control.
package protocol Clock: Sendable { func now() -> Date }
package struct SystemClock: Clock { package init() {}; package func now() -> Date { Date() } }
