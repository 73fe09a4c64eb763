import BatonCore
import BatonRuntime
import BatonSimulator
import BatonStore
import BatonTesting
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
        try compileC(Fixtures.folder.deletingLastPathComponent().appendingPathComponent("skills/boom.c").path, to: skill)
        var knobs = SimulatorConfiguration.Knobs()
        knobs.maxRedeliveryBackoff = .milliseconds(200)
        // Without the Swift runtime's crash backtracer, which keeps a dying process around
        // (and its other threads working) for seconds while it symbolicates.
        let world = try await ServeWorld.make(
            knobs: knobs, sections: "skills:\n  - path: \(skill)", environment: ["SWIFT_BACKTRACE": "enable=no"])
        let (simulator, baton) = (world.simulator, world.baton)

        let victim = await simulator.createUser(page: Self.page)
        let bystander = await simulator.createUser(page: Self.page)
        try await baton.start()
        _ = await simulator.userSends(text: "boom", page: Self.page, user: victim)

        // The supervisor: restart after every death, until the victim's thread is handed over.
        var deaths = 0
        let deadline = ContinuousClock.now + .seconds(90)
        while await simulator.threadOwner(page: Self.page, user: victim) != AppID.pageInbox.rawValue {
            guard ContinuousClock.now < deadline, deaths <= ConversationProcessor.maxSkillAttempts + 1 else { break }
            if !baton.isRunning {
                #expect(baton.terminationReason == .uncaughtSignal)
                deaths += 1
                try baton.launch()
                if deaths == 1 { _ = await simulator.userSends(text: "hi", page: Self.page, user: bystander) }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        print("crash loop: the process died \(deaths) times on one message, then escalated it")
        #expect(deaths == ConversationProcessor.maxSkillAttempts)
        #expect(await simulator.threadOwner(page: Self.page, user: victim) == AppID.pageInbox.rawValue)
        let victimTexts = await simulator.sentMessages(page: Self.page, user: victim, byApp: Self.bot).compactMap(\.text)
        #expect(victimTexts == [HandoverSettings(me: AppID(Self.bot)).handoverMessage])

        // Everyone else is answered, and the handover says why.
        try await simulator.waitUntilQuiet(timeout: .seconds(30))
        let deadline2 = ContinuousClock.now + .seconds(30)
        while await simulator.sentMessages(page: Self.page, user: bystander, byApp: Self.bot).isEmpty, ContinuousClock.now < deadline2 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await simulator.sentMessages(page: Self.page, user: bystander, byApp: Self.bot).compactMap(\.text) == ["ok"])
        #expect(try await baton.metric("baton_skill_crash_loops_total") == 1)
        #expect(try await baton.terminate() == 0)
        let store = try await SQLiteStore(path: world.databasePath)
        let decisions = try await store.decisions(in: ThreadKey(page: PageID(Self.page), user: UserID(victim)))
        await store.close()
        #expect(decisions.first?.outcome.contains("escalate: skill_crash") == true, "\(decisions)")
        try await simulator.shutdown()
    }
}
