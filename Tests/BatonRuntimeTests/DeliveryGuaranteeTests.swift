import BatonCore
import BatonRuntime
import BatonSimulator
import BatonStore
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// What happens when Meta or a skill fails: transient errors are retried, permanent ones
/// are not, what cannot be sent ends as a counted dead letter, and a skill that keeps
/// failing is circuit-broken while the runtime escalates instead of going silent.
@Suite("Retries, dead letters and broken skills")
struct DeliveryGuaranteeTests {
    static let bot = ConversationHarness.botAppID
    let echo = BaseSkills.echo

    func texts(_ harness: ConversationHarness, _ user: String) async -> [String] {
        await harness.simulator.sentMessages(page: harness.pageID, user: user, byApp: Self.bot).compactMap(\.text)
    }

    @Test func transientSendFailuresAreRetriedUntilEachReplyGoesOutOnceInOrder() async throws {
        var knobs = SimulatorConfiguration.Knobs()
        knobs.transientSendFailureRate = 0.4
        knobs.transientFailureCodes = [1200, 2, 4, 613, 32, 80006]
        knobs.seed = 7
        let harness = try await ConversationHarness.start(
            skills: [.init(path: echo)], knobs: knobs,
            retry: RetryPolicy(maxAttempts: 20, baseDelay: .milliseconds(2), maxDelay: .milliseconds(20)),
            logger: testLogger())
        let user = await harness.simulator.createUser(page: harness.pageID)
        for index in 1...12 {
            _ = await harness.simulator.userSends(text: "n\(index)", page: harness.pageID, user: user)
        }
        try await harness.settle(timeout: .seconds(60))
        #expect(await texts(harness, user) == (1...12).map { "You said: n\($0)" })
        #expect(harness.server.metrics.total("baton_graph_retries_total") > 0, "no send failed: the knob did nothing")
        #expect(try await harness.server.store.counters().outboxDead == 0)
        await harness.stop()
    }

    @Test func sendsThatNeverSucceedBecomeCountedAndListedDeadLetters() async throws {
        var knobs = SimulatorConfiguration.Knobs()
        knobs.transientSendFailureRate = 1
        knobs.transientFailureCodes = [1200]
        let harness = try await ConversationHarness.start(
            skills: [.init(path: echo)], knobs: knobs,
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)), logger: testLogger())
        let user = await harness.simulator.createUser(page: harness.pageID)
        _ = await harness.simulator.userSends(text: "hello", page: harness.pageID, user: user)
        try await harness.settle()
        #expect(await texts(harness, user).isEmpty)
        #expect(harness.server.metrics.value("baton_graph_retries_total", [("action", "send_reply"), ("code", "1200")]) == 2)
        #expect(harness.server.metrics.total("baton_outbox_dead_total") == 1)
        let thread = ThreadKey(page: PageID(harness.pageID), user: UserID(user))
        let outbox = try await harness.server.store.outbox(in: thread)
        #expect(outbox.map(\.status) == [.dead])
        #expect(outbox.first?.lastError?.contains("1200") == true)
        #expect(try await harness.server.store.counters().outboxDead == 1)
        await harness.stop()
    }

    @Test func permanentErrorsAreNotRetried() async throws {
        // A wrong page token: Meta answers 190, which no retry can fix.
        let harness = try await ConversationHarness.start(
            skills: [.init(path: echo)],
            configure: { configuration in configuration.messenger.pages[0].accessToken = "revoked-token" },
            logger: testLogger())
        let user = await harness.simulator.createUser(page: harness.pageID)
        _ = await harness.simulator.userSends(text: "hello", page: harness.pageID, user: user)
        try await harness.settle()
        #expect(await texts(harness, user).isEmpty)
        #expect(harness.server.metrics.total("baton_graph_retries_total") == 0)
        let outbox = try await harness.server.store.outbox(in: ThreadKey(page: PageID(harness.pageID), user: UserID(user)))
        #expect(outbox.map(\.status) == [.dead])
        #expect(outbox.first?.lastError?.contains("190") == true)
        #expect(outbox.first?.lastError?.contains("revoked-token") == false, "a token reached an error message")
        await harness.stop()
    }

    @Test func afterTheInboxTakesTheThreadTheBotNeverEvenTriesToSend() async throws {
        let harness = try await ConversationHarness.start(skills: [.init(path: echo)], logger: testLogger())
        let sim = harness.simulator
        let page = harness.pageID
        let user = await sim.createUser(page: page)
        _ = await sim.userSends(text: "hello", page: page, user: user)
        try await harness.settle()
        try await sim.agentTakesControl(page: page, user: user)
        try await harness.settle()
        #expect(await harness.batonOwner(user: user) == .otherApp(AppID.pageInbox))
        _ = await sim.userSends(text: "still there?", page: page, user: user)
        try await harness.settle()
        #expect(await texts(harness, user) == ["You said: hello"])
        // Not one refused Graph call: the bot knew better than to try.
        let refused = await sim.timeline(page: page, user: user).compactMap(\.refused).filter { $0.appID == Self.bot }
        #expect(refused.isEmpty)
        await harness.stop()
    }

    @Test func aSkillThatKeepsFailingIsCircuitBrokenAndTheConversationStillEscalates() async throws {
        let folder = try TemporaryDirectory()
        let source = folder.path + "/failing.c"
        try #"""
        #include <baton/skill.h>
        static const baton_host *g_host;
        static int g_tag;
        static void *create(const baton_host *host, baton_str config, baton_call *call) {
            (void)config; (void)call; g_host = host; return &g_tag;
        }
        static void destroy(void *instance) { (void)instance; }
        static int32_t respond(void *instance, baton_call *call, baton_str input) {
            (void)instance; (void)input;
            g_host->set_error(call, baton_str_from_cstr("upstream is down"));
            return BATON_E_SKILL_FAILED;
        }
        static const baton_skill descriptor = {
            sizeof(baton_skill), BATON_SKILL_ABI_MAJOR, BATON_SKILL_ABI_MINOR, BATON_SKILL_KIND_RESPONDER, 0,
            "always_failing", "1.0.0", "Fails every call.", create, destroy, respond, 0, 0,
        };
        BATON_SKILL_EXPORT const baton_skill *baton_skill_entry_v1(const baton_host *host) { (void)host; return &descriptor; }
        """#.write(toFile: source, atomically: true, encoding: .utf8)
        let library = folder.path + "/libalways_failing.so"
        try compileC(source, to: library)

        let harness = try await ConversationHarness.start(
            skills: [.init(path: library)], handover: { $0.maxFallbacks = 6 }, logger: testLogger())
        let sim = harness.simulator
        let user = await sim.createUser(page: harness.pageID)
        for index in 1...6 {
            _ = await sim.userSends(text: "question \(index)", page: harness.pageID, user: user)
            try await harness.settle()
        }
        let metrics = harness.server.metrics
        #expect(metrics.value("baton_skill_calls_total", [("skill", "always_failing"), ("op", "respond"), ("result", "error")]) == 5)
        #expect(metrics.value("baton_skill_calls_total", [("skill", "always_failing"), ("op", "respond"), ("result", "circuit_open")]) == 1)
        #expect(harness.server.skills.brokenSkills == ["always_failing"])
        // Never silent: five fallbacks, then the handover message and a pass to the Inbox.
        let sent = await texts(harness, user)
        #expect(sent.count == 6)
        #expect(sent.last == harness.configuration.handover.handoverMessage)
        #expect(await sim.threadOwner(page: harness.pageID, user: user) == AppID.pageInbox.rawValue)
        await harness.stop()
    }
}

/// The example skills built beside the tests.
enum BaseSkills {
    static let echo = TestPaths.library("EchoSkill")
}
