import AsyncHTTPClient
import BatonCore
import BatonRuntime
import BatonStore
import BatonTestSupport
import Foundation
import Testing

/// The HTTP contract of `baton serve` over real loopback HTTP.
@Suite("Webhook intake")
struct WebhookIntakeTests {
    static let secret = "7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b"

    /// Starts a runtime with no skills (its Graph URL points nowhere: intake only).
    func withServer(maxBody: Int = 1 << 20, _ body: (BatonServer, String) async throws -> Void) async throws {
        try await withIntakeServer(secret: Self.secret, verifyToken: "let-me-in", maxBody: maxBody, body)
    }

    func signed(_ body: [UInt8]) -> [(String, String)] {
        [("X-Hub-Signature-256", WebhookSignature(appSecret: Self.secret).header(for: body)), ("Content-Type", "application/json")]
    }

    @Test func verificationEchoesTheChallengeOnlyForTheRightToken() async throws {
        try await withServer { (_, base) async throws in
            let ok = try await http(.GET, base + "/webhook?hub.mode=subscribe&hub.verify_token=let-me-in&hub.challenge=1158201444")
            #expect(ok.status == 200)
            #expect(ok.body == "1158201444")
            let wrong = try await http(.GET, base + "/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444")
            #expect(wrong.status == 403)
            let noMode = try await http(.GET, base + "/webhook?hub.verify_token=let-me-in&hub.challenge=1")
            #expect(noMode.status == 403)
        }
    }

    @Test func theSignatureVectorIsAcceptedAndRecorded() async throws {
        let vector = try MessengerFixtures.json("webhook-signature-vector.json")
        let body = Array((vector["raw_body_ascii"] as? String ?? "").utf8)
        let header = (vector["headers"] as? [String: String])?["X-Hub-Signature-256"] ?? ""
        try await withServer { (server, base) async throws in
            let answer = try await http(.POST, base + "/webhook", headers: [("X-Hub-Signature-256", header)], body: body)
            #expect(answer.status == 200)
            #expect(try await server.store.counters().inboxTotal == 1)
            // The same text re-serialised as UTF-8 no longer matches the signature.
            let reserialised = Array((vector["pitfall_resserialized_utf8_body"] as? String ?? "").utf8)
            let refused = try await http(.POST, base + "/webhook", headers: [("X-Hub-Signature-256", header)], body: reserialised)
            #expect(refused.status == 401)
        }
    }

    @Test func missingOrWrongSignaturesAreRefusedAndNothingIsRecorded() async throws {
        let body = Array(try MessengerFixtures.data("webhook-message-text.json"))
        try await withServer { (server, base) async throws in
            #expect(try await http(.POST, base + "/webhook", body: body).status == 401)
            let wrong = WebhookSignature(appSecret: "another-secret").header(for: body)
            #expect(try await http(.POST, base + "/webhook", headers: [("X-Hub-Signature-256", wrong)], body: body).status == 401)
            #expect(try await http(.POST, base + "/webhook", headers: [("X-Hub-Signature-256", "sha256=zz")], body: body).status == 401)
            #expect(try await server.store.counters().inboxTotal == 0)
            #expect(try await http(.POST, base + "/webhook", headers: signed(body), body: body).status == 200)
            #expect(try await server.store.counters().inboxTotal == 1)
        }
    }

    @Test func oversizedBodiesGet413() async throws {
        try await withServer(maxBody: 4096) { (server, base) async throws in
            let padding = String(repeating: "x", count: 5000)
            let body = Array(#"{"object":"page","entry":[],"pad":"\#(padding)"}"#.utf8)
            #expect(try await http(.POST, base + "/webhook", headers: signed(body), body: body).status == 413)
            #expect(try await server.store.counters().inboxTotal == 0)
        }
    }

    @Test func bodiesThatAreNotWebhooksGet400AndTheDashboardShapeIsIgnored() async throws {
        try await withServer { (server, base) async throws in
            for text in [#"not json"#, #"[1,2]"#, #"{"object":"user","entry":[]}"#, #"{"object":"page"}"#] {
                let body = Array(text.utf8)
                #expect(try await http(.POST, base + "/webhook", headers: signed(body), body: body).status == 400)
            }
            #expect(try await server.store.counters().inboxTotal == 0)
            let dashboard = Array(try MessengerFixtures.data("webhook-dashboard-test-changes-shape.json"))
            #expect(try await http(.POST, base + "/webhook", headers: signed(dashboard), body: dashboard).status == 200)
            #expect(try await http(.POST, base + "/webhook", headers: signed(dashboard), body: dashboard).status == 200)
            // Recorded once, processed as ignored, never a 5xx.
            try await waitUntil("the event was processed", timeout: .seconds(10)) {
                try await server.store.counters().inboxPending == 0
            }
            #expect(try await server.store.counters().inboxTotal == 1)
        }
    }

    @Test func everyWebhookFixtureIsAccepted() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: MessengerFixtures.folder.path)
            .filter { $0.hasPrefix("webhook-") && $0 != "webhook-signature-vector.json" && $0 != "webhook-verification-get.json" }
        #expect(names.count > 15)
        try await withServer { (_, base) async throws in
            for name in names.sorted() {
                let body = Array(try MessengerFixtures.data(name))
                let answer = try await http(.POST, base + "/webhook", headers: signed(body), body: body)
                #expect(answer.status == 200, "\(name): \(answer.status) \(answer.body)")
            }
        }
    }

    @Test func healthAndMetricsAnswer() async throws {
        try await withServer { (_, base) async throws in
            #expect(try await http(.GET, base + "/healthz").status == 200)
            let body = Array(try MessengerFixtures.data("webhook-message-text.json"))
            _ = try await http(.POST, base + "/webhook", headers: signed(body), body: body)
            let metrics = try await http(.GET, base + "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains(#"baton_webhook_requests_total{status="200"} 1"#))
            #expect(metrics.body.contains("# TYPE baton_webhook_events_total counter"))
        }
    }
}
