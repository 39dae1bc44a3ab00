import Foundation
import Crypto
import Hummingbird
import Logging
import HTTPTypes
import NIOCore
import Synchronization
import GuanxiCore

/// A webhook endpoint on loopback inside the test: a real HTTP server that records every request
/// and answers as the test says (a status, or no answer for a while).
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var headers: [String: String]
        var body: Data
        var json: J { J(body) }
        var id: String { headers["webhook-id"] ?? "" }
        var type: String { json["type"].string ?? "" }
    }
    enum Answer: Sendable { case status(Int), hang(Duration) }

    let port: Int
    private let task: Task<Void, any Error>
    private let box: Box

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var received: [Received] { box.state.withLock { $0.received } }

    /// Answers from now on with `answer(request, how many came before it)`.
    func answer(_ answer: @escaping @Sendable (Received, Int) -> Answer) { box.state.withLock { $0.answer = answer } }

    private init(port: Int, task: Task<Void, any Error>, box: Box) {
        self.port = port; self.task = task; self.box = box
    }

    static func start(port: Int = 0, _ answer: @escaping @Sendable (Received, Int) -> Answer = { _, _ in .status(204) }) async throws -> WebhookReceiver {
        let box = Box(answer)
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            var r = request
            let body = Data(buffer: try await r.collectBody(upTo: 4 << 20))
            var headers: [String: String] = [:]
            for f in request.headers { headers[f.name.canonicalName] = f.value }
            let received = Received(headers: headers, body: body)
            let answer = box.record(received)
            switch answer {
            // (a 204 or 304 has no body: SwiftNIO would send one given, and a kept connection would read it as the next answer)
            case .status(let code) where code == 204 || code == 304: return Response(status: .init(code: code))
            case .status(let code): return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "已收到 \(code)")))
            case .hang(let d):
                try await Task.sleep(for: d)
                return Response(status: .ok)
            }
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var quiet = Logger(label: "test.receiver")
        quiet.logLevel = .critical   // a hanging answer cut off at shutdown is expected here
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0); continuation.finish() },
                              logger: quiet)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await p in ports { port = p }
        return WebhookReceiver(port: port, task: task, box: box)
    }

    /// The request log and the answer rule, shared by the server's handler and the test.
    final class Box: Sendable {
        let state: Mutex<(received: [Received], answer: @Sendable (Received, Int) -> Answer)>
        init(_ answer: @escaping @Sendable (Received, Int) -> Answer) { state = Mutex(([], answer)) }
        func record(_ r: Received) -> Answer {
            state.withLock { s in
                let a = s.answer(r, s.received.count)
                s.received.append(r)
                return a
            }
        }
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// Waits until `n` requests came (at most `limit`).
    func waitFor(_ n: Int, limit: Duration = .seconds(10)) async throws {
        let end = ContinuousClock.now + limit
        while received.count < n && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// Runs `body` with a receiver and stops it afterwards, whatever happens.
    static func with<T: Sendable>(_ answer: @escaping @Sendable (Received, Int) -> Answer = { _, _ in .status(204) },
                                  _ body: (WebhookReceiver) async throws -> T) async throws -> T {
        let r = try await start(answer)
        do { let v = try await body(r); await r.stop(); return v } catch { await r.stop(); throw error }
    }
}

/// Verifying as a receiver would, with the secret alone (Standard Webhooks: HMAC-SHA256 over
/// `id.timestamp.body`, base64, `v1,` each, space-separated).
enum Verify {
    static func signature(_ secret: String, id: String, timestamp: String, body: Data) -> String {
        var b64 = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        while b64.count % 4 != 0 { b64 += "=" }
        let key = SymmetricKey(data: Data(base64Encoded: b64) ?? Data())
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).".utf8) + body, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// True when one of the header's signatures is the secret's.
    static func isSigned(_ r: WebhookReceiver.Received, with secret: String) -> Bool {
        guard let header = r.headers["webhook-signature"], let ts = r.headers["webhook-timestamp"] else { return false }
        let want = signature(secret, id: r.id, timestamp: ts, body: r.body)
        return header.split(separator: " ").contains { $0 == want }
    }
}
