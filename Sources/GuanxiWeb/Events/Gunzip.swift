import Foundation
import CZlib

/// Reads a gzip body (RFC 1952, one or more members) up to `limit` bytes of output; tracking
/// clients compress their batches, by header or without saying so (the body starts 1f 8b).
enum Gunzip {
    enum Failure: Error, Equatable {
        /// Not gzip, or damaged.
        case invalid
        /// More than the limit once decompressed.
        case tooLarge
    }

    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b }

    static func decompress(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        // 16 + 15: a gzip wrapper around the largest window
        guard inflateInit2_(&stream, 31, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw Failure.invalid }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, max(input.count * 4, 4096)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        return try input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { c -> (Int32, Int) in
                    stream.next_out = c.baseAddress
                    stream.avail_out = UInt32(c.count)
                    let s = inflate(&stream, Z_NO_FLUSH)
                    return (s, c.count - Int(stream.avail_out))
                }
                if out.count + produced > limit { throw Failure.tooLarge }
                out.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    // another member follows, or the end
                    if stream.avail_in == 0 { return out }
                    guard inflateReset(&stream) == Z_OK else { throw Failure.invalid }
                case Z_OK:
                    if produced == 0 && stream.avail_in == 0 { throw Failure.invalid }   // cut short
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 { throw Failure.invalid }
                default:
                    throw Failure.invalid
                }
            }
        }
    }
}
