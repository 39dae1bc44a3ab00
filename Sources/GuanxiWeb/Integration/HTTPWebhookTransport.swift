import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1
import NIOSSL
import GuanxiStore
import GuanxiWebPlatform

/// Webhook requests over HTTP/1.1 (TLS for https), straight on SwiftNIO. Connections are kept
/// open between requests to the same endpoint (keep-alive, `KeptConnections`): opening one per
/// request cost a handshake on both sides and held delivery at 1,361/s to a local receiver. No
/// redirects are followed (an endpoint answers itself); the connection is given 5 s and the whole
/// exchange the request's timeout; the first KiB of the answer is kept for the delivery log.
package final class HTTPWebhookTransport: WebhookTransport {
    /// How much of an answer's body the log keeps.
    static let excerpt = 1024
    /// An answer longer than this is not read to its end: its connection is closed instead of kept.
    static let drainLimit = 64 << 10
    static let connectTimeout = TimeAmount.seconds(5)
    let tls: NIOSSLContext?
    let kept = KeptConnections()

    package init() {
        tls = try? NIOSSLContext(configuration: .makeClientConfiguration())
    }

    /// Closes the kept connections.
    package func shutdown() async { kept.closeAll() }

    /// Closes connections unused for `KeptConnections.idleLimit` (the delivery service calls it as it goes round).
    package func sweep() { kept.sweep() }

    /// How many connections were opened so far.
    package var opened: Int { kept.opened.load(ordering: .relaxed) }

    package func post(_ r: WebhookRequest) async -> WebhookAnswer {
        guard let url = URLComponents(string: r.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return WebhookAnswer(status: nil, error: "not an http or https address") }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let target = (url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath) + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target)
        head.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        head.headers.add(name: "Content-Length", value: String(r.body.count))
        head.headers.add(name: "User-Agent", value: "Guanxi-Webhooks/1")
        for (name, value) in r.headers { head.headers.add(name: name, value: value) }
        let tls = scheme == "https" ? self.tls : nil
        if scheme == "https" && tls == nil { return WebhookAnswer(status: nil, error: "TLS is not available") }
        let endpoint = KeptConnections.Endpoint(host: host, port: port, tls: scheme == "https")
        let sent = head, body = r.body, kept = self.kept
        do {
            return try await Self.within(r.timeout) {
                try await kept.exchange(endpoint, tls: tls, head: sent, body: body)
            }
        } catch is TimedOut {
            return WebhookAnswer(status: nil, error: "no answer within \(r.timeout.components.seconds) s")
        } catch ChannelError.connectTimeout(_) {
            return WebhookAnswer(status: nil, error: "no connection within 5 s")
        } catch {
            return WebhookAnswer(status: nil, error: String(String(describing: error).prefix(500)))
        }
    }

    struct TimedOut: Error {}

    /// `body`'s value, or `TimedOut` when it takes longer than `limit` (it is cancelled then).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask { try await Task.sleep(for: limit); return nil }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut() }
            return value
        }
    }
}

extension WebhookAnswer {
    /// An answer whose body ended with the connection rather than its length.
    init(status: Int?, error: String?, bodyIfAnswered kept: [UInt8]) {
        self.init(status: status, body: status == nil || kept.isEmpty ? nil : String(decoding: kept, as: UTF8.self), error: error)
    }
}
