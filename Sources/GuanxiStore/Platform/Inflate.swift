import CZlib

/// zlib's inflate over a whole buffer, bounded in what it may produce: raw deflate (a ZIP member's
/// data) or gzip (RFC 1952, one or more members, as tracking clients send their batches).
package enum Inflate {
    package enum Wrapper: Sendable {
        /// No wrapper, one stream.
        case raw
        /// gzip members one after another.
        case gzip
    }

    package enum Failure: Error, Equatable {
        /// Not such a stream, damaged, or cut short.
        case invalid
        /// More than the limit once decompressed.
        case tooLarge
    }

    package static func run(_ input: [UInt8], _ wrapper: Wrapper, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        // -15: no wrapper; 16 + 15: a gzip wrapper; both with the largest window
        let bits: Int32 = wrapper == .raw ? -15 : 31
        guard inflateInit2_(&stream, bits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw Failure.invalid }
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
                    // for gzip, another member may follow
                    if wrapper == .raw || stream.avail_in == 0 { return out }
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
