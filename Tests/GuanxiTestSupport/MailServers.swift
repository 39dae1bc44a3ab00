import Foundation
import GuanxiCore
import GuanxiStore

/// The mail servers the environment names (scripts/with-mail starts them; scripts/test runs the
/// tests inside it): an IMAP server with a test account, and an SMTP server that keeps what it
/// accepts as files in a Maildir. Tests that need them are enabled only when they are there.
package enum MailServers {
    static var env: [String: String] { ProcessInfo.processInfo.environment }

    package static var imapURL: String? { env["GUANXI_TEST_IMAP_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    package static var smtpURL: String? { env["GUANXI_TEST_SMTP_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    package static var sinkDirectory: String? { env["GUANXI_TEST_SMTP_MAILDIR"].flatMap { $0.isEmpty ? nil : $0 } }

    package static var imapEnabled: Bool { imapURL != nil }
    package static var smtpEnabled: Bool { smtpURL != nil && sinkDirectory != nil }

    /// A fresh folder of the test account, so tests running side by side never read each other's mail.
    package static func freshMailbox() async throws -> IMAPMailbox {
        guard let url = imapURL, var box = IMAPMailbox(url: url) else { throw DomainError.badRequest("GUANXI_TEST_IMAP_URL is not set") }
        let session = try await IMAPSession.open(box)
        let name = "t" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await session.create(name)
        await session.logout()
        box.mailbox = name
        return box
    }

    /// Puts a raw message into the folder, as a customer's mail arriving.
    package static func deliver(_ raw: [UInt8], to box: IMAPMailbox) async throws {
        let session = try await IMAPSession.open(box)
        try await session.append(raw, to: box.mailbox)
        await session.logout()
    }

    /// The SMTP sink's messages to `recipient` (by its envelope), waiting up to `timeout` seconds for at least `count`.
    package static func received(by recipient: String, count: Int = 1, timeout: Double = 10) async throws -> [[UInt8]] {
        guard let dir = sinkDirectory else { return [] }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            // Maildir names start with the time of arrival (seconds, then microseconds)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/new")) ?? []).sorted()
            let found = files.compactMap { f -> [UInt8]? in
                guard let data = FileManager.default.contents(atPath: dir + "/new/" + f) else { return nil }
                let bytes = [UInt8](data)
                return String(decoding: bytes.prefix(8192), as: UTF8.self).contains("X-RcptTo: \(recipient)") ? bytes : nil
            }
            if found.count >= count || Date() > deadline { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
