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
/// `String` per row: an open-addressing (linear probing) hash table over `(offset, length)`
/// references into the input.
///
/// Each slot keeps the first 16 bytes of its key inline, so a lookup of a key of up to 16 bytes
/// (the usual id) touches one slot and nothing else: no separate hash, offset or input access.
/// Longer keys compare the rest against the input.
struct ByteStringInterner {
    /// A table slot: the key's hash, first 16 bytes (zero-padded), length and index (−1 = empty).
    /// 32 bytes, so with the table 64-byte aligned no slot straddles two cache lines.
    struct Slot {
        var hash: UInt64
        var w0: UInt64
        var w1: UInt64
        var index: Int32
        var length: Int32
    }

    /// The slot array in memory of its own: 2 MiB-aligned and, on Linux, advised to use huge pages
    /// when large, because random probes into a table bigger than the cache otherwise pay a TLB
    /// miss on top of the cache miss.
    final class SlotTable {
        let slots: UnsafeMutableBufferPointer<Slot>
        private let raw: UnsafeMutableRawPointer

        init(capacity: Int) {
            let size = capacity * MemoryLayout<Slot>.stride
            let huge = size >= 4 << 20
            var pointer: UnsafeMutableRawPointer? = nil
            guard posix_memalign(&pointer, huge ? 2 << 20 : 64, size) == 0, let pointer else {
                fatalError("out of memory for a \(size)-byte hash table")
            }
            #if os(Linux)
            if huge { _ = madvise(pointer, size, MADV_HUGEPAGE) }
            #endif
            raw = pointer
            slots = UnsafeMutableBufferPointer(start: pointer.bindMemory(to: Slot.self, capacity: capacity), count: capacity)
            slots.initialize(repeating: Slot(hash: 0, w0: 0, w1: 0, index: -1, length: 0))
        }

        func copy() -> SlotTable {
            let other = SlotTable(capacity: slots.count)
            _ = other.slots.update(fromContentsOf: slots)
            return other
        }

        deinit { free(raw) }
    }

    private var table: SlotTable
    private var slots: UnsafeMutableBufferPointer<Slot> { table.slots }
    private(set) var starts: [Int]
    private(set) var lengths: [Int32]
    private var mask: Int

    init(expected: Int = 1024) {
        var capacity = 1024
        while capacity < expected * 2 { capacity <<= 1 }
        table = SlotTable(capacity: capacity)
        starts = []
        lengths = []
        starts.reserveCapacity(expected)
        lengths.reserveCapacity(expected)
        mask = capacity - 1
    }

    var count: Int { starts.count }

    /// The first 16 bytes of `bytes[lo..<hi]`, zero-padded, as two little-endian words.
    @inline(__always)
    static func prefixWords(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> (UInt64, UInt64) {
        let length = min(hi - lo, 16)
        if length <= 0 { return (0, 0) }
        let base = UnsafeRawPointer(bytes.baseAddress! + lo)
        if lo + 16 <= bytes.count {
            // Two unaligned loads, then the bytes past the key masked off.
            var w0 = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
            var w1 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            if length < 8 {
                w0 &= (1 << UInt64(8 * length)) &- 1
                w1 = 0
            } else if length < 16 {
                w1 &= (1 << UInt64(8 * (length - 8))) &- 1
            }
            return (w0, w1)
        }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { w in
            w.baseAddress!.copyMemory(from: base, byteCount: length)
        }
        return (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1))
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, _ w0: UInt64, _ w1: UInt64) -> UInt64 {
        var h0 = w0, h1 = w1 ^ UInt64(truncatingIfNeeded: hi - lo)
        if hi - lo > 16 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in (lo + 16)..<hi {
                h ^= UInt64(bytes[i])
                h &*= 0x0000_0100_0000_01B3
            }
            h0 ^= h
        }
        let m = (h0 ^ 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: h1 ^ 0xD6E8_FEB8_6659_FD93)
        let x = m.high ^ m.low
        return x ^ (x >> 31)
    }

    /// The index of `bytes[lo..<hi]`, adding it if new.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int32 {
        let (w0, w1) = Self.prefixWords(bytes, lo, hi)
        return intern(bytes, lo, hi, w0, w1, Self.hash(bytes, lo, hi, w0, w1))
    }

    /// Interns `count` keys given as `(start, end)` pairs, in order, writing their indices to `out`.
    ///
    /// Same result as interning them one by one, but faster on tables larger than the cache: all
    /// hashes are computed first and their slots loaded in a tight loop of independent loads (so the
    /// memory system fetches many slots at once instead of one cache miss per row), then the keys
    /// are interned in order.
    mutating func intern(
        _ bytes: UnsafeBufferPointer<UInt8>, keys: UnsafePointer<(Int, Int)>, count: Int, into out: UnsafeMutablePointer<Int32>
    ) {
        withUnsafeTemporaryAllocation(of: (UInt64, UInt64, UInt64).self, capacity: count) { scratch in
            for k in 0..<count {
                let (lo, hi) = keys[k]
                let (w0, w1) = Self.prefixWords(bytes, lo, hi)
                scratch[k] = (w0, w1, Self.hash(bytes, lo, hi, w0, w1))
            }
            let m = mask
            var touched: Int32 = 0
            let table = slots
            for k in 0..<count { touched &+= table[Int(truncatingIfNeeded: scratch[k].2) & m].index }
            sink = touched  // keeps the loads
            for k in 0..<count {
                let (lo, hi) = keys[k]
                let (w0, w1, h) = scratch[k]
                out[k] = intern(bytes, lo, hi, w0, w1, h)
            }
        }
    }

    /// Written by the batched intern so its prefetching loads are not optimised away.
    private var sink: Int32 = 0

    @inline(__always)
    private mutating func intern(
        _ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, _ w0: UInt64, _ w1: UInt64, _ h: UInt64
    ) -> Int32 {
        let length = Int32(truncatingIfNeeded: hi - lo)
        var slot = Int(truncatingIfNeeded: h) & mask
        let table = slots
        while true {
            let s = table[slot]
            if s.index < 0 { break }
            if s.hash == h, s.w0 == w0, s.w1 == w1, s.length == length {
                if length <= 16 { return s.index }
                let e = Int(s.index)
                if memcmp(bytes.baseAddress! + starts[e] + 16, bytes.baseAddress! + lo + 16, Int(length) - 16) == 0 {
                    return s.index
                }
            }
            slot = (slot + 1) & mask
        }
        if !isKnownUniquelyReferenced(&self.table) { self.table = self.table.copy() }
        let index = Int32(starts.count)
        slots[slot] = Slot(hash: h, w0: w0, w1: w1, index: index, length: length)
        starts.append(lo)
        lengths.append(length)
        if starts.count * 2 > mask + 1 { grow() }
        return index
    }

    private mutating func grow() {
        let capacity = (mask + 1) * 2
        let old = table
        table = SlotTable(capacity: capacity)
        mask = capacity - 1
        let m = mask
        let new = slots
        for s in old.slots where s.index >= 0 {
            var slot = Int(truncatingIfNeeded: s.hash) & m
            while new[slot].index >= 0 { slot = (slot + 1) & m }
            new[slot] = s
        }
    }

    /// The interned strings as Swift `String`s, in index order (built on all cores for large tables).
    func strings(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        let n = starts.count
        return [String](unsafeUninitializedCapacity: n) { buffer, initialized in
            let out = buffer
            starts.withUnsafeBufferPointer { s in
                lengths.withUnsafeBufferPointer { l in
                    let chunks = n >= 100_000 ? Parallel.cores : 1
                    Parallel.forEach(chunks: chunks) { c in
                        for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                            (out.baseAddress! + i).initialize(to: ByteParsing.string(bytes, s[i], s[i] + Int(l[i])))
                        }
                    }
                }
            }
            initialized = n
        }
    }
}
