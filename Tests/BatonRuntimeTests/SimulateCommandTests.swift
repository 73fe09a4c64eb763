import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `baton simulate` as a bot written with any framework uses it: a separate process, driven over
/// HTTP with the control API alone, delivering signed webhooks to the bot's URL.
@Suite("baton simulate")
struct SimulateCommandTests {
    static let page = "109876543210987"
    static let bot = "712345678901234"
    static let inbox = "263902037430900"
    static let secret = "sim-app-secret-42"

    @Test func aSimulatorConfigIsDrivenOverTheControlAPIAndStopsOnSIGTERM() async throws {
        let receiver = SignedWebhookRecorder(secret: Self.secret)
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        let port = try #require(Self.freePort())
        let config = try CommandLineTests.writeConfig("""
            pages:
              - id: "\(Self.page)"
                name: Test Page
                access_token: PAGE_TOKEN
            apps:
              - id: "\(Self.bot)"
                name: My Bot
                secret: \(Self.secret)
                webhook_url: \(await receiver.url)
            default_owner_app_id: "\(Self.bot)"
            """)
        let sim = "http://127.0.0.1:\(port)/control"
        let run = try await CommandLineTests.baton(["simulate", "--config", config, "--port", "\(port)"], timeout: .seconds(60)) { process in
            defer { process.terminate() }  // SIGTERM, also when an expectation throws
            try await Self.waitUntilServing(sim)

            // A user, and a message from them: a signed webhook on the bot's messaging channel.
            let user = try await Self.control(.POST, "\(sim)/users", ["page": Self.page])
            let psid = try #require(user["psid"] as? String)
            #expect(user["page"] as? String == Self.page)
            let sent = try await Self.control(.POST, "\(sim)/users/\(psid)/messages", ["text": "hello bot"])
            let mid = try #require(sent["mid"] as? String)
            let delivery = try await receiver.waitFor { $0.body.contains("\"mid\":\"\(mid)\"") }
            #expect(delivery.signatureValid, "signature \(delivery.signature ?? "none")")
            #expect(delivery.channels == ["messaging"])
            #expect(delivery.body.contains("\"text\":\"hello bot\""))
            #expect(delivery.body.contains("\"id\":\"\(psid)\""))

            // The human agent answers (taking control first), then passes control back to the bot.
            let reply = try await Self.control(.POST, "\(sim)/users/\(psid)/agent/reply", ["text": "Hi, Maria here"])
            #expect(reply["mid"] is String)
            let echo = try await receiver.waitFor { $0.body.contains("Hi, Maria here") }
            #expect(echo.signatureValid)
            #expect(echo.channels == ["standby"])
            #expect(try await Self.control(.GET, "\(sim)/users/\(psid)/owner")["owner"] as? String == Self.inbox)
            let passed = try await Self.control(.POST, "\(sim)/users/\(psid)/agent/pass", ["target_app_id": Self.bot, "metadata": "done"])
            #expect(passed["success"] as? Bool == true)
            let pass = try await receiver.waitFor { $0.body.contains("pass_thread_control") }
            #expect(pass.signatureValid)
            #expect(pass.body.contains("\"new_owner_app_id\":\"\(Self.bot)\""))

            // The clock moves by a day and more; the default app keeps its thread.
            let before = try await Self.control(.POST, "\(sim)/clock/advance", ["seconds": 0])
            let after = try await Self.control(.POST, "\(sim)/clock/advance", ["seconds": 90_000])
            let beforeMs = try #require(before["now_ms"] as? Int)
            let afterMs = try #require(after["now_ms"] as? Int)
            #expect(afterMs - beforeMs >= 90_000_000)
            let owner = try await Self.control(.GET, "\(sim)/users/\(psid)/owner")
            #expect(owner["owner"] as? String == Self.bot)
            #expect(owner["page"] as? String == Self.page)

            // The timeline tells the whole story, in order.
            let timeline = try await Self.controlArray("\(sim)/users/\(psid)/timeline")
            let story = timeline.map { entry -> String in
                let kind = entry["kind"] as? String ?? "?"
                let action = (entry["control"] as? [String: Any])?["action"] as? String
                return action.map { "\(kind):\($0)" } ?? kind
            }
            #expect(story == ["user_message", "control:take", "send", "control:pass"], "\(story)")
            let sequences = timeline.compactMap { $0["sequence"] as? Int }
            #expect(sequences == sequences.sorted() && sequences.count == timeline.count)

            // Unknown users and endpoints are told apart.
            let unknown = try await http(.GET, "\(sim)/users/999/owner")
            #expect(unknown.status == 404)
            let quiet = try await Self.control(.POST, "\(sim)/wait", ["timeout_seconds": 5])
            #expect(quiet["quiet"] as? Bool == true)
        }
        #expect(run.reason == .exit)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("simulator listening on http://127.0.0.1:\(port)"), "\(run.stdout)")
        #expect(await receiver.all.allSatisfy(\.signatureValid))
    }

    @Test func aBatonConfigMakesTheSimulatorPlayMetaForThatRuntime() async throws {
        let receiver = SignedWebhookRecorder(secret: CommandLineTests.environment["BATON_APP_SECRET"]!)
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        let port = try #require(Self.freePort())
        let config = try CommandLineTests.writeConfig(CommandLineTests.config(extra: """
            simulator:
              webhook_url: \(await receiver.url)
              default_owner_app_id: "\(Self.bot)"
            """))
        let sim = "http://127.0.0.1:\(port)/control"
        let run = try await CommandLineTests.baton(
            ["simulate", "--config", config, "--port", "\(port)"], environment: CommandLineTests.environment, timeout: .seconds(60)
        ) { process in
            defer { process.terminate() }
            try await Self.waitUntilServing(sim)
            let user = try await Self.control(.POST, "\(sim)/users", [:])  // the config's only Page
            let psid = try #require(user["psid"] as? String)
            #expect(user["page"] as? String == Self.page)
            _ = try await Self.control(.POST, "\(sim)/users/\(psid)/messages", ["postback": ["title": "Get Started", "payload": "GET_STARTED"]])
            let delivery = try await receiver.waitFor { $0.body.contains("GET_STARTED") }
            #expect(delivery.signatureValid, "signed with the Baton config's app secret")
            #expect(delivery.channels == ["messaging"])
            #expect(try await Self.control(.GET, "\(sim)/users/\(psid)/owner")["owner"] as? String == Self.bot)
        }
        #expect(run.reason == .exit)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains(CommandLineTests.environment["BATON_APP_SECRET"]!))
    }

    // MARK: - Helpers

    /// Waits until the control API answers, for at most 30 s.
    static func waitUntilServing(_ sim: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let answer = try? await http(.POST, "\(sim)/wait", headers: [("Content-Type", "application/json")],
                                            body: Array("{\"timeout_seconds\":1}".utf8)), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("baton simulate did not start serving within 30 s")
        throw CancellationError()
    }

    /// One control call answering a JSON object with 200.
    static func control(_ method: Method, _ url: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        let answer = try await http(method, url, headers: [("Content-Type", "application/json")], body: bytes)
        try #require(answer.status == 200, "\(method) \(url): \(answer.status) \(answer.body)")
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any], "\(answer.body)")
    }

    /// One control call answering a JSON array with 200.
    static func controlArray(_ url: String) async throws -> [[String: Any]] {
        let answer = try await http(.GET, url)
        try #require(answer.status == 200, "\(url): \(answer.status) \(answer.body)")
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]], "\(answer.body)")
    }

    /// A loopback port free right now (bound to port 0, read back, released).
    static func freePort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        return ok ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}

/// The bot's webhook in these tests: a Hummingbird server that checks `X-Hub-Signature-256`
/// against one app secret and keeps every body.
actor SignedWebhookRecorder {
    struct Delivery: Sendable {
        var body: String
        var signature: String?
        var signatureValid: Bool
        /// `messaging` / `standby`, one per event, in order.
        var channels: [String]
    }

    private let secret: String
    private(set) var all: [Delivery] = []
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var task: Task<Void, any Error>?
    private var port = 0

    init(secret: String) { self.secret = secret }

    var url: String { "http://127.0.0.1:\(port)/webhook" }

    func start() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            await self.record(Array(buffer.readableBytesView), signature: request.headers[HTTPField.Name("X-Hub-Signature-256")!])
            return Response(status: .ok)
        }
        var logger = Logger(label: "test.webhook")
        logger.logLevel = .critical
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        task = Task { try await app.run() }
        for await bound in stream { port = bound }
    }

    func stop() async {
        task?.cancel()
        _ = try? await task?.value
    }

    private func record(_ raw: [UInt8], signature: String?) {
        let mac = HMAC<SHA256>.authenticationCode(for: raw, using: SymmetricKey(data: Data(secret.utf8)))
        let expected = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
        var channels: [String] = []
        if let json = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any] {
            for entry in json["entry"] as? [[String: Any]] ?? [] {
                for channel in ["messaging", "standby"] {
                    channels += Array(repeating: channel, count: (entry[channel] as? [Any])?.count ?? 0)
                }
            }
        }
        all.append(Delivery(body: String(decoding: raw, as: UTF8.self), signature: signature,
                            signatureValid: signature == expected, channels: channels))
        let woken = waiters
        waiters = []
        for waiter in woken { waiter.resume() }
    }

    /// The first delivery matching `predicate`, waiting for it at most `timeout`.
    func waitFor(timeout: Duration = .seconds(10), _ predicate: @Sendable (Delivery) -> Bool) async throws -> Delivery {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = all.first(where: predicate) { return found }
            guard ContinuousClock.now < deadline else {
                Issue.record("no matching webhook within \(timeout); got \(all.map(\.body))")
                throw CancellationError()
            }
            // Woken by the next delivery, or by a tick so the deadline is honoured.
            let tick = Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(200))
                await self?.wakeAll()
            }
            await withCheckedContinuation { waiters.append($0) }
            tick.cancel()
        }
    }

    private func wakeAll() {
        let woken = waiters
        waiters = []
        for waiter in woken { waiter.resume() }
    }
}
