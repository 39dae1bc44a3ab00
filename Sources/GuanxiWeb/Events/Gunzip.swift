import Foundation
import GuanxiStore

/// Reads a gzip body (RFC 1952, one or more members) up to `limit` bytes of output; tracking
/// clients compress their batches, by header or without saying so (the body starts 1f 8b).
enum Gunzip {
    typealias Failure = Inflate.Failure

    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b }

    static func decompress(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        try Inflate.run(input, .gzip, limit: limit)
    }
}
