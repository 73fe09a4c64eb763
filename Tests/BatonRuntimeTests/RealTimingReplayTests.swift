import BatonCore
import BatonRuntime
import BatonSimulator
import BatonStore
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// The failures an outside check found at the edges of thread control, replayed through the
/// simulator with its unkind knobs: events Meta routed before our own change arriving
/// after it, a take whose answer is lost although Meta applied it.
@Suite("Thread control under real timing, end to end")
struct RealTimingReplayTests {
    static let bot = ConversationHarness.botAppID
    static let inbox = AppID.pageInbox.rawValue

    /// Two messages in one webhook POST: both routed before Baton acted on the first.
    static let batchedPairs: SimulatorConfiguration.Knobs = {
        var knobs = SimulatorConfiguration.Knobs()
        knobs.maxEventsPerDelivery = 2
        knobs.batchWindow = .milliseconds(300)
        return knobs
    }()

    func start(knobs: SimulatorConfiguration.Knobs = .init(), configure: @escaping @Sendable (inout BatonConfiguration) -> Void = { _ in })
        async throws -> ConversationHarness
    {
        try await ConversationHarness.start(
            skills: [.init(path: TestPaths.library("KeywordEscalation")), .init(path: TestPaths.library("EchoSkill"))],
            handover: { $0.takeBackKeywords = ["bot"] }, knobs: knobs, configure: configure, logger: testLogger())
    }

    func botTexts(_ harness: ConversationHarness, _ user: String) async -> [String] {
        await harness.simulator.sentMessages(page: harness.pageID, user: user, byApp: Self.bot).compactMap(\.text)
    }

    func refusedBotSends(_ harness: ConversationHarness, _ user: String) async -> [String] {
        await harness.simulator.sendCalls(page: harness.pageID, user: user).filter { $0.appID == Self.bot && !$0.accepted }
            .map { "\($0.endpoint) owner=\($0.ownerAtCall ?? "idle") code=\($0.code ?? 0)" }
    }

    /// Posts one hand-made event to Baton's webhook on `channel`, signed as Meta signs, and waits
    /// until Baton has handled it.
    func postSigned(_ event: String, on channel: String, stamp: Int64, to harness: ConversationHarness) async throws {
        let page = harness.pageID
        let body = Array(#"{"object":"page","entry":[{"id":"\#(page)","time":\#(stamp),"\#(channel)":[\#(event)]}]}"#.utf8)
        let signature = WebhookSignature(appSecret: harness.configuration.messenger.appSecret).header(for: body)
        let answer = try await http(
            .POST, "http://127.0.0.1:\(await harness.server.port)/webhook", headers: [("X-Hub-Signature-256", signature)], body: body)
        #expect(answer.status == 200)
        try await harness.settle()
    }

    /// After a late event: Baton still sees the Inbox as the owner, asked Meta, said nothing but
    /// its hand-over message, and no send of its was refused.
    func expectCheckedWithMetaAndQuiet(_ harness: ConversationHarness, user: String) async {
        let (sim, page) = (harness.simulator, harness.pageID)
        #expect(await harness.batonOwner(user: user) == .otherApp(AppID(Self.inbox)))
        let lookUps = await sim.graphCalls(page: page, user: user).filter { $0.endpoint == "thread_owner" && $0.appID == Self.bot }
        #expect(!lookUps.isEmpty, "Baton did not ask Meta who owns the thread")
        #expect(await botTexts(harness, user) == [HandoverSettings(me: AppID(Self.bot)).handoverMessage])
        let refused = await refusedBotSends(harness, user)
        #expect(refused.isEmpty, "the bot spoke into a thread the Inbox owned: \(refused)")
    }

    @Test func theQuestionAfterATakeBackKeywordIsAnsweredThoughItCameOnStandby() async throws {
        let harness = try await start(knobs: Self.batchedPairs)
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        try await sim.agentTakesControl(page: page, user: user)
        try await harness.settle()
        #expect(await harness.batonOwner(user: user) == .otherApp(AppID(Self.inbox)))

        // Both routed on standby (the Inbox owns the thread), delivered in one POST.
        _ = await sim.userSends(text: "bot please", page: page, user: user)
        _ = await sim.userSends(text: "what is my balance", page: page, user: user)
        try await harness.settle()
        #expect(await sim.threadOwner(page: page, user: user) == Self.bot)
        #expect(await botTexts(harness, user) == ["You said: bot please", "You said: what is my balance"])
        #expect(await harness.batonOwner(user: user) == .thisApp)
        await harness.stop()
    }

    @Test func aMessageInFlightDuringAnEscalationGetsNoBotReply() async throws {
        let harness = try await start(knobs: Self.batchedPairs)
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        // Both routed on messaging (the bot owns the thread), delivered in one POST.
        _ = await sim.userSends(text: "I want a human", page: page, user: user)
        _ = await sim.userSends(text: "hello?", page: page, user: user)
        try await harness.settle()
        #expect(await sim.threadOwner(page: page, user: user) == Self.inbox)
        #expect(await botTexts(harness, user) == [HandoverSettings(me: AppID(Self.bot)).handoverMessage])
        let refused = await refusedBotSends(harness, user)
        #expect(refused.isEmpty, "the bot spoke into a thread the Inbox owned: \(refused)")
        await harness.stop()
    }

    @Test func aTakeWhoseAnswerTimedOutIsConfirmedNotRetriedIntoARefusal() async throws {
        // 1 s, not less: the confirming thread_owner read shares the timeout, and on a loaded
        // machine (the full suite in CI) a 0.3 s read timed out too and the take was retried.
        let harness = try await start { $0.messenger.graphTimeoutSeconds = 1 }
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        try await sim.agentTakesControl(page: page, user: user)
        try await harness.settle()
        // Meta applies the take at once but answers after the client gave up.
        await sim.setLateAnswer(.seconds(3), for: "take_thread_control")
        _ = await sim.userSends(text: "back to the bot", page: page, user: user)
        try await harness.settle(timeout: .seconds(30))
        #expect(await sim.threadOwner(page: page, user: user) == Self.bot)
        #expect(await botTexts(harness, user) == ["You said: back to the bot"])
        let takes = await sim.graphCalls(page: page, user: user).filter { $0.endpoint == "take_thread_control" && $0.appID == Self.bot }
        #expect(takes.count == 1, "the take was retried: \(takes.map { "accepted=\($0.accepted) code=\($0.code ?? 0)" })")
        await harness.stop()
    }

    @Test func aRefusedEscalationStaysPendingKeepsTheBotQuietAndIsRetried() async throws {
        let harness = try await start()
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        await sim.refuseCalls(to: "pass_thread_control", code: 200, message: "(#200) The app does not have the permission")
        _ = await sim.userSends(text: "I want a human", page: page, user: user)
        try await waitUntil("the pass was refused at least twice") {
            await sim.graphCalls(page: page, user: user).filter { $0.endpoint == "pass_thread_control" && !$0.accepted }.count >= 2
        }
        // The user was told a person is coming: the bot does not answer as if nothing happened.
        _ = await sim.userSends(text: "hello?", page: page, user: user)
        try await harness.settle()
        let handover = HandoverSettings(me: AppID(Self.bot)).handoverMessage
        #expect(await botTexts(harness, user) == [handover])
        #expect(await harness.batonOwner(user: user) == .thisApp)
        let metrics = try await http(.GET, "http://127.0.0.1:\(harness.configuration.server.port)/metrics").body
        let samples = MetricSample.parse(metrics)
        #expect(samples.first { $0.name == "baton_escalations_pending" }?.value == 1, "\(metrics)")
        #expect(samples.contains { $0.name == "baton_escalations_failed_total" && $0.labels == ["reason": "permission"] }, "\(metrics)")

        // Meta accepts the pass again: the retry goes through, the Inbox owns the thread.
        await sim.refuseCalls(to: "pass_thread_control", code: nil)
        try await waitUntil("the retried pass went through", timeout: .seconds(30)) {
            await sim.threadOwner(page: page, user: user) == Self.inbox
        }
        try await harness.settle()
        #expect(await botTexts(harness, user) == [handover])
        #expect(await harness.batonOwner(user: user) == .otherApp(AppID(Self.inbox)))
        await harness.stop()
    }

    @Test func aLatePassStampedInTheMillisecondOfTheLastEventIsCheckedWithMeta() async throws {
        let harness = try await start()
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        _ = await sim.userSends(text: "I want a human", page: page, user: user)
        try await harness.settle()
        #expect(await sim.threadOwner(page: page, user: user) == Self.inbox)
        let key = ThreadKey(page: PageID(page), user: UserID(user))
        let state = try #require(try await harness.server.store.threadState(key))
        #expect(state.owner == .otherApp(AppID(Self.inbox)))
        let newestBeforeOurPass = try #require(state.ownChangeAfterEventAt)

        // A pass from the Inbox to the bot stamped in the millisecond of the newest event Baton had
        // seen before its own pass: the pass back, or a late copy of an earlier one. Here it is a
        // copy (Meta says the Inbox owns the thread), and a message from before arrives late too.
        let stamp = newestBeforeOurPass
        let pass =
            #"{"sender":{"id":"\#(user)"},"recipient":{"id":"\#(page)"},"timestamp":\#(stamp),"pass_thread_control":{"previous_owner_app_id":"\#(Self.inbox)","new_owner_app_id":"\#(Self.bot)","metadata":""}}"#
        let late =
            #"{"sender":{"id":"\#(user)"},"recipient":{"id":"\#(page)"},"timestamp":\#(stamp - 5),"message":{"mid":"m_late_copy","text":"hello again"}}"#
        try await postSigned(pass, on: "messaging", stamp: stamp, to: harness)
        try await postSigned(late, on: "standby", stamp: stamp, to: harness)
        await expectCheckedWithMetaAndQuiet(harness, user: user)
        await harness.stop()
    }

    @Test func aMessageRoutedBeforeOurPassButStampedAfterItsDatingIsCheckedWithMeta() async throws {
        let harness = try await start()
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        _ = await sim.userSends(text: "I want a human", page: page, user: user)
        try await harness.settle()
        #expect(await sim.threadOwner(page: page, user: user) == Self.inbox)
        let key = ThreadKey(page: PageID(page), user: UserID(user))
        let state = try #require(try await harness.server.store.threadState(key))
        #expect(state.controlChangedByUs == true)
        let ourPass = try #require(state.controlChangedAt)

        // A quick reply Meta routed to the bot on messaging before it applied the pass, delivered
        // only now, stamped 30 ms after Baton's dating of its pass by a Meta clock that runs ahead.
        let stamp = ourPass + 30
        let late =
            #"{"sender":{"id":"\#(user)"},"recipient":{"id":"\#(page)"},"timestamp":\#(stamp),"message":{"mid":"m_routed_before_the_pass","text":"yes please","quick_reply":{"payload":"YES"}}}"#
        try await postSigned(late, on: "messaging", stamp: stamp, to: harness)
        await expectCheckedWithMetaAndQuiet(harness, user: user)
        await harness.stop()
    }

    @Test func aControlRequestIsGrantedWhateverTheCacheSays() async throws {
        let agent = SimulatorConfiguration.App(id: "823456789012345", name: "Live agents", secret: "agent-secret")
        let harness = try await ConversationHarness.start(
            skills: [.init(path: TestPaths.library("EchoSkill"))], handover: { $0.agentAppID = AppID(agent.id) },
            extraApps: [agent], logger: testLogger())
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        let token = harness.configuration.messenger.pages[0].accessToken
        let proof = MessengerCrypto.appSecretProof(accessToken: token, secret: agent.secret)
        let base = await sim.graphBaseURL
        func agentCalls(_ edge: String) async throws {
            let body = Array(#"{"recipient":{"id":"\#(user)"}}"#.utf8)
            let answer = try await http(
                .POST, "\(base)/me/\(edge)?access_token=\(token)&appsecret_proof=\(proof)",
                headers: [("Content-Type", "application/json")], body: body)
            #expect(answer.status == 200, "\(edge): \(answer.body)")
            try await harness.settle()
        }
        _ = await sim.userSends(text: "hello", page: page, user: user)
        try await harness.settle()
        // The agent app takes the thread (Baton hears it), then releases it: the thread goes
        // back to the Page's default app, the bot, and Meta sends nobody a webhook for that.
        try await agentCalls("take_thread_control")
        try await agentCalls("release_thread_control")
        #expect(await sim.threadOwner(page: page, user: user) == Self.bot)
        #expect(await harness.batonOwner(user: user) == .otherApp(AppID(agent.id)))
        // The agent asks for it: Meta delivers the request to the owner only, so receiving it
        // is the proof that the bot owns the thread, whatever the cache says.
        try await agentCalls("request_thread_control")
        #expect(await sim.threadOwner(page: page, user: user) == agent.id)
        #expect(await harness.batonOwner(user: user) == .otherApp(AppID(agent.id)))
        let passes = await sim.graphCalls(page: page, user: user).filter { $0.endpoint == "pass_thread_control" && $0.appID == Self.bot }
        #expect(passes.map(\.accepted) == [true])
        await harness.stop()
    }
}
