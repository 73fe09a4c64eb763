import BatonSimulator
import Crypto
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore

/// The "bot": a tiny Hummingbird server that verifies `X-Hub-Signature-256` with each app's secret and
/// keeps every body it gets (POST /webhook/{app_id}).
actor WebhookReceiver {
    struct Received: Sendable {
        var appID: String
        var raw: [UInt8]
        var signature: String?
        var signatureValid: Bool
        var json: JSONValue
        var text: String { String(decoding: raw, as: UTF8.self) }

        /// (channel, event) pairs across all entries.
        var events: [(channel: String, event: JSONValue)] {
            (json["entry"]?.array ?? []).flatMap { entry -> [(channel: String, event: JSONValue)] in
                ["messaging", "standby"].flatMap { channel in
                    (entry[channel]?.array ?? []).map { (channel: channel, event: $0) }
                }
            }
        }
    }

    private let secrets: [String: String]
    private var failuresLeft: Int
    private(set) var received: [Received] = []
    private(set) var requestCount = 0
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    init(secrets: [String: String], failFirst: Int = 0) {
        self.secrets = secrets
        self.failuresLeft = failFirst
    }

    func url(for app: String) -> String { "http://127.0.0.1:\(port)/webhook/\(app)" }

    func start() async throws {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let app = String(request.uri.path.split(separator: "/").last ?? "")
            let signature = request.headers[HTTPField.Name("X-Hub-Signature-256")!]
            let status = await self.accept(app: app, raw: Array(buffer.readableBytesView), signature: signature)
            return Response(status: .init(code: status))
        }
        var logger = Logger(label: "test.receiver")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        task = Task { try await app.run() }
        var iterator = stream.makeAsyncIterator()
        port = try await iterator.next() ?? 0
    }

    func stop() async {
        task?.cancel()
        _ = try? await task?.value
    }

    private func accept(app: String, raw: [UInt8], signature: String?) -> Int {
        requestCount += 1
        if failuresLeft > 0 {
            failuresLeft -= 1
            return 500
        }
        let expected = secrets[app].map { secret in
            "sha256=" + HMAC<SHA256>.authenticationCode(for: raw, using: SymmetricKey(data: Array(secret.utf8)))
                .map { String(format: "%02x", $0) }.joined()
        }
        let valid = expected != nil && expected == signature
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(raw))) ?? .null
        received.append(Received(appID: app, raw: raw, signature: signature, signatureValid: valid, json: json))
        let ready = waiters.filter { $0.count <= received.count }
        waiters.removeAll { $0.count <= received.count }
        for waiter in ready { waiter.continuation.resume() }
        return valid ? 200 : 401
    }

    /// Waits (bounded) until at least `count` bodies arrived.
    func waitForBodies(_ count: Int, timeout: Duration = .seconds(5)) async throws -> [Received] {
        if received.count >= count { return received }
        let deadline = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.releaseAll()
        }
        defer { deadline.cancel() }
        await withCheckedContinuation { waiters.append((count, $0)) }
        guard received.count >= count else { throw TimedOut(what: "\(count) webhook bodies (got \(received.count))") }
        return received
    }

    private func releaseAll() {
        for waiter in waiters { waiter.continuation.resume() }
        waiters = []
    }

    /// All events delivered to one app so far.
    func events(for app: String) -> [(channel: String, event: JSONValue)] {
        received.filter { $0.appID == app }.flatMap(\.events)
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
