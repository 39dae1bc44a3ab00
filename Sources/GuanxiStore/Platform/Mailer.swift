import Foundation
import GuanxiCore

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
    /// The host the Message-IDs of ticket replies are made at: the server's public host, else "guanxi.local".
    package var messageDomain = "guanxi.local"

    package init?(url: String, from: String) {
        guard let u = URLComponents(string: url), u.scheme == "smtp", let host = u.host, !host.isEmpty else { return nil }
        self.host = host; self.port = u.port ?? 25; self.user = u.user?.removingPercentEncoding; self.password = u.password?.removingPercentEncoding
        self.from = from
    }

    package typealias Failure = MailServerFailure

    /// Sends a plain-text UTF-8 message (a notification, a confirmation link).
    package func send(to: String, subject: String, body: String) async throws {
        let message = Self.compose(from: from, to: to, subject: subject, body: body, date: Date())
        try await deliver(to: to, message: message)
    }

    /// Sends a composed message (a ticket reply with its threading headers) from the configured address.
    package func send(_ mail: OutgoingMail, date: Date) async throws {
        try await deliver(to: mail.to.address, message: MailComposer.render(mail, date: date))
    }

    /// The message: RFC 5322 headers (the subject RFC 2047-encoded), a base64 UTF-8 text body.
    static func compose(from: String, to: String, subject: String, body: String, date: Date) -> String {
        let domain = from.split(separator: "@").last.map { String($0.prefix { $0 != ">" }) } ?? "localhost"
        return MailComposer.render(OutgoingMail(from: from, to: MailAddress(name: nil, address: to), subject: subject, body: body,
                                                messageID: "\(UUID().uuidString.lowercased())@\(domain)"), date: date)
    }

    /// Hands the message to the relay on a thread of its own (the socket calls block).
    func deliver(to: String, message: String) async throws {
        try await withCheckedThrowingContinuation { (k: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do { try self.deliverBlocking(to: to, message: message); k.resume() } catch { k.resume(throwing: error) }
            }
        }
    }

    /// The envelope sender: the configured address without its display name.
    var envelopeFrom: String { MailAddress.parse(from)?.address ?? from }

    func deliverBlocking(to: String, message: String) throws {
        let socket = try LineSocket(host: host, port: port)
        func reply() throws -> (Int, String) {
            // a reply is one or more lines; the last has a space after the code
            while true {
                let line = String(decoding: try socket.readLine(), as: UTF8.self).trimmingCharacters(in: .whitespaces)
                if line.count >= 4, Array(line)[3] == "-" { continue }
                return (Int(line.prefix(3)) ?? 0, line)
            }
        }
        func say(_ line: String, expect: Int) throws {
            try socket.write(line)
            let (code, text) = try reply()
            guard code / 100 == expect / 100 else { throw Failure("the mail server refused: \(text)") }
        }
        let (hello, greeting) = try reply()
        guard hello == 220 else { throw Failure("the mail server refused: \(greeting)") }
        try say("EHLO guanxi", expect: 250)
        if let user, let password {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8)) as [UInt8]).base64EncodedString()
            try say("AUTH PLAIN " + token, expect: 235)
        }
        try say("MAIL FROM:<\(envelopeFrom)>", expect: 250)
        try say("RCPT TO:<\(to)>", expect: 250)
        try say("DATA", expect: 354)
        // a line that starts with a dot gets another (RFC 5321 transparency)
        let stuffed = message.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
        try say(stuffed + ".", expect: 250)
        try? say("QUIT", expect: 221)
    }
}
