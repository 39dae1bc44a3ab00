import Foundation

/// Low-level helpers for parsing numbers and splitting CSV lines straight from UTF-8 bytes.
enum ByteParsing {
    /// Exact powers of ten representable in a Double.
    static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// Parses a decimal number (`-12.50`, `3`, `1e3`, optional quotes/spaces) from `bytes[lo..<hi]`.
    /// Plain decimals with at most 15 significant digits are converted exactly (correctly rounded);
    /// anything else falls back to `strtod`.
    @inline(__always)
    static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Double? {
        var lo = lo
        var hi = hi
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x22 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x22 || bytes[hi - 1] == 0x0D { hi -= 1 }
        if lo == hi { return nil }
        var i = lo
        var negative = false
        if bytes[i] == 0x2D { negative = true; i += 1 } else if bytes[i] == 0x2B { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenDot = false
        var simple = true
        while i < hi {
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 {
                if digits < 18 {
                    mantissa = mantissa * 10 + UInt64(c - 0x30)
                    if mantissa != 0 { digits += 1 }
                    if seenDot { fractionDigits += 1 }
                } else {
                    simple = false
                }
            } else if c == 0x2E && !seenDot {
                seenDot = true
            } else {
                simple = false
                break
            }
            i += 1
        }
        if simple && i == hi && digits <= 15 && fractionDigits <= 22 {
            if i == lo + (negative ? 1 : 0) { return nil }
            var value = Double(mantissa)
            if fractionDigits > 0 { value /= powersOfTen[fractionDigits] }
            return negative ? -value : value
        }
        // Fallback: strtod on a NUL-terminated copy; the whole field must be consumed.
        var copy = [CChar](repeating: 0, count: hi - lo + 1)
        for k in lo..<hi { copy[k - lo] = CChar(bitPattern: bytes[k]) }
        return copy.withUnsafeMutableBufferPointer { buf -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buf.baseAddress!, &end)
            guard let end, end - buf.baseAddress! == hi - lo, v.isFinite else { return nil }
            return v
        }
    }

    /// Trims spaces, a trailing CR and surrounding double quotes from a field.
    @inline(__always)
    static func trim(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> (Int, Int) {
        var lo = lo
        var hi = hi
        while lo < hi, bytes[lo] == 0x20 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x0D { hi -= 1 }
        if hi - lo >= 2, bytes[lo] == 0x22, bytes[hi - 1] == 0x22 { lo += 1; hi -= 1 }
        return (lo, hi)
    }

    /// The text of `bytes[lo..<hi]`.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self)
    }

    /// Splits a header line into lower-cased, trimmed column names.
    static func headerColumns(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> [String] {
        var columns: [String] = []
        var start = lo
        for i in lo...hi where i == hi || bytes[i] == 0x2C {
            let (a, b) = trim(bytes, start, i)
            columns.append(string(bytes, a, b).lowercased())
            start = i + 1
        }
        if let first = columns.first, first.hasPrefix("\u{FEFF}") {
            columns[0] = String(first.dropFirst())
        }
        return columns
    }
}

/// Interns byte strings (customer ids, items) into dense `Int32` indices without allocating a
/// `String` per row: an open-addressing hash table over `(offset, length)` references into the input.
struct ByteStringInterner {
    private var slots: [Int32]
    private var hashes: [UInt64]
    private(set) var starts: [Int]
    private(set) var lengths: [Int]
    private var mask: Int

    init(expected: Int = 1024) {
        var capacity = 1024
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        hashes = []
        starts = []
        lengths = []
        mask = capacity - 1
    }

    var count: Int { starts.count }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in lo..<hi {
            h ^= UInt64(bytes[i])
            h &*= 0x0000_0100_0000_01B3
        }
        return h ^ (h >> 29)
    }

    /// The index of `bytes[lo..<hi]`, adding it if new.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int32 {
        let h = Self.hash(bytes, lo, hi)
        var slot = Int(truncatingIfNeeded: h) & mask
        let length = hi - lo
        while true {
            let existing = slots[slot]
            if existing < 0 { break }
            let e = Int(existing)
            if hashes[e] == h, lengths[e] == length,
               memcmp(bytes.baseAddress! + starts[e], bytes.baseAddress! + lo, length) == 0 {
                return existing
            }
            slot = (slot + 1) & mask
        }
        let index = Int32(starts.count)
        slots[slot] = index
        hashes.append(h)
        starts.append(lo)
        lengths.append(length)
        if starts.count * 2 > mask + 1 { grow() }
        return index
    }

    private mutating func grow() {
        let capacity = (mask + 1) * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }

    /// The interned strings as Swift `String`s, in index order.
    func strings(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        (0..<starts.count).map { ByteParsing.string(bytes, starts[$0], starts[$0] + lengths[$0]) }
    }
}
