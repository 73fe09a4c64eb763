import BatonSimulator
import BatonTestSupport
import Foundation
import Testing

@Suite("Wire format: signatures, proofs, escaping")
struct WireFormatTests {
    @Test func writerAndSignatureReproduceTheFixtureVector() throws {
        let vector = try fixture("webhook-signature-vector.json")
        let raw = try #require(vector["raw_body_ascii"]?.string)
        let secret = try #require(vector["app_secret"]?.string)
        let expected = try #require(vector["headers"]?["X-Hub-Signature-256"]?.string)

        let message = JSONValue.object([
            .init("mid", .string("m_Ao3xZ1qk9LbY7vH2tR8sWcN4eF6gJ0uP5dK-mQwErTyUiOp")),
            .init("text", .string("Café ouvert ? 😀")),
        ])
        let event = JSONValue.object([
            .init("sender", .object([.init("id", .string("5012345678901234"))])),
            .init("recipient", .object([.init("id", .string(IDs.pageA))])),
            .init("timestamp", .int(1_730_462_399_876)),
            .init("message", message),
        ])
        let body = JSONValue.object([
            .init("object", .string("page")),
            .init("entry", .array([.object([
                .init("id", .string(IDs.pageA)), .init("time", .int(1_730_462_400_123)), .init("messaging", .array([event])),
            ])])),
        ])
        #expect(body.metaSerializedString == raw)
        #expect(MessengerCrypto.hubSignature256(body: body.metaSerialized(), secret: secret) == expected)

        let pitfall = try #require(vector["pitfall_resserialized_utf8_body"]?.string)
        #expect(MessengerCrypto.hubSignature256(body: Array(pitfall.utf8), secret: secret) != expected)
        let bottender = try #require(vector["bottender_test_vector"])
        #expect(
            MessengerCrypto.hubSignature256(body: Array("rawBody".utf8), secret: "FAKE_SECRET")
                == bottender["x_hub_signature_256"]?.string
        )
    }

    @Test func appSecretProofMatchesTheFixtureVector() throws {
        let vector = try fixture("graph-appsecret-proof-vector.json")
        let proof = MessengerCrypto.appSecretProof(
            accessToken: try #require(vector["access_token"]?.string), secret: try #require(vector["app_secret"]?.string)
        )
        #expect(proof == vector["appsecret_proof"]?.string)
    }

    @Test func escapesControlCharactersSlashesAndNonASCII() {
        let value = JSONValue.string("a\"b\\c/d\ne\u{1}é😀")
        #expect(value.metaSerializedString == #""a\"b\\c\/d\ne\u0001\u00e9\ud83d\ude00""#)
    }

    @Test func webhooksAreSignedAndEscapedOverHTTP() async throws {
        try await withHarness(defaultOwner: IDs.bot) { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            let mid = await h.simulator.userSends(text: "Café ouvert ? 😀 / ok", page: IDs.pageA, user: psid)
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let bodies = await h.receiver.received
            #expect(bodies.count == 2)  // owner on messaging, the agent app on standby
            for body in bodies {
                #expect(body.signatureValid, "signature of \(body.text)")
                #expect(body.raw.allSatisfy { $0 < 0x80 })
                #expect(body.text.contains(#"Caf\u00e9 ouvert ? \ud83d\ude00 \/ ok"#))
                let event = try #require(body.events.first?.event)
                #expect(event["message"]?["text"]?.string == "Café ouvert ? 😀 / ok")
                #expect(event["message"]?["mid"]?.string == mid)
                // Meta's key order, read from the raw bytes (decoding does not keep it).
                #expect(body.text.contains(#"{"sender":{"id":"\#(psid)"},"recipient":{"id":"\#(IDs.pageA)"},"timestamp":"#))
                #expect(body.text.hasPrefix(#"{"object":"page","entry":[{"id":"\#(IDs.pageA)","time":"#))
                #expect(body.json["object"]?.string == "page")
            }
            let bot = try #require(bodies.first { $0.appID == IDs.bot })
            let agent = try #require(bodies.first { $0.appID == IDs.agentApp })
            #expect(bot.events.first?.channel == "messaging")
            #expect(agent.events.first?.channel == "standby")
        }
    }

    @Test func timestampsAreStrictlyIncreasing() async throws {
        try await withHarness { h in
            let psid = await h.simulator.createUser(page: IDs.pageA)
            for i in 0..<5 { await h.simulator.userSends(text: "m\(i)", page: IDs.pageA, user: psid) }
            try await h.simulator.waitUntilQuiet(timeout: .seconds(5))
            let stamps = await h.receiver.events(for: IDs.bot).compactMap { $0.event["timestamp"]?.int }
            #expect(stamps.count == 5)
            #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 < $1 })
        }
    }
}
