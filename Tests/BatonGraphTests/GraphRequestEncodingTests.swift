import BatonCore
import Foundation
import NIOCore
import Testing

@testable import BatonGraph

/// Parses JSON text into a comparable dictionary.
func jsonDictionary(_ text: String?) -> NSDictionary? {
    guard let text, let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return nil }
    return value as? NSDictionary
}

/// The button-template attachment of `send-button-template-request.json`, as JSON text.
func buttonTemplateAttachment() throws -> String {
    let body = try GraphFixtures.requestBody("send-button-template-request.json")
    let attachment = try #require((body["message"] as? NSDictionary)?["attachment"])
    return String(decoding: try JSONSerialization.data(withJSONObject: attachment), as: UTF8.self)
}

/// One Send API fixture and the call that should produce it.
struct SendCase: Sendable, CustomStringConvertible {
    var fixture: String
    var message: ReplyMessage
    var metadata: String?
    var user: UserID
    var messagingType: MessagingType = .response
    var tag: String?
    var description: String { fixture }

    static let all: [SendCase] = [
        SendCase(
            fixture: "send-text-response-request.json",
            message: .text("Sure - can you share your order number?"), metadata: "bot:turn=7f3e2a",
            user: TestIDs.user),
        SendCase(
            fixture: "send-quick-replies-request.json",
            message: ReplyMessage(
                body: .text("What would you like to do?"),
                quickReplies: [
                    .init(title: "Track my order", payload: "TRACK_ORDER"),
                    .init(title: "Talk to a person", payload: "HANDOVER_TO_HUMAN"),
                ]),
            user: TestIDs.user),
        SendCase(
            fixture: "send-update-request.json", message: .text("Your refund has been processed."),
            user: TestIDs.user2, messagingType: .update),
        SendCase(
            fixture: "send-human-agent-tag-request.json",
            message: .text("Following up on your refund: it was issued today."), user: TestIDs.user,
            messagingType: .messageTag, tag: "HUMAN_AGENT"),
    ]
}

@Suite("Graph request encoding")
struct GraphRequestEncodingTests {
    @Test func appSecretProofMatchesTheVector() throws {
        let vector = try GraphFixtures.json("graph-appsecret-proof-vector.json")
        let proof = GraphClient.appSecretProof(
            accessToken: try #require(vector["access_token"] as? String),
            appSecret: try #require(vector["app_secret"] as? String))
        #expect(proof == vector["appsecret_proof"] as? String)
        #expect(GraphClient.appSecretProof(accessToken: "other", appSecret: TestIDs.secret) != proof)
    }

    @Test(arguments: SendCase.all)
    func sendBodiesMatchFixtures(testCase: SendCase) throws {
        let request = GraphRequest.send(
            testCase.message, metadata: testCase.metadata, to: testCase.user, messagingType: testCase.messagingType,
            tag: testCase.tag)
        #expect(request.method == .post)
        #expect(request.path == "/me/messages")
        #expect(jsonDictionary(request.body) == (try GraphFixtures.requestBody(testCase.fixture)))
    }

    @Test func attachmentIsSentVerbatim() throws {
        let attachment = try buttonTemplateAttachment()
        let checked = try #require(ReplyAttachment(json: "  \(attachment)\n"))
        let request = GraphRequest.send(
            ReplyMessage(body: .attachment(checked)), metadata: nil, to: TestIDs.user2, messagingType: .response,
            tag: nil)
        #expect(jsonDictionary(request.body) == (try GraphFixtures.requestBody("send-button-template-request.json")))
        #expect(request.body?.contains(attachment) == true)
    }

    @Test(arguments: [
        (SenderAction.typingOn, "send-sender-action-typing-on-request.json"),
        (.markSeen, "send-sender-action-mark-seen-request.json"),
    ])
    func senderActionBodies(action: SenderAction, fixture: String) throws {
        let request = GraphRequest.senderAction(action, to: TestIDs.user)
        #expect(jsonDictionary(request.body) == (try GraphFixtures.requestBody(fixture)))
        #expect(SenderAction.typingOff.rawValue == "typing_off")
    }

    @Test func handoverBodiesMatchFixtures() throws {
        let metadata = "{\"reason\":\"user_requested_human\",\"order\":\"48213\",\"lang\":\"fr\"}"
        let cases: [(GraphRequest, String)] = [
            (
                .passThreadControl(user: TestIDs.user, targetApp: TestIDs.agentApp, metadata: metadata),
                "graph-pass-thread-control-request.json"
            ),
            (
                .passThreadControl(
                    user: TestIDs.user, targetApp: .pageInbox, metadata: "escalated: bot could not parse intent"),
                "graph-pass-thread-control-to-page-inbox-request.json"
            ),
            (
                .threadControl(
                    "take_thread_control", user: TestIDs.user,
                    members: [("metadata", JSONString.quoted("bot resuming after agent timeout"))]),
                "graph-take-thread-control-request.json"
            ),
            (
                .extendThreadControl(user: TestIDs.user, duration: .seconds(86_400)),
                "graph-extend-thread-control-request.json"
            ),
        ]
        for (request, fixture) in cases {
            #expect(jsonDictionary(request.body) == (try GraphFixtures.requestBody(fixture)), "\(fixture)")
            #expect(request.path.hasSuffix("/" + (try GraphFixtures.requestPath(fixture)).split(separator: "/").last!))
        }
    }

    @Test func targetAppIDIsANumberWhenNumeric() {
        #expect(GraphJSON.appID("263902037430900") == "263902037430900")
        #expect(GraphJSON.appID("app-x") == "\"app-x\"")
        #expect(GraphJSON.appID("0123") == "\"0123\"")
        #expect(GraphJSON.appID("") == "\"\"")
    }

    @Test func stringsAreEscaped() {
        let text = "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} café 😀 \u{2028}"
        let json = JSONString.quoted(text)
        #expect(!json.contains("\n"))
        let decoded = try? JSONSerialization.jsonObject(with: Data("[\(json)]".utf8), options: [])
        #expect((decoded as? [String])?.first == text)
    }

    @Test func urlCarriesTokenAndProofLastAndPercentEncodes() {
        let request = GraphRequest.conversationMessages(user: TestIDs.user, page: TestIDs.page)
        let url = request.url(baseURL: "https://graph.facebook.com/v25.0/", accessToken: "a b&c", appSecretProof: "ff")
        #expect(
            url
                == "https://graph.facebook.com/v25.0/109876543210987/conversations?user_id=5012345678901234&fields=messages%7Bmessage%2Ccreated_time%7D&access_token=a%20b%26c&appsecret_proof=ff"
        )
        let owner = GraphRequest.threadOwner(user: TestIDs.user).url(
            baseURL: "http://h/v25.0", accessToken: "t", appSecretProof: "p")
        #expect(owner == "http://h/v25.0/me/thread_owner?recipient=5012345678901234&access_token=t&appsecret_proof=p")
        #expect(GraphRequest.percentEncode("é/?=") == "%C3%A9%2F%3F%3D")
    }

    @Test func durationsConvertToTimeAmounts() {
        #expect(GraphClient.timeAmount(.seconds(10)).nanoseconds == 10_000_000_000)
        #expect(GraphClient.timeAmount(.milliseconds(250)).nanoseconds == 250_000_000)
        #expect(GraphClient.timeAmount(.seconds(-3)).nanoseconds == 0)
    }

    @Test func replyMessageRoundTripsThroughCodable() throws {
        let message = ReplyMessage(body: .text("hi"), quickReplies: [.init(title: "A", payload: "a")])
        let data = try JSONEncoder().encode(message)
        #expect(try JSONDecoder().decode(ReplyMessage.self, from: data) == message)
    }

    @Test func configurationDescriptionHidesTheSecret() {
        let configuration = GraphConfiguration(baseURL: "https://graph.facebook.com/v25.0", appSecret: TestIDs.secret)
        #expect(!configuration.description.contains(TestIDs.secret))
        #expect(configuration.timeout == .seconds(10))
    }
}
