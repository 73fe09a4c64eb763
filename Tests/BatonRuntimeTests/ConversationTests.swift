import AsyncHTTPClient
import BatonCore
import BatonRuntime
import BatonSimulator
import BatonStore
import BatonTesting
import BatonTestSupport
import Crypto
import Foundation
import Testing

/// Whole conversations: the simulator plays Meta over loopback HTTP, Baton runs with real
/// skills loaded through the ABI.
@Suite("Conversations through the simulator")
struct ConversationTests {
    static let bot = ConversationHarness.botAppID
    static let inbox = AppID.pageInbox.rawValue

    func start(
        takeBack: [String] = [], agent: String? = nil, extraApps: [SimulatorConfiguration.App] = [],
        knobs: SimulatorConfiguration.Knobs = .init(), pages: [String] = [ConversationHarness.defaultPageID]
    ) async throws -> ConversationHarness {
        try await ConversationHarness.start(
            skills: [.init(path: TestPaths.library("KeywordEscalation")), .init(path: TestPaths.library("EchoSkill"))],
            handover: { settings in
                settings.takeBackKeywords = takeBack
                if let agent { settings.agentAppID = AppID(agent) }
            },
            knobs: knobs, pages: pages, extraApps: extraApps, logger: testLogger())
    }

    func botTexts(_ harness: ConversationHarness, _ user: String, page: String? = nil) async -> [String] {
        await harness.simulator.sentMessages(page: page ?? harness.pageID, user: user, byApp: Self.bot).compactMap(\.text)
    }

    @Test func helloIsEchoedAsAResponseWithAnIdempotencyKey() async throws {
        let harness = try await start()
        let user = await harness.simulator.createUser(page: harness.pageID)
        _ = await harness.simulator.userSends(text: "hello", page: harness.pageID, user: user)
        try await harness.settle()
        let sent = await harness.simulator.sentMessages(page: harness.pageID, user: user, byApp: Self.bot)
        #expect(sent.map(\.text) == ["You said: hello"])
        #expect(sent.first?.messagingType == "RESPONSE")
        #expect(sent.first?.metadata?.hasPrefix("baton:") == true)
        #expect(await harness.batonOwner(user: user) == .thisApp)
        await harness.stop()
    }

    @Test func aFullHandoverRoundTrip() async throws {
        let harness = try await start()
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await harness.newUser()

        try await harness.userSays("hello", user: user)
        #expect(await botTexts(harness, user) == ["You said: hello"])

        // A human is asked for: the handover message, then control passes with metadata.
        try await harness.userSays("I want a human", user: user)
        #expect(await botTexts(harness, user).count == 2)
        #expect(await sim.threadOwner(page: page, user: user) == Self.inbox)
        let pass = try #require(await sim.timeline(page: page, user: user).compactMap(\.control).first { $0.action == .pass })
        #expect(pass.from == Self.bot)
        #expect(pass.to == Self.inbox)
        let metadata = try #require(
            try JSONSerialization.jsonObject(with: Data((pass.metadata ?? "").utf8)) as? [String: Any])
        #expect(metadata["reason"] as? String == "detector")
        #expect(metadata["score"] as? Double == 1)
        #expect(metadata["skill"] as? String == "KeywordEscalation")
        let turns = try #require(metadata["recent_turns"] as? [[String: Any]])
        #expect(turns.compactMap { $0["text"] as? String }.contains("I want a human"))
        #expect(await harness.batonOwner(user: user) == .otherApp(AppID(Self.inbox)))

        // While the agent owns the thread, the bot says nothing at all.
        _ = await sim.userSends(text: "hello? anyone?", page: page, user: user)
        _ = try await sim.agentReplies(text: "Hi, I'm Maria. How can I help?", page: page, user: user)
        try await harness.userSays("my order is late", user: user)
        #expect(await botTexts(harness, user).count == 2)
        let refused = await sim.timeline(page: page, user: user).compactMap(\.refused).filter { $0.appID == Self.bot }
        #expect(refused.isEmpty, "the bot tried to send while the agent owned the thread: \(refused)")

        // The agent passes control back: the bot answers again.
        try await sim.agentPassesControl(to: Self.bot, metadata: "resolved", page: page, user: user)
        try await harness.settle()
        #expect(await harness.batonOwner(user: user) == .thisApp)
        try await harness.userSays("thanks", user: user)
        #expect(await botTexts(harness, user).last == "You said: thanks")
        await harness.stop()
    }

    @Test func twoUnansweredMessagesEscalateWithReasonFallback() async throws {
        let harness = try await start()
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await harness.newUser()
        try await harness.userSendsAttachment(type: "image", url: "https://example.com/1.jpg", user: user)
        let fallback = harness.configuration.handover.fallbackMessage
        #expect(await botTexts(harness, user) == [fallback])
        #expect(await sim.threadOwner(page: page, user: user) != Self.inbox)

        try await harness.userSendsAttachment(type: "image", url: "https://example.com/2.jpg", user: user)
        #expect(await botTexts(harness, user) == [fallback, harness.configuration.handover.handoverMessage])
        #expect(await sim.threadOwner(page: page, user: user) == Self.inbox)
        let pass = try #require(await sim.timeline(page: page, user: user).compactMap(\.control).first { $0.action == .pass })
        let metadata = try JSONSerialization.jsonObject(with: Data((pass.metadata ?? "").utf8)) as? [String: Any]
        #expect(metadata?["reason"] as? String == "fallback")
        await harness.stop()
    }

    @Test func aTakeBackKeywordOnStandbyTakesControlAndAnswers() async throws {
        let harness = try await start(takeBack: ["bot"])
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await harness.newUser()
        try await harness.userSays("get me a person", user: user)
        #expect(await sim.threadOwner(page: page, user: user) == Self.inbox)
        try await harness.userSays("never mind", user: user)
        let before = await botTexts(harness, user).count

        try await harness.userSays("back to the BOT please", user: user)
        #expect(await sim.threadOwner(page: page, user: user) == Self.bot)
        let take = await sim.timeline(page: page, user: user).compactMap(\.control).filter { $0.action == .take }
        #expect(take.map(\.by) == [Self.bot])
        let texts = await botTexts(harness, user)
        #expect(texts.count == before + 1)
        #expect(texts.last == "You said: back to the BOT please")
        await harness.stop()
    }

    @Test func aControlRequestFromTheAgentAppIsGranted() async throws {
        let agent = SimulatorConfiguration.App(id: "823456789012345", name: "Live agents", secret: "agent-secret")
        let harness = try await start(agent: agent.id, extraApps: [agent])
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await harness.newUser()
        try await harness.userSays("hello", user: user)
        #expect(await sim.threadOwner(page: page, user: user) == Self.bot)

        // The live-agent app asks for the thread through the Graph API, as it would at Meta.
        let token = harness.configuration.messenger.pages[0].accessToken
        let proof = MessengerCrypto.appSecretProof(accessToken: token, secret: agent.secret)
        let body = Array(#"{"recipient":{"id":"\#(user)"},"metadata":"agent app wants this thread"}"#.utf8)
        let answer = try await http(
            .POST, "\(await sim.graphBaseURL)/me/request_thread_control?access_token=\(token)&appsecret_proof=\(proof)",
            headers: [("Content-Type", "application/json")], body: body)
        #expect(answer.status == 200, "\(answer.body)")
        try await harness.settle()
        #expect(await sim.threadOwner(page: page, user: user) == agent.id)
        #expect(await harness.batonOwner(user: user) == .otherApp(AppID(agent.id)))
        try await harness.userSays("hello again", user: user)
        #expect(await botTexts(harness, user) == ["You said: hello"])
        await harness.stop()
    }

    @Test func aBatchWithSeveralPagesAndUsersIsHandledInOrderPerUser() async throws {
        var knobs = SimulatorConfiguration.Knobs()
        knobs.maxEventsPerDelivery = 25
        knobs.batchWindow = .milliseconds(150)
        knobs.reorderWithinBatch = true
        let pages = [ConversationHarness.defaultPageID, "110223344556677"]
        let harness = try await start(knobs: knobs, pages: pages)
        let sim = harness.simulator
        var users: [(page: String, user: String)] = []
        for page in pages {
            for _ in 0..<3 { users.append((page, await sim.createUser(page: page))) }
        }
        for round in 1...4 {
            for (page, user) in users { _ = await sim.userSends(text: "message \(round)", page: page, user: user) }
        }
        try await harness.settle(timeout: .seconds(60))
        let batched = await sim.deliveryLog().filter { $0.appID == Self.bot && $0.eventCount > 1 }
        #expect(!batched.isEmpty, "the simulator never batched")
        for (page, user) in users {
            #expect(await botTexts(harness, user, page: page) == (1...4).map { "You said: message \($0)" })
        }
        await harness.stop()
    }

    @Test func theSameBodyDeliveredTwiceGetsOneReply() async throws {
        var knobs = SimulatorConfiguration.Knobs()
        knobs.duplicateDeliveryRate = 1
        let harness = try await start(knobs: knobs)
        let sim = harness.simulator
        let user = await sim.createUser(page: harness.pageID)
        _ = await sim.userSends(text: "only once", page: harness.pageID, user: user)
        try await harness.settle()
        let duplicates = await sim.deliveryLog().filter { $0.appID == Self.bot && $0.isDuplicate }
        #expect(!duplicates.isEmpty, "the simulator delivered no duplicate")
        #expect(await botTexts(harness, user) == ["You said: only once"])

        // And a body replayed by hand, signed, changes nothing either.
        let body = try #require(await sim.deliveryLog().first { $0.appID == Self.bot }?.body)
        let signature = WebhookSignature(appSecret: harness.configuration.messenger.appSecret).header(for: Array(body.utf8))
        let answer = try await http(
            .POST, "http://127.0.0.1:\(await harness.server.port)/webhook", headers: [("X-Hub-Signature-256", signature)],
            body: Array(body.utf8))
        #expect(answer.status == 200)
        try await harness.settle()
        #expect(await botTexts(harness, user) == ["You said: only once"])
        await harness.stop()
    }

    @Test func aMessageOlderThanTheWindowGetsNoReplyAndIsCounted() async throws {
        let harness = try await start()
        let sim = harness.simulator
        let user = await sim.createUser(page: harness.pageID)
        let twoDaysAgo = await sim.now - 48 * 3600 * 1000
        let body = Array(
            #"{"object":"page","entry":[{"id":"\#(harness.pageID)","time":\#(twoDaysAgo),"messaging":[{"sender":{"id":"\#(user)"},"recipient":{"id":"\#(harness.pageID)"},"timestamp":\#(twoDaysAgo),"message":{"mid":"m_old_1","text":"hello from the past"}}]}]}"#
                .utf8)
        let signature = WebhookSignature(appSecret: harness.configuration.messenger.appSecret).header(for: body)
        let answer = try await http(
            .POST, "http://127.0.0.1:\(await harness.server.port)/webhook", headers: [("X-Hub-Signature-256", signature)], body: body)
        #expect(answer.status == 200)
        try await harness.settle()
        #expect(await botTexts(harness, user).isEmpty)
        #expect(harness.server.metrics.total("baton_messages_outside_window_total") == 1)
        let decisions = try await harness.server.store.decisions(in: ThreadKey(page: PageID(harness.pageID), user: UserID(user)))
        #expect(decisions.count == 1)
        guard case .quiet(let reason, _, _)? = decisions.first?.decision else {
            Issue.record("not quiet: \(decisions)")
            return
        }
        #expect(reason == .outsideWindow)
        await harness.stop()
    }
}
