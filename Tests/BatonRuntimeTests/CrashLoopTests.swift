import BatonCore
import BatonRuntime
import BatonSimulator
import BatonStore
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// A skill that crashes the process on one input: skills share Baton's address space, so
/// the process dies with it. Restarted (as a supervisor would), Baton resumes the message
/// that killed it, and after `ConversationProcessor.maxSkillAttempts` deaths it stops
/// asking skills about that message and hands the conversation to a person, instead of
/// crashing for ever. Other users are answered throughout.
@Suite("A skill that crashes the process")
struct CrashLoopTests {
    static let bot = ServeWorld.bot
    static let page = ServeWorld.page

    @Test(.timeLimit(.minutes(5)))
    func aMessageThatKeepsKillingTheProcessIsEscalatedAfterThreeDeaths() async throws {
        let folder = try TemporaryDirectory()
        let skill = folder.path + "/libboom.so"
        try compileC(TestPaths.skillFixtures.appendingPathComponent("boom.c").path, to: skill)
        var knobs = SimulatorConfiguration.Knobs()
        knobs.maxRedeliveryBackoff = .milliseconds(200)
        // Without the Swift runtime's crash backtracer, which keeps a dying process around
        // (and its other threads working) for seconds while it symbolicates.
        let world = try await ServeWorld.make(
            knobs: knobs, sections: "skills:\n  - path: \(skill)", environment: ["SWIFT_BACKTRACE": "enable=no"])
        let (simulator, baton) = (world.simulator, world.baton)
        let (victim, bystander) = try await world.startWithVictimSending("boom")

        let ends = try await world.superviseUntilHandedOver(
            victim: victim, bystander: bystander, maxDeaths: ConversationProcessor.maxSkillAttempts + 1)
        #expect(ends.allSatisfy { $0 == .uncaughtSignal })
        let deaths = ends.count
        print("crash loop: the process died \(deaths) times on one message, then escalated it")
        #expect(deaths == ConversationProcessor.maxSkillAttempts)
        #expect(await simulator.threadOwner(page: Self.page, user: victim) == AppID.pageInbox.rawValue)
        let victimTexts = await simulator.sentMessages(page: Self.page, user: victim, byApp: Self.bot).compactMap(\.text)
        #expect(victimTexts == [HandoverSettings(me: AppID(Self.bot)).handoverMessage])

        // Everyone else is answered, and the handover says why.
        try await simulator.waitUntilQuiet(timeout: .seconds(30))
        try await waitUntil("the bystander was answered") {
            await !simulator.sentMessages(page: Self.page, user: bystander, byApp: Self.bot).isEmpty
        }
        #expect(await simulator.sentMessages(page: Self.page, user: bystander, byApp: Self.bot).compactMap(\.text) == ["ok"])
        #expect(try await baton.metric("baton_skill_crash_loops_total") == 1)
        #expect(try await baton.terminate() == 0)
        let store = try await SQLiteStore(path: world.databasePath)
        let decisions = try await store.decisions(in: ThreadKey(page: PageID(Self.page), user: UserID(victim)))
        await store.close()
        #expect(decisions.first?.decision?.escalation?.reason == .skillCrash, "\(decisions)")
        #expect(decisions.first?.decision?.escalation?.target == .pageInbox)
        try await simulator.shutdown()
    }
}
