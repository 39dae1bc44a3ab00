import Foundation
import Dispatch

/// The IMAP server answered a command NO or BAD (the connection itself is fine).
package struct IMAPRefusal: Error, Sendable, CustomStringConvertible {
    package var description: String
}

/// A mailbox on an IMAP server: `imap://user:password@host[:port][/MAILBOX]` (port 143, INBOX by
/// default; user and password percent-encoded). Plain IMAP, as to the company's own mail server on
/// its network or a local stunnel; there is no TLS here.
package struct IMAPMailbox: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var user: String
    package var password: String
    package var mailbox: String

    package init?(url: String) {
        guard let u = URLComponents(string: url), u.scheme == "imap", let host = u.host, !host.isEmpty,
              let user = u.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else { return nil }
        self.host = host; self.port = u.port ?? 143; self.user = user
        self.password = u.percentEncodedPassword?.removingPercentEncoding ?? ""
        let path = (u.percentEncodedPath.removingPercentEncoding ?? u.path).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.mailbox = path.isEmpty ? "INBOX" : path
    }

    /// Without the password, for logs.
    package var description: String { "imap://\(user)@\(host):\(port)/\(mailbox)" }
}

/// One logged-in IMAP session (RFC 3501) on a selected mailbox: the commands the service desk's
/// mail intake needs — unseen UIDs, sizes, whole messages without setting \Seen, flags, APPEND.
/// Each command runs on the session's own serial queue (the socket blocks), one at a time.
package final class IMAPSession: @unchecked Sendable {
    private let socket: LineSocket
    private let queue = DispatchQueue(label: "guanxi.imap")
    private var tagNumber = 0

    /// An untagged answer: its text (literals left as `{n}`) and the literals' bytes, in order.
    struct Untagged {
        var text: String
        var literals: [[UInt8]]
    }

    private init(socket: LineSocket) { self.socket = socket }

    /// Connects, logs in and selects the mailbox.
    package static func open(_ box: IMAPMailbox, timeout: Int = 30) async throws -> IMAPSession {
        let session = try await onQueue(DispatchQueue(label: "guanxi.imap.connect")) { IMAPSession(socket: try LineSocket(host: box.host, port: box.port, timeout: timeout)) }
        try await session.run {
            let greeting = String(decoding: try session.socket.readLine(), as: UTF8.self)
            guard greeting.hasPrefix("* OK") || greeting.hasPrefix("* PREAUTH") else { throw MailServerFailure("the IMAP server refused: \(greeting)") }
            if !greeting.hasPrefix("* PREAUTH") { _ = try session.command("LOGIN", .string(box.user), .string(box.password)) }
            _ = try session.command("SELECT", .string(box.mailbox))
        }
        return session
    }

    /// The UIDs of messages without \Seen, ascending.
    package func unseen() async throws -> [UInt32] {
        try await run {
            try self.command("UID SEARCH UNSEEN").filter { $0.text.hasPrefix("SEARCH") }
                .flatMap { $0.text.split(separator: " ").dropFirst().compactMap { UInt32($0) } }.sorted()
        }
    }

    /// The message's size in bytes, nil when the server does not know the UID.
    package func size(_ uid: UInt32) async throws -> Int? {
        try await run {
            try self.command("UID FETCH \(uid) (RFC822.SIZE)").lazy.compactMap { u -> Int? in
                guard Self.fetchUID(u.text) == uid else { return nil }
                return Self.number(after: "RFC822.SIZE ", in: u.text)
            }.first
        }
    }

    /// The whole message (or its first `limit` bytes), without marking it seen; nil when the server does not know the UID.
    package func fetch(_ uid: UInt32, limit: Int? = nil) async throws -> [UInt8]? {
        try await run {
            let part = limit.map { "BODY.PEEK[]<0.\($0)>" } ?? "BODY.PEEK[]"
            return try self.command("UID FETCH \(uid) (\(part))").first { Self.fetchUID($0.text) == uid && !$0.literals.isEmpty }?.literals.last
        }
    }

    package func markSeen(_ uid: UInt32) async throws {
        try await run { _ = try self.command("UID STORE \(uid) +FLAGS.SILENT (\\Seen)") }
    }

    /// Adds a message to a mailbox (tests put customers' mail there this way; so can an import).
    package func append(_ raw: [UInt8], to mailbox: String) async throws {
        try await run { _ = try self.command("APPEND", .string(mailbox), .literal(raw)) }
    }

    /// Creates a mailbox (a folder per test keeps tests that share one server apart).
    package func create(_ mailbox: String) async throws {
        try await run { _ = try self.command("CREATE", .string(mailbox)) }
    }

    package func logout() async {
        try? await run { _ = try self.command("LOGOUT") }
    }

    // MARK: Protocol

    enum Argument {
        case string(String)
        case literal([UInt8])
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await Self.onQueue(queue, body)
    }

    private static func onQueue<T: Sendable>(_ queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { k in queue.async { k.resume(with: Result { try body() }) } }
    }

    /// Sends a tagged command and reads up to its completion; a NO or BAD throws with the server's words.
    /// Strings go quoted when they can, as literals otherwise (non-ASCII, quotes' worst cases, line breaks).
    private func command(_ name: String, _ args: Argument...) throws -> [Untagged] {
        tagNumber += 1
        let tag = "g\(tagNumber)"
        var line = Array("\(tag) \(name)".utf8)
        for arg in args {
            line.append(32)
            switch arg {
            case .string(let s) where s.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }):
                line += Array(("\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"").utf8)
            case .string(let s):
                try sendLiteral(Array(s.utf8), after: &line)
            case .literal(let bytes):
                try sendLiteral(bytes, after: &line)
            }
        }
        try socket.write(line + [13, 10])
        var untagged: [Untagged] = []
        while true {
            let r = try readResponse()
            if r.text.hasPrefix("* ") {
                untagged.append(Untagged(text: String(r.text.dropFirst(2)), literals: r.literals))
            } else if r.text.hasPrefix(tag + " ") {
                let status = r.text.dropFirst(tag.count + 1)
                guard status.hasPrefix("OK") else { throw IMAPRefusal(description: "the IMAP server refused \(name): \(status)") }
                return untagged
            } else if r.text.hasPrefix("+") {
                continue   // a continuation nobody asked for here
            }
        }
    }

    /// A synchronising literal: `{n}`, the server's go-ahead, then the bytes; the command line goes on after them.
    private func sendLiteral(_ bytes: [UInt8], after line: inout [UInt8]) throws {
        try socket.write(line + Array("{\(bytes.count)}\r\n".utf8))
        while true {
            let r = try readResponse()
            if r.text.hasPrefix("+") { break }
            if !r.text.hasPrefix("* ") { throw IMAPRefusal(description: "the IMAP server refused a literal: \(r.text)") }
        }
        try socket.write(bytes)
        line = []
    }

    /// One response: a line, and when it ends in `{n}` the n bytes after it and the rest of the line, as often as it does.
    private func readResponse() throws -> (text: String, literals: [[UInt8]]) {
        var text = "", literals: [[UInt8]] = []
        while true {
            let line = String(decoding: try socket.readLine(), as: UTF8.self)
            text += line
            guard line.hasSuffix("}"), let open = line.lastIndex(of: "{"),
                  let n = Int(line[line.index(after: open)..<line.index(before: line.endIndex)].trimmingCharacters(in: CharacterSet(charactersIn: "+"))),
                  n >= 0 else { return (text, literals) }
            literals.append(try socket.read(count: n))
        }
    }

    /// The UID in an untagged `n FETCH (… UID u …)`.
    static func fetchUID(_ text: String) -> UInt32? {
        guard text.contains(" FETCH ") else { return nil }
        return number(after: "UID ", in: text).flatMap { UInt32(exactly: $0) }
    }

    static func number(after key: String, in text: String) -> Int? {
        guard let r = text.range(of: key) else { return nil }
        return Int(text[r.upperBound...].prefix { $0.isASCII && $0.isNumber })
    }
}
