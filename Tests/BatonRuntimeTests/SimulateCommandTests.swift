import BatonTestSupport
import Foundation
import Testing

/// `baton simulate` as a bot written with any framework uses it: a separate process, driven over
/// HTTP with the control API alone, delivering signed webhooks to the bot's URL.
@Suite("baton simulate")
struct SimulateCommandTests {
    static let page = "109876543210987"
    static let bot = "712345678901234"
    static let inbox = "263902037430900"
    static let secret = "sim-app-secret-42"

    @Test func aSimulatorConfigIsDrivenOverTheControlAPIAndStopsOnSIGTERM() async throws {
        let receiver = WebhookReceiver(secrets: [Self.bot: Self.secret])
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        let port = try freePort()
        let folder = try TemporaryDirectory(prefix: "baton-cli")
        let config = try CommandLineTests.writeConfig(
            """
            pages:
              - id: "\(Self.page)"
                name: Test Page
                access_token: PAGE_TOKEN
            apps:
              - id: "\(Self.bot)"
                name: My Bot
                secret: \(Self.secret)
                webhook_url: \(await receiver.url(for: Self.bot))
            default_owner_app_id: "\(Self.bot)"
            """, in: folder)
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
            let delivery = try await receiver.waitFor { $0.text.contains("\"mid\":\"\(mid)\"") }
            #expect(delivery.signatureValid, "signature \(delivery.signature ?? "none")")
            #expect(delivery.channels == ["messaging"])
            #expect(delivery.text.contains("\"text\":\"hello bot\""))
            #expect(delivery.text.contains("\"id\":\"\(psid)\""))

            // The human agent answers (taking control first), then passes control back to the bot.
            let reply = try await Self.control(.POST, "\(sim)/users/\(psid)/agent/reply", ["text": "Hi, Maria here"])
            #expect(reply["mid"] is String)
            let echo = try await receiver.waitFor { $0.text.contains("Hi, Maria here") }
            #expect(echo.signatureValid)
            #expect(echo.channels == ["standby"])
            #expect(try await Self.control(.GET, "\(sim)/users/\(psid)/owner")["owner"] as? String == Self.inbox)
            let passed = try await Self.control(.POST, "\(sim)/users/\(psid)/agent/pass", ["target_app_id": Self.bot, "metadata": "done"])
            #expect(passed["success"] as? Bool == true)
            let pass = try await receiver.waitFor { $0.text.contains("pass_thread_control") }
            #expect(pass.signatureValid)
            #expect(pass.text.contains("\"new_owner_app_id\":\"\(Self.bot)\""))

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
        #expect(await receiver.received.allSatisfy(\.signatureValid))
    }

    @Test func aBatonConfigMakesTheSimulatorPlayMetaForThatRuntime() async throws {
        let receiver = WebhookReceiver(secrets: [Self.bot: CommandLineTests.environment["BATON_APP_SECRET"]!])
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        let port = try freePort()
        let folder = try TemporaryDirectory(prefix: "baton-cli")
        let config = try CommandLineTests.writeConfig(CommandLineTests.config(extra: """
            simulator:
              webhook_url: \(await receiver.url(for: Self.bot))
              default_owner_app_id: "\(Self.bot)"
            """), in: folder)
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
            let delivery = try await receiver.waitFor { $0.text.contains("GET_STARTED") }
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
        try await waitUntil("baton simulate serves its control API") {
            let answer = try? await http(
                .POST, "\(sim)/wait", headers: [("Content-Type", "application/json")], body: Array("{\"timeout_seconds\":1}".utf8))
            return answer?.status == 200
        }
    }

    /// One control call answering a JSON object with 200.
    static func control(_ method: HTTPVerb, _ url: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
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
}
