import Foundation
import AsyncHTTPClient
import NIOCore
import GuanxiStore
import GuanxiWebPlatform

/// Webhook requests over HTTP/1.1 and TLS (AsyncHTTPClient): no redirects followed (an endpoint
/// answers itself), the whole exchange bounded by the request's timeout, the first KiB of the
/// answer kept for the delivery log. Call `shutdown()` when done with it.
package final class HTTPWebhookTransport: WebhookTransport {
    let client: HTTPClient
    /// How much of an answer's body the log keeps.
    static let excerpt = 1024

    package init() {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        config.decompression = .disabled
        config.timeout = .init(connect: .seconds(5))   // a refused connection is retried until then
        config.connectionPool = .init(idleTimeout: .seconds(30))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    package func shutdown() async { try? await client.shutdown() }

    package func post(_ r: WebhookRequest) async -> WebhookAnswer {
        var request = HTTPClientRequest(url: r.url)
        request.method = .POST
        for (name, value) in r.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: r.body))
        let client = client, sent = request
        let nanos = r.timeout.components.seconds * 1_000_000_000 + r.timeout.components.attoseconds / 1_000_000_000
        do {
            return try await Self.within(r.timeout) {
                let response = try await client.execute(sent, deadline: .now() + .nanoseconds(nanos))
                var kept: [UInt8] = []
                for try await chunk in response.body {
                    kept.append(contentsOf: chunk.readableBytesView.prefix(Self.excerpt - kept.count))
                    if kept.count >= Self.excerpt { break }
                }
                return WebhookAnswer(status: Int(response.status.code), body: kept.isEmpty ? nil : String(decoding: kept, as: UTF8.self))
            }
        } catch is TimedOut {
            return WebhookAnswer(status: nil, error: "no answer within \(r.timeout.components.seconds) s")
        } catch let e as HTTPClientError where e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout {
            return WebhookAnswer(status: nil, error: "no answer within \(r.timeout.components.seconds) s")
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
