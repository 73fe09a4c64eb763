import BatonCore
import BatonRuntime
import BatonSimulator
import BatonStore
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// Two bot apps hosted by one runtime share a Page with the Page Inbox: the conversation
/// moves between the bots by what the user asks, and to a person from either of them.
@Suite("Several bots on one Page")
struct SeveralBotsTests {
    static let concierge = "712345678901234"
    static let billing = "712345678901299"
    static let inbox = AppID.pageInbox.rawValue
    static let names = [concierge: "concierge", billing: "billing", inbox: "inbox"]

    static func keywords(_ words: [String], to target: EscalationTarget?) -> BatonConfiguration.Skill {
        let config = #"{"keywords":[\#(words.map { "\"\($0)\"" }.joined(separator: ","))]}"#
        return .init(path: TestPaths.library("KeywordEscalation"), configJSON: config, escalation: target)
    }

    static var bots: [ConversationHarness.BotApp] {
        let human = BatonConfiguration.Skill(path: TestPaths.library("KeywordEscalation"), escalation: .human)
        let echo = BatonConfiguration.Skill(path: TestPaths.library("EchoSkill"))
        return [
            .init(
                name: "concierge", appID: concierge,
                skills: [keywords(["invoice", "refund", "billing"], to: .app(AppID(billing))), human, echo], defaultApp: true),
            .init(name: "billing", appID: billing, skills: [human, keywords(["thanks"], to: .back), echo]),
        ]
    }

    /// What the Page said to the user since `count` messages, as (app name, text).
    static func said(_ harness: ConversationHarness, _ user: String, after count: Int) async -> [(String, String)] {
        let sent = await harness.simulator.sentMessages(page: harness.pageID, user: user)
        return sent.dropFirst(count).map { (names[$0.appID] ?? $0.appID, $0.text ?? "[attachment]") }
    }

    @Test func theConversationMovesBetweenBotsAndToAPersonFromEither() async throws {
        let harness = try await ConversationHarness.start(hosting: Self.bots, logger: testLogger())
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page, name: "Alex")
        var count = 0
        // Each user message gets exactly one answer, from the app named.
        func step(_ text: String, answeredBy app: String, _ answer: String) async throws {
            _ = await sim.userSends(text: text, page: page, user: user)
            try await harness.settle()
            let answers = await Self.said(harness, user, after: count)
            #expect(answers.map(\.0) == [app], "\(text): answers \(answers)")
            #expect(answers.map(\.1) == [answer], "\(text): answers \(answers)")
            count += answers.count
        }

        try await step("hello", answeredBy: "concierge", "You said: hello")
        // A billing question moves the thread to the billing bot, which answers that very question.
        try await step("I have a question about my invoice", answeredBy: "billing", "You said: I have a question about my invoice")
        #expect(await sim.threadOwner(page: page, user: user) == Self.billing)
        try await step("when is it due?", answeredBy: "billing", "You said: when is it due?")
        // The billing bot's skills say it is done: the thread goes back to the concierge, which answers.
        try await step("thanks, that's all", answeredBy: "concierge", "You said: thanks, that's all")
        #expect(await sim.threadOwner(page: page, user: user) == Self.concierge)
        try await step("hello again", answeredBy: "concierge", "You said: hello again")

        // A person, asked for from the billing bot.
        try await step("a refund please", answeredBy: "billing", "You said: a refund please")
        let handover = HandoverSettings(me: "1").handoverMessage
        try await step("I want a human", answeredBy: "billing", handover)
        #expect(await sim.threadOwner(page: page, user: user) == Self.inbox)
        _ = await sim.userSends(text: "are you there?", page: page, user: user)
        try await harness.settle()
        #expect(await Self.said(harness, user, after: count).isEmpty, "no bot speaks while the Inbox owns the thread")

        // A person, asked for from the concierge (another user).
        let other = await sim.createUser(page: page, name: "Sam")
        _ = await sim.userSends(text: "let me talk to a person", page: page, user: other)
        try await harness.settle()
        #expect(await Self.said(harness, other, after: 0).map(\.0) == ["concierge"])
        #expect(await sim.threadOwner(page: page, user: other) == Self.inbox)

        // The pass metadata says who sent it and why.
        let timeline = await sim.timeline(page: page, user: user)
        let passes = timeline.compactMap(\.control).filter { $0.action == .pass }
        #expect(passes.first?.metadata?.contains(#""from":"concierge""#) == true, "\(passes)")
        #expect(passes.first?.metadata?.contains(#""reason":"detector""#) == true)
        #expect(passes.dropFirst().first?.metadata?.contains(#""from":"billing""#) == true)

        // No bot ever spoke while another app owned the thread.
        let sends = await sim.graphCalls().filter { $0.endpoint == "messages" && $0.accepted }
        #expect(!sends.isEmpty)
        for call in sends { #expect(call.ownerAtCall == call.appID, "\(call)") }
        await harness.stop()
    }

    /// Messages the user sends while the concierge's pass to the billing bot is not yet
    /// accepted: the concierge stays quiet on them (its pass is pending), the billing bot
    /// hears them on `standby`, and answers each once when the thread is handed to it.
    @Test func messagesSentWhileAHandOffIsPendingAreAnsweredOnceByTheReceivingBot() async throws {
        let harness = try await ConversationHarness.start(hosting: Self.bots, logger: testLogger())
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        try await harness.userSays("hello", user: user)
        await sim.refuseCalls(to: "pass_thread_control", code: 200, message: "(#200) The app does not have the permission")
        _ = await sim.userSends(text: "about my invoice", page: page, user: user)
        try await waitUntil("the concierge's pass was refused") {
            await sim.graphCalls(page: page, user: user).contains { $0.endpoint == "pass_thread_control" && !$0.accepted }
        }
        _ = await sim.userSends(text: "it says 40 euros", page: page, user: user)
        _ = await sim.userSends(text: "is that right?", page: page, user: user)
        try await waitUntil("both bots recorded the messages sent meanwhile") {
            var recorded = 0
            for app in harness.server.apps {
                let decisions = (try? await app.store.decisions(in: ThreadKey(page: PageID(page), user: UserID(user)))) ?? []
                recorded += decisions.filter { $0.kind == .message }.count
            }
            return recorded == 8
        }
        #expect(await Self.said(harness, user, after: 1).isEmpty, "nobody answers while the hand-off is pending")
        await sim.refuseCalls(to: "pass_thread_control", code: nil)
        try await waitUntil("the pass went through", timeout: .seconds(30)) {
            await sim.threadOwner(page: page, user: user) == Self.billing
        }
        try await harness.settle()
        let answers = await Self.said(harness, user, after: 1)
        #expect(answers.map(\.0) == ["billing", "billing", "billing"], "\(answers)")
        #expect(answers.map(\.1) == ["You said: about my invoice", "You said: it says 40 euros", "You said: is that right?"], "\(answers)")
        await harness.stop()
    }
}
