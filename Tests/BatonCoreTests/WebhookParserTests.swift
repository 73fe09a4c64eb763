import BatonCore
import BatonTestSupport
import Foundation
import Testing

/// Reads the Messenger fixtures from `Tests/Fixtures/messenger`.
enum WebhookFixtures {
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try MessengerFixtures.data(name))
    }

    static func parse(_ name: String) throws -> WebhookBatch {
        try WebhookParser.parse(bytes(name))
    }

    /// Every webhook POST body among the fixtures (not the GET or signature descriptions).
    static var bodyNames: [String] {
        MessengerFixtures.names.filter {
            $0.hasPrefix("webhook-") && $0.hasSuffix(".json") && $0 != "webhook-verification-get.json"
                && $0 != "webhook-signature-vector.json"
        }
    }
}

let pageA: PageID = "109876543210987"
let user1: UserID = "5012345678901234"
let user2: UserID = "4987654321098765"
let user3: UserID = "6123456789012345"
let botApp: AppID = "712345678901234"
let agentApp: AppID = "823456789012345"

@Suite("Webhook parser: fixtures")
struct WebhookParserFixtureTests {
    /// Parses a fixture that must hold exactly one event and no ignored items.
    func single(_ name: String) throws -> WebhookEvent {
        let batch = try WebhookFixtures.parse(name)
        #expect(batch.ignored.isEmpty, "\(batch.ignored)")
        try #require(batch.events.count == 1)
        return batch.events[0]
    }

    /// Parses the fixture `name`, holding one event, and checks its user and kind.
    @discardableResult
    func expectSingle(_ name: String, user: UserID, kind: WebhookEventKind) throws -> WebhookEvent {
        let event = try single(name)
        #expect(event.user == user)
        #expect(event.kind == kind)
        return event
    }

    /// The user message in a fixture holding one event; records an issue and gives nil for any other kind.
    func singleMessage(_ name: String) throws -> UserMessage? {
        let event = try single(name)
        guard case .message(let message) = event.kind else {
            Issue.record("not a message: \(event.kind)")
            return nil
        }
        return message
    }

    @Test func fixturesArePresent() {
        #expect(WebhookFixtures.bodyNames.count >= 22)
    }

    @Test(arguments: WebhookFixtures.bodyNames)
    func everyBodyParsesWithoutError(name: String) throws {
        let batch = try WebhookFixtures.parse(name)
        if name == "webhook-dashboard-test-changes-shape.json" {
            #expect(batch.events.isEmpty)
        } else {
            #expect(!batch.events.isEmpty)
            #expect(batch.ignored.isEmpty, "\(batch.ignored)")
            for event in batch.events {
                #expect(event.page == pageA)
                #expect(event.timestamp > 1_730_462_400_000)
                #expect(!event.rawJSON.isEmpty)
            }
        }
    }

    @Test func textMessage() throws {
        let event = try single("webhook-message-text.json")
        #expect(event.page == pageA)
        #expect(event.user == user1)
        #expect(event.channel == .messaging)
        #expect(event.timestamp == 1_730_462_400_100)
        let mid = "m_Ao3xZ1qk9LbY7vH2tR8sWcN4eF6gJ0uP5dK-mQwErTyUiOpAsDfGhJkLzXcVbNm1q2w3e4r5t"
        #expect(event.kind == .message(UserMessage(mid: mid, text: "Hi, I need help with my order #48213")))
        #expect(event.kind.name == "message")
        #expect(event.dedupeKey == "mid:\(mid)")
        #expect(event.thread == ThreadKey(page: pageA, user: user1))
    }

    @Test func quickReply() throws {
        guard let message = try singleMessage("webhook-message-quick-reply.json") else { return }
        #expect(message.text == "Talk to a person")
        #expect(message.quickReplyPayload == "HANDOVER_TO_HUMAN")
    }

    @Test func attachments() throws {
        guard let message = try singleMessage("webhook-message-attachments.json") else { return }
        #expect(message.text == nil)
        try #require(message.attachments.count == 2)
        #expect(message.attachments[0].type == "image")
        #expect(message.attachments[0].url?.hasPrefix("https://scontent.xx.fbcdn.net/v/t1.15752-9/") == true)
        #expect(message.attachments[0].stickerID == nil)
        #expect(message.attachments[1].stickerID == "369239263222822")
    }

    @Test func replyTo() throws {
        guard let message = try singleMessage("webhook-message-reply-to.json") else { return }
        #expect(message.replyToMID == "m_Zx1cV2bN3mQ4wE5rT6yU7iO8pA9sD0fG-hJkLqWeRtYuIoPaSdFgHjKlZxCvBnM1a2s3d4f5g")
        #expect(message.text == "Yes, that one")
    }

    @Test func echoOfOwnAppKeysOnRecipient() throws {
        let event = try single("webhook-message-echo-own-app.json")
        #expect(event.user == user1)
        #expect(event.kind.name == "echo")
        let mid = "m_Fu1cA6vp4QgD2aM7yW3xBhS9jK1lO5zU0iP-rVbJwYdZnTuFwIkLmOpQeBhZgSrT6v7w8x9y0z"
        #expect(
            event.kind
                == .echo(
                    Echo(
                        mid: mid, appID: botApp, metadata: "bot:turn=7f3e2a",
                        text: "Sure - can you share your order number?")))
        #expect(event.dedupeKey == "mid:\(mid)")
    }

    @Test func echoFromPageInbox() throws {
        let event = try single("webhook-message-echo-page-inbox.json")
        guard case .echo(let echo) = event.kind else { Issue.record("not an echo: \(event.kind)"); return }
        #expect(event.user == user1)
        #expect(echo.appID == .pageInbox)
        #expect(echo.metadata == nil)
        #expect(echo.hasAttachments == false)
    }

    @Test func postback() throws {
        try expectSingle(
            "webhook-postback.json", user: user2,
            kind: .postback(
                Postback(
                    mid: "m_Hw3eC8xr6SiF4cO9aY5zDjU1lM3nQ7bW2kR-tXdLyAfBpVwHyKmNoQrSgDjBiUtV8x9y0z1a2b",
                    title: "Track my order", payload: "TRACK_ORDER:48213")))
    }

    @Test func getStartedWithReferral() throws {
        let event = try single("webhook-postback-get-started-referral.json")
        #expect(event.user == user3)
        guard case .postback(let postback) = event.kind else { Issue.record("not a postback"); return }
        #expect(postback.payload == "GET_STARTED")
        #expect(postback.referral == Referral(ref: "fall_promo_2024", source: "SHORTLINK", type: "OPEN_THREAD"))
    }

    @Test func delivery() throws {
        let event = try single("webhook-delivery.json")
        #expect(
            event.kind
                == .delivery(
                    mids: ["m_Fu1cA6vp4QgD2aM7yW3xBhS9jK1lO5zU0iP-rVbJwYdZnTuFwIkLmOpQeBhZgSrT6v7w8x9y0z"],
                    watermark: 1_730_462_400_300))
        #expect(event.dedupeKey == "109876543210987:5012345678901234:1730462401500:delivery:" + Turn.digest(of: event.rawJSON))
    }

    @Test func read() throws {
        let event = try single("webhook-read.json")
        #expect(event.kind == .read(watermark: 1_730_462_400_300))
        #expect(event.dedupeKey == "109876543210987:5012345678901234:1730462401900:read:" + Turn.digest(of: event.rawJSON))
    }

    @Test func referral() throws {
        try expectSingle(
            "webhook-referral-mme.json", user: user2,
            kind: .referral(ref: "order-status-48213", source: "SHORTLINK", type: "OPEN_THREAD"))
    }

    @Test func optin() throws {
        let event = try single("webhook-optin-send-to-messenger.json")
        #expect(event.kind == .optin(ref: "checkout_page_optin"))
    }

    @Test func passThreadControl() throws {
        let event = try expectSingle(
            "webhook-pass-thread-control.json", user: user1,
            kind: .passThreadControl(
                newOwner: botApp, previousOwner: .pageInbox,
                metadata: "{\"agent\":\"maria\",\"resolution\":\"refund_issued\"}"))
        #expect(event.kind.name == "pass_thread_control")
    }

    @Test func passThreadControlToAgentApp() throws {
        let event = try single("webhook-pass-thread-control-to-agent-app.json")
        #expect(
            event.kind
                == .passThreadControl(
                    newOwner: agentApp, previousOwner: botApp,
                    metadata: "{\"reason\":\"user_requested_human\",\"order\":\"48213\",\"lang\":\"fr\"}"))
    }

    @Test func passThreadControlFromIdle() throws {
        try expectSingle(
            "webhook-pass-thread-control-from-idle.json", user: user2,
            kind: .passThreadControl(newOwner: botApp, previousOwner: nil, metadata: ""))
    }

    @Test func twoPassesInOneMillisecondKeepTheirOwnKeysAndARedeliveryMatches() throws {
        func pass(to owner: String, from previous: String) -> String {
            "{\"sender\":{\"id\":\"5012345678901234\"},\"recipient\":{\"id\":\"109876543210987\"},\"timestamp\":1730462416100,"
                + "\"pass_thread_control\":{\"new_owner_app_id\":\"\(owner)\",\"previous_owner_app_id\":\"\(previous)\",\"metadata\":\"\"}}"
        }
        let there = pass(to: "712345678901299", from: "712345678901234")
        let back = pass(to: "712345678901234", from: "712345678901299")
        let body = "{\"object\":\"page\",\"entry\":[{\"id\":\"109876543210987\",\"time\":1730462416100,\"messaging\":[\(there),\(back),\(there)]}]}"
        let batch = try WebhookParser.parse(Array(body.utf8))
        let keys = batch.events.map(\.dedupeKey)
        #expect(keys.count == 3)
        #expect(keys[0] != keys[1], "a pass and the pass back in the same millisecond are two events")
        #expect(keys[0] == keys[2], "the same pass delivered again is one event")
    }

    @Test func takeThreadControl() throws {
        let event = try single("webhook-take-thread-control.json")
        #expect(event.kind == .takeThreadControl(previousOwner: botApp, newOwner: .pageInbox, metadata: ""))
        #expect(event.dedupeKey == "109876543210987:5012345678901234:1730462416100:take_thread_control:" + Turn.digest(of: event.rawJSON))
    }

    @Test func requestThreadControl() throws {
        let event = try single("webhook-request-thread-control.json")
        #expect(event.kind == .requestThreadControl(requestedOwner: .pageInbox, metadata: ""))
    }

    @Test func appRolesHasNoUser() throws {
        let event = try single("webhook-app-roles.json")
        #expect(event.kind == .appRoles([botApp: ["primary_receiver"]]))
        #expect(event.user == UserID(""))
        #expect(event.timestamp == 1_730_462_419_100)
    }

    @Test func standbyMessage() throws {
        let event = try single("webhook-standby-message.json")
        #expect(event.channel == .standby)
        #expect(event.user == user1)
        #expect(event.kind.name == "message")
    }

    @Test func standbyEcho() throws {
        let event = try single("webhook-standby-echo-page-inbox.json")
        #expect(event.channel == .standby)
        #expect(event.user == user1)
        guard case .echo(let echo) = event.kind else { Issue.record("not an echo"); return }
        #expect(echo.appID == .pageInbox)
        #expect(echo.text == "Refunds usually take 3-5 business days.")
    }

    @Test func standbyReadAndDeliveryInTwoEntries() throws {
        let batch = try WebhookFixtures.parse("webhook-standby-read-and-delivery.json")
        #expect(batch.ignored.isEmpty)
        try #require(batch.events.count == 2)
        #expect(batch.events.allSatisfy { $0.channel == .standby && $0.user == user1 })
        #expect(batch.events[0].kind == .read(watermark: 1_730_466_300_100))
        #expect(batch.events[1].kind.name == "delivery")
    }

    @Test func dashboardChangesShapeIsIgnored() throws {
        let batch = try WebhookFixtures.parse("webhook-dashboard-test-changes-shape.json")
        #expect(batch.events.isEmpty)
        try #require(batch.ignored.count == 1)
        #expect(batch.ignored[0].location == "entry[0].changes[0]")
        #expect(batch.ignored[0].reason.contains("changes"))
        #expect(batch.ignored[0].page == PageID("0"))
        #expect(batch.ignored[0].rawJSON.contains("test_message"))
    }

    @Test func signatureVectorBodyDecodesEscapedUnicode() throws {
        let vector = try JSONSerialization.jsonObject(
            with: Data(WebhookFixtures.bytes("webhook-signature-vector.json")))
        let raw = try #require((vector as? [String: Any])?["raw_body_ascii"] as? String)
        let batch = try WebhookParser.parse(Array(raw.utf8))
        try #require(batch.events.count == 1)
        guard case .message(let message) = batch.events[0].kind else { Issue.record("not a message"); return }
        #expect(message.text == "Café ouvert ? 😀")
    }

    @Test func rawJSONReparsesToTheSameEvent() throws {
        for name in WebhookFixtures.bodyNames {
            for event in try WebhookFixtures.parse(name).events {
                let wrapped =
                    "{\"object\":\"page\",\"entry\":[{\"id\":\"\(event.page)\",\"\(event.channel.rawValue)\":[\(event.rawJSON)]}]}"
                let again = try WebhookParser.parse(Array(wrapped.utf8))
                #expect(again.events == [event], "\(name)")
            }
        }
    }
}
