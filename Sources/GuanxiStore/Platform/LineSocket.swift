import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why talking to a mail server failed (could not connect, it closed, it refused a command).
package struct MailServerFailure: Error, Sendable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// A blocking TCP connection read by lines and by byte counts, as the mail protocols (SMTP out,
/// IMAP in) talk. Connecting, each read and each write time out after `timeout` seconds. Its calls
/// block: callers run it on a thread or queue of its own, one call at a time.
final class LineSocket {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(host: String, port: Int, timeout: Int = 10) throws {
        var hints = addrinfo(ai_flags: 0, ai_family: AF_UNSPEC, ai_socktype: Int32(SOCK_STREAM.rawValue), ai_protocol: 0, ai_addrlen: 0,
                             ai_addr: nil, ai_canonname: nil, ai_next: nil)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let first = res else { throw MailServerFailure("cannot resolve \(host)") }
        defer { freeaddrinfo(res) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        var connected: Int32 = -1
        while let a = candidate, connected < 0 {
            candidate = a.pointee.ai_next
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            if Self.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen, timeout: timeout) { connected = fd } else { close(fd) }
        }
        guard connected >= 0 else { throw MailServerFailure("cannot connect to \(host):\(port)") }
        fd = connected
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Connects without blocking longer than `timeout` (a silent host would hold a blocking connect for minutes).
    private static func connect(_ fd: Int32, _ addr: UnsafeMutablePointer<sockaddr>?, _ len: socklen_t, timeout: Int) -> Bool {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if Glibc.connect(fd, addr, len) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&p, 1, Int32(timeout * 1000)) == 1 else { return false }
        var err: Int32 = 0
        var n = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &n) == 0 && err == 0
    }

    /// Reads more from the server into the buffer.
    private func fill() throws {
        if start > 65_536, start * 2 > buffer.count { buffer.removeSubrange(..<start); start = 0 }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = recv(fd, &chunk, chunk.count, 0)
        guard n > 0 else { throw MailServerFailure(n == 0 ? "the mail server closed the connection" : "no answer from the mail server") }
        buffer += chunk[..<n]
    }

    /// The next line, without its CRLF (or bare LF).
    func readLine() throws -> [UInt8] {
        while true {
            if let nl = buffer[start...].firstIndex(of: 10) {
                var line = Array(buffer[start..<nl])
                start = nl + 1
                if line.last == 13 { line.removeLast() }
                return line
            }
            try fill()
        }
    }

    /// Exactly `count` bytes (an IMAP literal).
    func read(count: Int) throws -> [UInt8] {
        while buffer.count - start < count { try fill() }
        let out = Array(buffer[start..<(start + count)])
        start += count
        return out
    }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw MailServerFailure("cannot write to the mail server") }
            sent += n
        }
    }

    func write(_ line: String) throws { try write(Array((line + "\r\n").utf8)) }
}
