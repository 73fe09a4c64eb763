import BatonSimulator
import Crypto
import Foundation

/// A bot's webhook: verifies `X-Hub-Signature-256` with each app's secret and keeps every body
/// it gets at `POST /webhook/{app_id}`.
public actor WebhookReceiver {
    /// One body the receiver got.
    public struct Received: Sendable {
        /// The app the URL named.
        public var appID: String
        /// The body's bytes.
        public var raw: [UInt8]
        /// The `X-Hub-Signature-256` header, if any.
        public var signature: String?
        /// Whether the signature matches the app's secret.
        public var signatureValid: Bool
        /// The body parsed (`.null` when it is not JSON).
        public var json: JSONValue
        /// The body as text.
        public var text: String { String(decoding: raw, as: UTF8.self) }

        /// (channel, event) pairs across all entries.
        public var events: [(channel: String, event: JSONValue)] {
            (json["entry"]?.array ?? []).flatMap { entry -> [(channel: String, event: JSONValue)] in
                ["messaging", "standby"].flatMap { channel in
                    (entry[channel]?.array ?? []).map { (channel: channel, event: $0) }
                }
            }
        }

        /// `messaging` / `standby`, one per event, in order.
        public var channels: [String] { events.map(\.channel) }
    }

    private let secrets: [String: String]
    private var failuresLeft: Int
    /// Every body that got past the failures, in order.
    public private(set) var received: [Received] = []
    /// Every request, failed ones too.
    public private(set) var requestCount = 0
    private var server: LoopbackServer?

    /// - Parameters:
    ///   - secrets: each app's secret, by app id.
    ///   - failFirst: how many requests to answer 500 before accepting any.
    public init(secrets: [String: String], failFirst: Int = 0) {
        self.secrets = secrets
        self.failuresLeft = failFirst
    }

    /// The webhook URL for one app.
    /// - Parameter app: the app id.
    public func url(for app: String) -> String { "\(server?.baseURL ?? "http://127.0.0.1:0")/webhook/\(app)" }

    /// Starts listening.
    public func start() async throws {
        server = try await LoopbackServer.start { request in
            let app = String(request.path.split(separator: "/").last ?? "")
            let signature = request.headers["x-hub-signature-256"]
            return .init(status: await self.accept(app: app, raw: request.body, signature: signature))
        }
    }

    /// Stops listening.
    public func stop() async {
        await server?.stop()
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
        return valid ? 200 : 401
    }

    /// Waits until at least `count` bodies arrived.
    /// - Parameters:
    ///   - count: how many bodies.
    ///   - timeout: how long to wait.
    /// - Returns: every body so far.
    @discardableResult
    public func waitForBodies(_ count: Int, timeout: Duration = .seconds(5)) async throws -> [Received] {
        try await waitUntil("\(count) webhook bodies arrived", timeout: timeout) { received.count >= count }
        return received
    }

    /// The first body matching `predicate`, waiting for it.
    /// - Parameters:
    ///   - timeout: how long to wait.
    ///   - predicate: which body.
    public func waitFor(timeout: Duration = .seconds(10), _ predicate: @Sendable (Received) -> Bool) async throws -> Received {
        var found: Received?
        try await waitUntil("a matching webhook arrived", timeout: timeout) {
            found = received.first(where: predicate)
            return found != nil
        }
        guard let found else { throw TestSupportError("no matching webhook among \(received.map(\.text))") }
        return found
    }

    /// All events delivered to one app so far.
    /// - Parameter app: the app id.
    public func events(for app: String) -> [(channel: String, event: JSONValue)] {
        received.filter { $0.appID == app }.flatMap(\.events)
    }
}
