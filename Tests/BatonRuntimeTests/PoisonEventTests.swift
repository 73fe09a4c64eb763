import BatonCore
import BatonRuntime
import BatonSimulator
import BatonStore
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// Events that once took `baton serve` down for good: no event, whatever its values or
/// whatever it makes the core do, can make a crash loop.
@Suite("Poison events in a real baton serve")
struct PoisonEventTests {
    static let bot = ServeWorld.bot
    static let page = ServeWorld.page

    /// A signed webhook body with one text message.
    static func body(user: String, mid: String, text: String, timestamp: Int64) -> [UInt8] {
        Array(
            """
            {"object":"page","entry":[{"id":"\(page)","time":\(timestamp),"messaging":[{"sender":{"id":"\(user)"},\
            "recipient":{"id":"\(page)"},"timestamp":\(timestamp),"message":{"mid":"\(mid)","text":"\(text)"}}]}]}
            """.utf8)
    }

    @Test(.timeLimit(.minutes(3)))
    func twoMessagesWithExtremeTimestampsDoNotStopTheServer() async throws {
        let world = try await ServeWorld.make(knobs: .init(), sections: "skills:\n  - path: \(TestPaths.library("EchoSkill"))")
        let (simulator, baton) = (world.simulator, world.baton)
        let user = await simulator.createUser(page: Self.page)
        let bystander = await simulator.createUser(page: Self.page)
        try await baton.start()
        let signature = WebhookSignature(appSecret: world.secret)
        for (index, timestamp) in [Int64.max, Int64.min, -1, Int64.max - 1].enumerated() {
            let body = Self.body(user: user, mid: "m.poison.\(index)", text: "odd \(index)", timestamp: timestamp)
            let answer = try await http(
                .POST, "http://127.0.0.1:\(baton.port)/webhook",
                headers: [("X-Hub-Signature-256", signature.header(for: body)), ("Content-Type", "application/json")], body: body)
            #expect(answer.status == 200)
        }
        _ = await simulator.userSends(text: "still there?", page: Self.page, user: bystander)
        try await waitUntil("the bystander was answered", timeout: .seconds(30)) {
            await !simulator.sentMessages(page: Self.page, user: bystander, byApp: Self.bot).isEmpty
        }
        try await waitUntil("every event was processed", timeout: .seconds(30)) {
            try await baton.metric("baton_inbox_pending") == 0
        }
        #expect(baton.isRunning, "baton serve died: \(baton.logTail())")
        #expect(try await baton.metric("baton_events_processed_total{kind=\"message\"}") == 5)
        #expect(try await baton.metric("baton_inbox_quarantined") == 0)
        #expect(try await baton.terminate() == 0)
        try await simulator.shutdown()
    }

    @Test(.timeLimit(.minutes(5)))
    func anEventThatCrashesTheCoreIsQuarantinedAfterThreeDeathsAndHandedToAHuman() async throws {
        var knobs = SimulatorConfiguration.Knobs()
        knobs.maxRedeliveryBackoff = .milliseconds(200)
        let world = try await ServeWorld.make(
            knobs: knobs, sections: "skills:\n  - path: \(TestPaths.library("EchoSkill"))",
            environment: ["SWIFT_BACKTRACE": "enable=no", "BATON_FAULT_CRASH_ON_TEXT": "poison"])
        let (simulator, baton) = (world.simulator, world.baton)
        let (victim, bystander) = try await world.startWithVictimSending("poison")

        let deaths = try await world.superviseUntilHandedOver(
            victim: victim, bystander: bystander, maxDeaths: ConversationProcessor.maxProcessingAttempts + 1
        ).count
        print("poison event: the process died \(deaths) times on one event, then quarantined it")
        #expect(deaths <= ConversationProcessor.maxProcessingAttempts)
        #expect(deaths >= 1)
        #expect(await simulator.threadOwner(page: Self.page, user: victim) == AppID.pageInbox.rawValue)
        try await waitUntil("the bystander was answered", timeout: .seconds(30)) {
            await simulator.sentMessages(page: Self.page, user: bystander, byApp: Self.bot).compactMap(\.text) == ["You said: hi"]
        }
        #expect(try await baton.metric("baton_inbox_quarantined") == 1)
        #expect(try await baton.metric("baton_events_quarantined_total{kind=\"message\"}") == 1)
        #expect(try await baton.terminate() == 0)
        let store = try await SQLiteStore(path: world.databasePath)
        let quarantined = try await store.quarantined()
        await store.close()
        #expect(quarantined.count == 1)
        #expect(quarantined.first?.thread.user == UserID(victim))
        #expect(quarantined.first?.decision?.escalation?.reason == .quarantined, "\(quarantined)")
        guard case .quarantined(let attempts, _)? = quarantined.first?.decision else {
            Issue.record("not a quarantine: \(quarantined)")
            return
        }
        #expect(attempts == ConversationProcessor.maxProcessingAttempts)
        try await simulator.shutdown()
    }
}
