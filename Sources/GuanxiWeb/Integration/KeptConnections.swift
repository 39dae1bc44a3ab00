import Foundation
import GuanxiCore
import NIOCore
import NIOPosix
import NIOHTTP1
import NIOSSL
import Synchronization
import GuanxiStore

/// HTTP/1.1 connections kept open between webhook requests, per endpoint (host, port, TLS).
///
/// A connection is a task that owns its channel and takes one exchange at a time; between
/// exchanges it waits here, idle. A request takes an idle connection of its endpoint or opens one,
/// and gives it back when the answer was read to its end and the endpoint did not ask to close.
/// A kept connection the endpoint closed meanwhile fails its next request before any answer: that
/// request is sent once more on a new connection (a receiver de-duplicates by `webhook-id`, as the
/// convention asks, so the rare request that did arrive before the close is harmless). Connections
/// idle for `idleLimit` are closed by `sweep`.
final class KeptConnections: Sendable {
    struct Endpoint: Hashable, Sendable {
        var host: String
        var port: Int
        var tls: Bool
    }

    /// Idle connections older than this are closed.
    static let idleLimit: Duration = .seconds(15)
    /// At most this many idle connections per endpoint (the delivery service sends at most
    /// `WebhookOrdering.perEndpoint` to one at a time).
    static let idlePerEndpoint = WebhookOrdering.perEndpoint

    private let idle = Mutex<[Endpoint: [Connection]]>([:])
    /// Connections opened since the start (tests and the bench read it).
    let opened = Atomic<Int>(0)

    /// One request and its answer, on a kept connection when there is one.
    func exchange(_ endpoint: Endpoint, tls: NIOSSLContext?, head: HTTPRequestHead, body: [UInt8]) async throws -> WebhookAnswer {
        if let c = take(endpoint) {
            do {
                let outcome = try await c.send(head, body)
                if outcome.answer.status != nil {
                    give(c, to: endpoint, reusable: outcome.reusable)
                    return outcome.answer
                }
            } catch where !Task.isCancelled {
                // closed by the endpoint while idle: once more on a new connection
            }
            c.close()
            try Task.checkCancellation()
        }
        let c = try await Connection.open(endpoint, tls: tls)
        opened.add(1, ordering: .relaxed)
        let outcome = try await c.send(head, body)
        give(c, to: endpoint, reusable: outcome.reusable)
        return outcome.answer
    }

    /// Closes idle connections unused for `idleLimit`, and those their endpoint closed.
    func sweep() {
        let now = ContinuousClock.now
        let stale = idle.withLock { all -> [Connection] in
            var out: [Connection] = []
            for (key, list) in all {
                let (keep, drop) = (list.filter { $0.isOpen && now - $0.lastUsed < Self.idleLimit },
                                    list.filter { !($0.isOpen && now - $0.lastUsed < Self.idleLimit) })
                all[key] = keep.isEmpty ? nil : keep
                out += drop
            }
            return out
        }
        for c in stale { c.close() }
    }

    /// Closes every idle connection.
    func closeAll() {
        for c in idle.withLock({ all in defer { all = [:] }; return all.values.flatMap { $0 } }) { c.close() }
    }

    private func take(_ endpoint: Endpoint) -> Connection? {
        let (found, dead) = idle.withLock { all -> (Connection?, [Connection]) in
            var dead: [Connection] = []
            while var list = all[endpoint], let c = list.popLast() {
                all[endpoint] = list.isEmpty ? nil : list
                if c.isOpen { return (c, dead) }
                dead.append(c)
            }
            return (nil, dead)
        }
        for c in dead { c.close() }
        return found
    }

    private func give(_ c: Connection, to endpoint: Endpoint, reusable: Bool) {
        let kept = reusable && idle.withLock { all in
            guard all[endpoint, default: []].count < Self.idlePerEndpoint else { return false }
            all[endpoint, default: []].append(c)
            return true
        }
        if !kept { c.close() }
    }

    /// What an exchange brought: the answer, and whether the connection may carry another request.
    struct Outcome: Sendable {
        var answer: WebhookAnswer
        var reusable: Bool
    }

    struct Closed: Error, CustomStringConvertible {
        var description: String { "the connection closed without an answer" }
    }

    /// One open connection and the task that owns it.
    final class Connection: Sendable {
        private struct Exchange: Sendable {
            var head: HTTPRequestHead
            var body: [UInt8]
            var reply: CheckedContinuation<Outcome, any Error>
        }
        private let channel: any Channel
        private let requests: AsyncStream<Exchange>.Continuation
        private let used = Mutex(ContinuousClock.now)

        var lastUsed: ContinuousClock.Instant { used.withLock { $0 } }
        var isOpen: Bool { channel.isActive }

        private init(channel: any Channel, requests: AsyncStream<Exchange>.Continuation) {
            self.channel = channel; self.requests = requests
        }

        static func open(_ endpoint: Endpoint, tls: NIOSSLContext?) async throws -> Connection {
            let host = endpoint.host
            let async = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(HTTPWebhookTransport.connectTimeout)
                .connect(host: host, port: endpoint.port) { channel in
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
            let (stream, continuation) = AsyncStream.makeStream(of: Exchange.self)
            let c = Connection(channel: async.channel, requests: continuation)
            Task { await c.serve(async, stream) }
            return c
        }

        /// Sends one request and reads its answer; a cancelled caller (the request's time is up)
        /// closes the connection, which ends the exchange.
        func send(_ head: HTTPRequestHead, _ body: [UInt8]) async throws -> Outcome {
            used.withLock { $0 = .now }
            defer { used.withLock { $0 = .now } }
            let channel = self.channel
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { reply in
                    if case .terminated = requests.yield(Exchange(head: head, body: body, reply: reply)) { reply.resume(throwing: Closed()) }
                }
            } onCancel: {
                channel.close(promise: nil)
            }
        }

        /// Ends the owning task, which closes the channel.
        func close() {
            requests.finish()
            channel.close(promise: nil)
        }

        private func serve(_ async: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>, _ stream: AsyncStream<Exchange>) async {
            var pending = stream.makeAsyncIterator()
            try? await async.executeThenClose { inbound, outbound in
                var parts = inbound.makeAsyncIterator()
                while let e = await pending.next() {
                    do {
                        let outcome = try await Self.exchange(e.head, e.body, outbound, &parts)
                        e.reply.resume(returning: outcome)
                        if !outcome.reusable { return }
                    } catch {
                        e.reply.resume(throwing: error)
                        return
                    }
                }
            }
            // a request handed over as the connection ended gets its failure, not silence
            requests.finish()
            while let e = await pending.next() { e.reply.resume(throwing: Closed()) }
        }

        private static func exchange(_ head: HTTPRequestHead, _ body: [UInt8],
                                     _ outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>,
                                     _ parts: inout NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator) async throws -> Outcome {
            try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(ByteBuffer(bytes: body))), .end(nil)])
            var status: Int?
            var keepAlive = false
            var kept: [UInt8] = []
            var length = 0
            while let part = try await parts.next() {
                switch part {
                case .head(let h):
                    // an interim 1xx answer is not the answer
                    if h.status.code >= 200 {
                        status = Int(h.status.code)
                        // a 204 or 304 has no body, whatever its head says: one that announces a
                        // body may send it, and those bytes would be read as the next answer
                        let bodiless = h.status == .noContent || h.status == .notModified
                        let announces = h.headers["transfer-encoding"].contains { !$0.isEmpty }
                            || h.headers["content-length"].contains { $0.trimmingCharacters(in: .whitespaces) != "0" }
                        keepAlive = h.isKeepAlive && !(bodiless && announces)
                    }
                case .body(let chunk):
                    guard status != nil else { continue }
                    length += chunk.readableBytes
                    if kept.count < HTTPWebhookTransport.excerpt {
                        kept.append(contentsOf: chunk.readableBytesView.prefix(HTTPWebhookTransport.excerpt - kept.count))
                    }
                    // the log keeps a kilobyte: a long answer is not read to its end, and its connection goes
                    if length > HTTPWebhookTransport.drainLimit {
                        return Outcome(answer: WebhookAnswer(status: status, body: String(decoding: kept, as: UTF8.self)), reusable: false)
                    }
                case .end:
                    if let status {
                        return Outcome(answer: WebhookAnswer(status: status, body: kept.isEmpty ? nil : String(decoding: kept, as: UTF8.self)),
                                       reusable: keepAlive)
                    }
                }
            }
            return Outcome(answer: WebhookAnswer(status: status, error: status == nil ? Closed().description : nil, bodyIfAnswered: kept),
                           reusable: false)
        }
    }
}
