import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte encoding an imported file turned out to use.
package enum SourceEncoding: String, Sendable {
    case utf8
    case utf8BOM
    case utf16LE
    case utf16BE
    case gb18030
    /// Traditional Chinese Excel's "CSV" (Taiwan, Hong Kong), read as Big5-HKSCS.
    case big5
}

/// Turns the bytes of an uploaded CSV into text without asking the user.
///
/// Chinese Excel saves "CSV" as GB18030/GBK by default, "CSV UTF-8" with a BOM,
/// and "Unicode text" as UTF-16LE; all three reach Guanxi. GB18030 is a superset
/// of GBK and GB2312 and is decoded with glibc `iconv` because Foundation's
/// GB18030 support on Linux is unreliable.
package enum TextDecoding {
    /// Decodes `data`, detecting the encoding.
    ///
    /// Order: UTF-8 BOM (stripped) → UTF-16 LE/BE BOM (honoured, stripped) → UTF-16 without a BOM
    /// (every other byte zero) → valid UTF-8 → Big5 (when its byte pairs look like Big5 and all
    /// decode) → GB18030. Invalid sequences become U+FFFD; this never traps.
    package static func decode(_ data: Data) -> (text: String, encoding: SourceEncoding) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: bytes.dropFirst(3), as: UTF8.self), .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return (decodeUTF16(bytes.dropFirst(2), bigEndian: false), .utf16LE)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return (decodeUTF16(bytes.dropFirst(2), bigEndian: true), .utf16BE)
        }
        if let bigEndian = utf16WithoutBOM(bytes) {
            return (decodeUTF16(bytes[...], bigEndian: bigEndian), bigEndian ? .utf16BE : .utf16LE)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, .utf8)
        }
        if looksLikeBig5(bytes), let (out, invalid) = convert(bytes, from: "BIG5-HKSCS", to: "UTF-8", replaceInvalid: true), invalid == 0 {
            return (String(decoding: out, as: UTF8.self), .big5)
        }
        return (decodeGB18030(bytes), .gb18030)
    }

    /// UTF-16 text saved without a byte-order mark: in its first KiB, the high bytes of ASCII
    /// characters make one of the two byte positions mostly zero and the other almost never.
    /// - Returns: whether it is big-endian, or nil when the bytes are not UTF-16 of that kind.
    package static func utf16WithoutBOM(_ bytes: [UInt8]) -> Bool? {
        let n = min(bytes.count, 1024) & ~1
        guard n >= 4 else { return nil }
        var evenZero = 0, oddZero = 0
        for i in stride(from: 0, to: n, by: 2) {
            if bytes[i] == 0 { evenZero += 1 }
            if bytes[i + 1] == 0 { oddZero += 1 }
        }
        let pairs = n / 2
        if oddZero * 10 >= pairs * 4 && evenZero * 20 < pairs { return false }
        if evenZero * 10 >= pairs * 4 && oddZero * 20 < pairs { return true }
        return nil
    }

    /// Whether non-UTF-8 bytes read as Big5 rather than GB18030. Both use lead bytes from 0x81 up,
    /// but GB text keeps its common characters' second bytes at 0xA1 and above (GB2312's rows),
    /// and writes four-byte sequences (second byte 0x30–0x39) that Big5 lacks; a quarter or more
    /// of the pairs with a second byte in 0x40–0x7E, and no lead byte below Big5's 0xA1, is Big5.
    package static func looksLikeBig5(_ bytes: [UInt8]) -> Bool {
        var pairs = 0, low = 0, i = 0
        let n = min(bytes.count, 64 * 1024)
        while i < n {
            let b = bytes[i]
            guard b >= 0x81 else { i += 1; continue }
            guard i + 1 < n else { break }
            let t = bytes[i + 1]
            if b < 0xA1 || (0x30...0x39).contains(t) { return false }
            pairs += 1
            if (0x40...0x7E).contains(t) { low += 1 }
            i += 2
        }
        return pairs > 0 && low * 4 >= pairs
    }

    /// Encodes `s` as GB18030 (for tests and the "Excel (Chinese)" export option).
    ///
    /// - Returns: the bytes, or `nil` if iconv is unavailable on this system.
    package static func encodeGB18030(_ s: String) -> Data? {
        guard let (out, _) = convert(Array(s.utf8), from: "UTF-8", to: "GB18030", replaceInvalid: false) else { return nil }
        return Data(out)
    }

    /// Encodes `s` in a charset iconv knows (`BIG5-HKSCS`, `ISO-8859-1` …), for tests of mail in those charsets.
    package static func encode(_ s: String, charset: String) -> [UInt8]? {
        convert(Array(s.utf8), from: "UTF-8", to: charset, replaceInvalid: false)?.bytes
    }

    /// Decodes text in a MIME charset (`utf-8`, `gb2312`, `GBK`, `big5`, `iso-8859-1`, `windows-1252` …):
    /// the text, each undecodable byte as U+FFFD, and how many there were; nil for a charset this
    /// system cannot convert. The GB family (GB2312, GBK, CP936) is read as GB18030, the superset
    /// that Chinese mail clients actually write under those names; Big5 as Big5-HKSCS; US-ASCII and
    /// an empty name as UTF-8 (clients that send 8-bit text without naming it mostly mean UTF-8).
    package static func decode(_ bytes: [UInt8], charset raw: String) -> (text: String, invalid: Int)? {
        let name = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\"' \t")).lowercased()
        switch name {
        case "", "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "unicode-1-1-utf-8", "x-unknown", "unknown-8bit":
            if let s = String(validating: bytes, as: UTF8.self) { return (s, 0) }
            let s = String(decoding: bytes, as: UTF8.self)
            return (s, s.unicodeScalars.reduce(0) { $0 + ($1 == "\u{FFFD}" ? 1 : 0) })
        default: break
        }
        let iconvName: String = switch name {
        case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936", "euc-cn", "x-euc-cn", "csgb2312", "gb_2312-80": "GB18030"
        case "big5", "x-big5", "cp950", "big5-hkscs", "csbig5": "BIG5-HKSCS"
        case "latin1", "l1", "iso8859-1", "iso_8859-1": "ISO-8859-1"
        case "ks_c_5601-1987", "cp949", "euc-kr", "ks_c_5601": "UHC"
        default: name.uppercased()
        }
        guard let (out, invalid) = convert(bytes, from: iconvName, to: "UTF-8", replaceInvalid: true) else { return nil }
        return (String(decoding: out, as: UTF8.self), invalid)
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            i += 2
        }
        // A dangling odd byte is a truncated code unit: show it as a replacement character.
        var text = String(decoding: units, as: UTF16.self)
        if i < bytes.endIndex { text.append("\u{FFFD}") }
        return text
    }

    private static func decodeGB18030(_ bytes: [UInt8]) -> String {
        if let (utf8, _) = convert(bytes, from: "GB18030", to: "UTF-8", replaceInvalid: true) {
            return String(decoding: utf8, as: UTF8.self)
        }
        // No iconv converter: still return something readable rather than failing the import.
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Runs glibc iconv over `input`. With `replaceInvalid`, each undecodable byte
    /// becomes U+FFFD (UTF-8 `EF BF BD`) and conversion continues after it.
    private static func convert(_ input: [UInt8], from: String, to: String, replaceInvalid: Bool) -> (bytes: [UInt8], invalid: Int)? {
        let cd = iconv_open(to, from)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var invalid = 0

        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 2 + 16)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        let total = input.count
        let out = input.withUnsafeMutableBytes { inRaw -> [UInt8]? in
            var consumed = 0
            while true {
                let inPtr = inRaw.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) + consumed }
                var inLeft = total - consumed
                var inCursor: UnsafeMutablePointer<CChar>? = inPtr
                let (rc, produced, err): (Int, Int, Int32) = chunk.withUnsafeMutableBytes { outRaw in
                    var outCursor: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                    var outLeft = outRaw.count
                    // At end of input, a nil input flushes any shift state.
                    let rc = inLeft > 0
                        ? iconv(cd, &inCursor, &inLeft, &outCursor, &outLeft)
                        : iconv(cd, nil, nil, &outCursor, &outLeft)
                    return (rc, outRaw.count - outLeft, rc == -1 ? errno : 0)
                }
                output.append(contentsOf: chunk[0..<produced])
                consumed = total - inLeft
                if rc != -1 {
                    if consumed >= total { return output }
                    continue
                }
                switch err {
                case E2BIG:
                    continue // output chunk full; loop drains it
                case EILSEQ, EINVAL:
                    // EILSEQ: invalid byte sequence; EINVAL: truncated sequence at the end.
                    guard replaceInvalid else { return nil }
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    invalid += 1
                    consumed += 1
                    if consumed >= total { return output }
                default:
                    return nil
                }
            }
        }
        return out.map { ($0, invalid) }
    }
}
