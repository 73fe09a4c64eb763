import BatonCore
import BatonRuntime
import BatonSimulator
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// One user's trouble stays that user's: a skill call that hangs or sends that keep
/// failing hold up only that thread. And a graceful shutdown turns new webhooks away
/// with 503 while it finishes what is in flight, within a bounded time.
@Suite("Per-user isolation and draining")
struct IsolationAndDrainTests {
    static let bot = ConversationHarness.botAppID

    /// Builds `gated.c` (see Tests/Fixtures/skills/README.md) into `folder`.
    static func gatedSkill(in folder: String) throws -> BatonConfiguration.Skill {
        let source = TestPaths.skillFixtures.appendingPathComponent("gated.c").path
        let library = folder + "/libgated.so"
        try compileC(source, to: library)
        return .init(path: library, configJSON: #"{"gate":"\#(folder)"}"#, timeoutMilliseconds: 60_000)
    }

    /// A new user asks a question the gated skill holds; returns once its call started.
    static func askSlowQuestion(_ harness: ConversationHarness, gate folder: TemporaryDirectory) async throws -> String {
        let user = await harness.simulator.createUser(page: harness.pageID)
        _ = await harness.simulator.userSends(text: "slow question", page: harness.pageID, user: user)
        try await waitUntil("the slow call started") { FileManager.default.fileExists(atPath: folder.file("started")) }
        return user
    }

    func texts(_ harness: ConversationHarness, _ user: String) async -> [String] {
        await harness.simulator.sentMessages(page: harness.pageID, user: user, byApp: Self.bot).compactMap(\.text)
    }

    /// `count` new users, each saying `text`.
    static func newUsers(_ count: Int, saying text: String, _ harness: ConversationHarness) async -> [String] {
        var users: [String] = []
        for _ in 0..<count {
            let user = await harness.simulator.createUser(page: harness.pageID)
            _ = await harness.simulator.userSends(text: text, page: harness.pageID, user: user)
            users.append(user)
        }
        return users
    }

    /// Waits until each of `users` was answered with exactly `answer`.
    func waitUntilAnswered(_ users: [String], with answer: String, _ harness: ConversationHarness, _ what: String) async throws {
        try await waitUntil(what) {
            for user in users where await texts(harness, user) != [answer] { return false }
            return true
        }
    }

    @Test func aSkillCallThatHangsForOneUserDoesNotHoldUpTheOthers() async throws {
        let folder = try TemporaryDirectory()
        let harness = try await ConversationHarness.start(skills: [try Self.gatedSkill(in: folder.path)], logger: testLogger())
        let sim = harness.simulator
        let stuck = try await Self.askSlowQuestion(harness, gate: folder)

        let others = await Self.newUsers(5, saying: "hi", harness)
        try await waitUntilAnswered(others, with: "quick answer", harness, "every other user is answered")
        // Still held: the stuck user has no answer, and their next message waits its turn.
        _ = await sim.userSends(text: "hello?", page: harness.pageID, user: stuck)
        try await sim.waitUntilQuiet(timeout: .seconds(10))
        #expect(await texts(harness, stuck).isEmpty)

        #expect(FileManager.default.createFile(atPath: folder.path + "/open", contents: nil))
        try await harness.settle()
        let timeline = await sim.timeline(page: harness.pageID, user: stuck)
        #expect(await texts(harness, stuck) == ["slow answer", "quick answer"], "\(timeline)")
        await harness.stop()
    }

    @Test func aSkillWhoseCallsHangHoldsAtMostHalfThePoolAndTheNextResponderAnswers() async throws {
        // Four skill threads: the gated skill may hold two with calls past their deadline.
        // Two users' calls hang and are abandoned (the echo skill answers them); after that
        // the gated skill is skipped ("busy") and the echo skill answers everyone else.
        let folder = try TemporaryDirectory()
        var gated = try Self.gatedSkill(in: folder.path)
        gated.timeoutMilliseconds = 200
        let harness = try await ConversationHarness.start(
            skills: [gated, .init(path: BaseSkills.echo)], configure: { $0.server.skillThreads = 4 }, logger: testLogger())
        let sim = harness.simulator
        let stuck = await Self.newUsers(2, saying: "slow question", harness)
        try await waitUntilAnswered(
            stuck, with: "You said: slow question", harness,
            "both hung calls are abandoned and the users answered by the next responder")
        let others = await Self.newUsers(3, saying: "slow too", harness)
        try await waitUntilAnswered(others, with: "You said: slow too", harness, "every other user is answered by the next responder")
        let metrics = harness.server.metrics
        #expect(metrics.value("baton_skill_calls_total", [("skill", "gated"), ("op", "respond"), ("result", "timeout")]) == 2)
        #expect(metrics.value("baton_skill_calls_total", [("skill", "gated"), ("op", "respond"), ("result", "busy")]) == 3)
        let started = try String(contentsOfFile: folder.path + "/started", encoding: .utf8).split(separator: "\n")
        #expect(started.count == 2, "the skipped calls never reached the skill")

        // Once the hung calls return, the skill is called again.
        #expect(FileManager.default.createFile(atPath: folder.path + "/open", contents: nil))
        try await waitUntil("the abandoned calls return") {
            let user = await sim.createUser(page: harness.pageID)
            _ = await sim.userSends(text: "hi", page: harness.pageID, user: user)
            try await harness.settle()
            return await texts(harness, user) == ["quick answer"]
        }
        await harness.stop()
    }

    @Test func sendsThatKeepFailingForOneUserDoNotHoldUpTheOthers() async throws {
        let harness = try await ConversationHarness.start(
            skills: [.init(path: BaseSkills.echo)],
            retry: RetryPolicy(maxAttempts: 10_000, baseDelay: .milliseconds(2), maxDelay: .milliseconds(20)),
            logger: testLogger())
        let sim = harness.simulator
        let unlucky = await sim.createUser(page: harness.pageID)
        await sim.failSends(to: unlucky, code: 2)
        _ = await sim.userSends(text: "first", page: harness.pageID, user: unlucky)
        _ = await sim.userSends(text: "second", page: harness.pageID, user: unlucky)

        let others = await Self.newUsers(5, saying: "hi", harness)
        try await waitUntilAnswered(others, with: "You said: hi", harness, "every other user is answered")
        #expect(await texts(harness, unlucky).isEmpty)
        #expect(harness.server.metrics.value("baton_graph_retries_total", [("action", "send_reply"), ("code", "2")]) > 0)

        await sim.failSends(to: unlucky, code: nil)
        try await harness.settle()
        #expect(await texts(harness, unlucky) == ["You said: first", "You said: second"])
        await harness.stop()
    }

    @Test func aDrainAnswers503ToNewWebhooksAndFinishesWhatIsInFlight() async throws {
        let folder = try TemporaryDirectory()
        let harness = try await ConversationHarness.start(skills: [try Self.gatedSkill(in: folder.path)], logger: testLogger())
        let user = try await Self.askSlowQuestion(harness, gate: folder)

        let base = "http://127.0.0.1:\(harness.configuration.server.port)"
        let stopping = Task { await harness.stop() }
        try await waitUntil("intake closes") { try await http(.GET, base + "/healthz").status == 503 }
        let body = Array(#"{"object":"page","entry":[]}"#.utf8)
        let signature = WebhookSignature(appSecret: harness.configuration.messenger.appSecret).header(for: body)
        let refused = try await http(
            .POST, base + "/webhook", headers: [("X-Hub-Signature-256", signature), ("Content-Type", "application/json")], body: body)
        #expect(refused.status == 503)

        // The call in flight finishes, its reply goes out, then the server stops.
        #expect(FileManager.default.createFile(atPath: folder.path + "/open", contents: nil))
        await stopping.value
        #expect(await texts(harness, user) == ["slow answer"])
        #expect(harness.server.metrics.value("baton_webhook_requests_total", [("status", "503")]) >= 1)
    }

    @Test func aDrainIsBoundedByTheGracePeriodAndTheRestResumesAtTheNextStart() async throws {
        let folder = try TemporaryDirectory()
        let skill = try Self.gatedSkill(in: folder.path)
        let harness = try await ConversationHarness.start(
            skills: [skill], configure: { $0.server.shutdownGraceSeconds = 0.5 }, logger: testLogger())
        let sim = harness.simulator
        let user = try await Self.askSlowQuestion(harness, gate: folder)

        // The skill never returns while the old runtime lives: the drain gives up after its
        // grace period instead of hanging, and the message is still pending on disk.
        let started = ContinuousClock.now
        let restarted = try await harness.restarted { _ in
            #expect(ContinuousClock.now - started < .seconds(30), "the drain waited for the hung call")
            try FileManager.default.removeItem(atPath: folder.path + "/started")
            #expect(FileManager.default.createFile(atPath: folder.path + "/open", contents: nil))
        }
        try await restarted.settle()
        let timeline = await sim.timeline(page: harness.pageID, user: user)
        #expect(await texts(restarted, user) == ["slow answer"], "\(timeline)")
        await restarted.stop()
    }
}
