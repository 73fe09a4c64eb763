import BatonCore
import BatonRuntime
import BatonSimulator
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// Meta's rate limits are per Page: a throttle answer pauses every thread of the Page until
/// the time Meta gave, and no reply is lost to it.
@Suite("Page throttles")
struct PageThrottleTests {
    static let bot = ConversationHarness.botAppID

    func start() async throws -> ConversationHarness {
        try await ConversationHarness.start(skills: [.init(path: TestPaths.library("EchoSkill"))], logger: testLogger())
    }

    func metric(_ harness: ConversationHarness, _ series: String) async throws -> Double? {
        let text = try await http(.GET, "http://127.0.0.1:\(harness.configuration.server.port)/metrics").body
        // Compared by name, labels and number: a gauge shows `1.0`, a counter `1`.
        guard let wanted = MetricSample.parse(line: Substring(series + " 0")) else { return nil }
        return MetricSample.parse(text).first { $0.name == wanted.name && $0.labels == wanted.labels }?.value
    }

    @Test func aBusinessUseCaseThrottlePausesThePageForTheMinutesMetaGave() async throws {
        let harness = try await start()
        let (sim, page) = (harness.simulator, harness.pageID)
        await sim.throttlePage(page, minutes: 1, refusal: .businessUseCase, headers: .usage)
        var users: [String] = []
        for index in 0..<20 {
            let user = await sim.createUser(page: page)
            users.append(user)
            _ = await sim.userSends(text: "question \(index)", page: page, user: user)
        }
        // Every webhook delivered (acknowledged), then every message decided while the Page waits.
        try await sim.waitUntilQuiet(timeout: .seconds(30))
        try await waitUntil("every message was decided and the Page paused") {
            let pending = try await metric(harness, "baton_inbox_pending")
            let paused = try await metric(harness, "baton_pages_paused")
            return pending == 0 && paused == 1
        }
        // Each thread hears "wait" at most once; nobody hammers, nothing is given up.
        let refused = await sim.throttledCallCount(page: page)
        #expect((1...users.count).contains(refused), "\(refused) calls refused by the throttle")
        #expect(try await metric(harness, "baton_outbox_dead") == 0)
        #expect(try await metric(harness, "baton_page_pauses_total{reason=\"rate_limited\"}") ?? 0 >= 1)
        #expect(try await metric(harness, "baton_outbox_pending") == Double(users.count))
        await harness.stop()
    }

    @Test func aRetryAfterThrottleEndsAndEveryReplyGoesOutInOrder() async throws {
        let harness = try await start()
        let (sim, page) = (harness.simulator, harness.pageID)
        await sim.throttlePage(page, for: .seconds(2), refusal: .apiRateLimit, headers: .retryAfter)
        var users: [String] = []
        for _ in 0..<10 { users.append(await sim.createUser(page: page)) }
        for user in users {
            _ = await sim.userSends(text: "first", page: page, user: user)
            _ = await sim.userSends(text: "second", page: page, user: user)
        }
        try await harness.settle(timeout: .seconds(60))
        for user in users {
            let texts = await sim.sentMessages(page: page, user: user, byApp: Self.bot).compactMap(\.text)
            #expect(texts == ["You said: first", "You said: second"], "\(user)")
        }
        let refused = await sim.throttledCallCount(page: page)
        #expect(refused <= users.count + 3, "\(refused) calls refused: threads kept calling a throttled Page")
        #expect(try await metric(harness, "baton_outbox_dead") == 0)
        await harness.stop()
    }

    @Test func aTemporarilyRestrictedPageIsPausedNotGivenUp() async throws {
        let harness = try await start()
        let (sim, page) = (harness.simulator, harness.pageID)
        await sim.throttlePage(page, for: .seconds(8), refusal: .pageRestricted, headers: .retryAfter)
        let user = await sim.createUser(page: page)
        _ = await sim.userSends(text: "are you there", page: page, user: user)
        try await harness.settle(timeout: .seconds(60))
        #expect(await sim.sentMessages(page: page, user: user, byApp: Self.bot).compactMap(\.text) == ["You said: are you there"])
        #expect(await sim.throttledCallCount(page: page) >= 1, "the send never met the restriction")
        #expect(try await metric(harness, "baton_page_pauses_total{reason=\"page_restricted\"}") ?? 0 >= 1)
        #expect(try await metric(harness, "baton_outbox_dead") == 0)
        await harness.stop()
    }
}
