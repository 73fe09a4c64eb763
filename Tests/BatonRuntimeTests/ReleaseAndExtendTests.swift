import BatonCore
import BatonRuntime
import BatonSimulator
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// Conversation Routing's release and extend, driven by the operator's handover settings.
@Suite("Release when done, extend for long flows")
struct ReleaseAndExtendTests {
    static let bot = ConversationHarness.botAppID

    @Test func aConversationThatIsDoneIsReleasedAfterTheAnswer() async throws {
        let harness = try await ConversationHarness.start(
            skills: [.init(path: TestPaths.library("EchoSkill"))],
            handover: { settings in
                settings.releaseWhenDone = true
                settings.doneKeywords = ["thanks"]
            },
            botIsDefaultApp: false, logger: testLogger())
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        try await harness.userSays("hi", user: user)
        #expect(await sim.threadOwner(page: page, user: user) == Self.bot)
        try await harness.userSays("great, thanks!", user: user)
        let texts = await sim.sentMessages(page: page, user: user, byApp: Self.bot).compactMap(\.text)
        #expect(texts == ["You said: hi", "You said: great, thanks!"])
        #expect(await sim.threadOwner(page: page, user: user) == nil)
        #expect(await harness.batonOwner(user: user) == .idle)
        await harness.stop()
    }

    @Test func controlIsExtendedForALongFlow() async throws {
        let harness = try await ConversationHarness.start(
            skills: [.init(path: TestPaths.library("EchoSkill"))],
            handover: { $0.extendControlSeconds = 7 * 24 * 3600 }, logger: testLogger())
        let (sim, page) = (harness.simulator, harness.pageID)
        let user = await sim.createUser(page: page)
        try await harness.userSays("let's start a long order", user: user)
        let expiry = try #require(await sim.controlExpiry(page: page, user: user))
        let now = await sim.now
        #expect(expiry - now > 6 * 24 * 3600 * 1000, "control lapses in \(expiry - now) ms")
        let extends = await sim.graphCalls(page: page, user: user).filter { $0.endpoint == "extend_thread_control" }
        #expect(extends.count == 1)
        #expect(extends.first?.accepted == true)
        // A second message within the extended time does not extend again.
        try await harness.userSays("and a second item", user: user)
        #expect(await sim.graphCalls(page: page, user: user).filter { $0.endpoint == "extend_thread_control" }.count == 1)
        await harness.stop()
    }
}
