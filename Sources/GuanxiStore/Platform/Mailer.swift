import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Outgoing mail through an SMTP relay: `smtp://[user:password@]host[:port]` (plain SMTP, as to the
/// company's own relay or a local Postfix; AUTH PLAIN when a user is given). One connection per
/// message, on its own thread, with 10-second timeouts; a refused message throws with the server's
/// answer.
package struct SMTPMailer: Sendable {
    package let host: String
    package let port: Int
    package let user: String?
    package let password: String?
    package let from: String

    package init?(url: String, from: String) {
        guard let u = URLComponents(string: url), u.scheme == "smtp", let host = u.host, !host.isEmpty else { return nil }
        self.host = host; self.port = u.port ?? 25; self.user = u.user?.removingPercentEncoding; self.password = u.password?.removingPercentEncoding
        self.from = from
    }

    package struct Failure: Error, CustomStringConvertible { package var description: String }

    /// Sends a plain-text UTF-8 message.
    package func send(to: String, subject: String, body: String) async throws {
        let message = Self.compose(from: from, to: to, subject: subject, body: body, date: Date())
        try await withCheckedThrowingContinuation { (k: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do { try self.deliver(to: to, message: message); k.resume() } catch { k.resume(throwing: error) }
            }
        }
    }

    /// The message: RFC 5322 headers (the subject RFC 2047-encoded), a base64 UTF-8 text body.
    static func compose(from: String, to: String, subject: String, body: String, date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss +0000"
        let encodedSubject = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let b64 = Data(body.utf8).base64EncodedString()
        let lines = stride(from: 0, to: b64.count, by: 76).map { i -> String in
            let s = b64.index(b64.startIndex, offsetBy: i), e = b64.index(s, offsetBy: min(76, b64.count - i))
            return String(b64[s..<e])
        }
        return ["From: \(from)", "To: \(to)", "Subject: \(encodedSubject)", "Date: \(f.string(from: date))",
                "Message-ID: <\(UUID().uuidString.lowercased())@\(domain)>", "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", ""].joined(separator: "\r\n")
            + "\r\n" + lines.joined(separator: "\r\n") + "\r\n"
    }

    func deliver(to: String, message: String) throws {
        var hints = addrinfo(ai_flags: 0, ai_family: AF_UNSPEC, ai_socktype: Int32(SOCK_STREAM.rawValue), ai_protocol: 0, ai_addrlen: 0,
                             ai_addr: nil, ai_canonname: nil, ai_next: nil)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let first = res else { throw Failure(description: "cannot resolve \(host)") }
        defer { freeaddrinfo(res) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { throw Failure(description: "no socket") }
        defer { close(fd) }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else { throw Failure(description: "cannot connect to \(host):\(port)") }
        var buffer: [UInt8] = []
        func reply() throws -> (Int, String) {
            // a reply is one or more lines; the last has a space after the code
            while true {
                if let nl = buffer.firstIndex(of: 10) {
                    let line = String(decoding: buffer[..<nl], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    buffer.removeSubrange(...nl)
                    if line.count >= 4, Array(line)[3] == "-" { continue }
                    return (Int(line.prefix(3)) ?? 0, line)
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = recv(fd, &chunk, chunk.count, 0)
                guard n > 0 else { throw Failure(description: "the mail server closed the connection") }
                buffer += chunk[..<n]
            }
        }
        func say(_ line: String, expect: Int) throws {
            let bytes = Array((line + "\r\n").utf8)
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw Failure(description: "cannot write to the mail server") }
                sent += n
            }
            let (code, text) = try reply()
            guard code / 100 == expect / 100 else { throw Failure(description: "the mail server refused: \(text)") }
        }
        let (hello, greeting) = try reply()
        guard hello == 220 else { throw Failure(description: "the mail server refused: \(greeting)") }
        try say("EHLO guanxi", expect: 250)
        if let user, let password {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8)) as [UInt8]).base64EncodedString()
            try say("AUTH PLAIN " + token, expect: 235)
        }
        try say("MAIL FROM:<\(from)>", expect: 250)
        try say("RCPT TO:<\(to)>", expect: 250)
        try say("DATA", expect: 354)
        try say(message + ".", expect: 250)
        try? say("QUIT", expect: 221)
    }
}
