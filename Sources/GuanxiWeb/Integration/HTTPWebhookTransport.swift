import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1
import NIOSSL
import GuanxiStore
import GuanxiWebPlatform

/// Webhook requests over HTTP/1.1 (TLS for https), straight on SwiftNIO: one connection per
/// request, closed after it (`Connection: close`); no redirects followed (an endpoint answers
/// itself); the connection given 5 s and the whole exchange the request's timeout; the first KiB
/// of the answer kept for the delivery log. Nothing to shut down: it holds no pool.
package final class HTTPWebhookTransport: WebhookTransport {
    /// How much of an answer's body the log keeps.
    static let excerpt = 1024
    static let connectTimeout = TimeAmount.seconds(5)
    let tls: NIOSSLContext?

    package init() {
        tls = try? NIOSSLContext(configuration: .makeClientConfiguration())
    }

    package func shutdown() async {}

    package func post(_ r: WebhookRequest) async -> WebhookAnswer {
        guard let url = URLComponents(string: r.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return WebhookAnswer(status: nil, error: "not an http or https address") }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let target = (url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath) + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target)
        head.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        head.headers.add(name: "Content-Length", value: String(r.body.count))
        head.headers.add(name: "Connection", value: "close")
        head.headers.add(name: "User-Agent", value: "Guanxi-Webhooks/1")
        for (name, value) in r.headers { head.headers.add(name: name, value: value) }
        let tls = scheme == "https" ? self.tls : nil
        if scheme == "https" && tls == nil { return WebhookAnswer(status: nil, error: "TLS is not available") }
        let sent = head, body = r.body
        do {
            return try await Self.within(r.timeout) {
                try await Self.exchange(host: host, port: port, tls: tls, head: sent, body: body)
            }
        } catch is TimedOut {
            return WebhookAnswer(status: nil, error: "no answer within \(r.timeout.components.seconds) s")
        } catch ChannelError.connectTimeout(_) {
            return WebhookAnswer(status: nil, error: "no connection within 5 s")
        } catch {
            return WebhookAnswer(status: nil, error: String(String(describing: error).prefix(500)))
        }
    }

    static func exchange(host: String, port: Int, tls: NIOSSLContext?, head: HTTPRequestHead, body: [UInt8]) async throws -> WebhookAnswer {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        // the name is checked against the certificate; an IP address is not sent as SNI
                        let name = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            try await outbound.write(.end(nil))
            var status: Int?
            var kept: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let h):
                    // an interim 1xx answer is not the answer
                    if h.status.code >= 200 { status = Int(h.status.code) }
                case .body(let chunk):
                    guard let status else { continue }
                    kept.append(contentsOf: chunk.readableBytesView.prefix(excerpt - kept.count))
                    // the log keeps a kilobyte: the rest is not read
                    if kept.count >= excerpt { return WebhookAnswer(status: status, body: String(decoding: kept, as: UTF8.self)) }
                case .end:
                    if let status { return WebhookAnswer(status: status, body: kept.isEmpty ? nil : String(decoding: kept, as: UTF8.self)) }
                }
            }
            return WebhookAnswer(status: status, error: status == nil ? "the connection closed without an answer" : nil,
                                 bodyIfAnswered: kept)
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
