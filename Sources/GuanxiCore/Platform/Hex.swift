/// Lower-case hexadecimal, for digests (token and request hashes).
package enum Hex {
    package static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes { out.append(JSONWriter.hex[Int(b >> 4)]); out.append(JSONWriter.hex[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
