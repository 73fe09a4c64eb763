import BatonCore
import BatonSimulator
import BatonStore
import BatonTesting
import BatonTestSupport
import Foundation
import Synchronization
import Testing

/// `kill -9` at any moment: a real `baton serve` process is SIGKILLed 20 times while 200
/// users send 5,000 messages and, for the first half of the messages, 30% of sends fail with
/// transient errors. The simulator re-sends every webhook body that was not answered 200,
/// as Meta does. Afterwards every message has exactly one reply, in order per user.
@Suite("kill -9 under load")
struct KillNineTests {
    static let bot = ServeWorld.bot
    static let page = ServeWorld.page
    static let users = 200
    static let messagesPerUser = 25
    static let kills = 20

    static func text(user: Int, message: Int) -> String { "m\(message) from user \(user)" }

    @Test(.timeLimit(.minutes(15)))
    func twentySIGKILLsLoseNothingDoubleNothingAndKeepOrder() async throws {
        let world = try await ServeWorld.make(
            knobs: .init(
                maxEventsPerDelivery: 20, batchWindow: .milliseconds(2), transientSendFailureRate: 0.3,
                initialRedeliveryBackoff: .milliseconds(20), maxRedeliveryBackoff: .milliseconds(250),
                deliveryTimeout: .seconds(5), seed: 0x9_1111),
            sections: """
                outbox:
                  max_attempts: 40
                  retry_base_ms: 10
                  retry_max_ms: 250
                skills:
                  - path: \(BaseSkills.echo)
                    timeout_ms: 10000
                logging:
                  level: notice
                """)
        let (simulator, baton) = (world.simulator, world.baton)

        var psids: [String] = []
        for _ in 0..<Self.users { psids.append(await simulator.createUser(page: Self.page)) }
        let users = psids

        try await baton.start()
        // The users write in rounds (everyone once, in a random order), ten messages every
        // 25 ms. The kills are paced by that traffic, whatever the machine's speed: kill k
        // comes once (k-1)/20 of the messages were sent, after a random 100-600 ms; the
        // transient send failures last for the first half of the messages.
        let sent = Mutex(0)
        let total = Self.users * Self.messagesPerUser
        let sender = Task {
            for message in 1...Self.messagesPerUser {
                for (index, (user, psid)) in users.enumerated().shuffled().enumerated() {
                    _ = await simulator.userSends(text: Self.text(user: user, message: message), page: Self.page, user: psid)
                    let count = sent.withLock { count in
                        count += 1
                        return count
                    }
                    if count == total / 2 { await simulator.setTransientSendFailureRate(0) }
                    // Pacing the load on purpose: ten messages every 25 ms.
                    if index % 10 == 9 { try await Task.sleep(for: .milliseconds(25)) }
                }
            }
        }
        var killedBySignal = 0
        for kill in 1...Self.kills {
            try await waitUntil("\(kill - 1) of \(Self.kills) of the messages were sent", timeout: .seconds(300)) {
                sent.withLock { $0 } >= (kill - 1) * total / Self.kills
            }
            // A random moment on purpose: the kill lands wherever the work happens to be.
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...600)))
            if try await baton.kill9() { killedBySignal += 1 }
            try await baton.start()
        }
        try await sender.value

        // Everything is eventually acknowledged and processed: wait for the last reply, for
        // every webhook (echoes too) to be answered 200, and for an empty backlog.
        let expected = (0..<Self.users).map { user in
            (1...Self.messagesPerUser).map { "You said: " + Self.text(user: user, message: $0) }
        }
        do {
            try await waitUntil("every message has its reply", timeout: .seconds(300)) {
                for (psid, want) in zip(users, expected) {
                    let got = await simulator.sentMessages(page: Self.page, user: psid, byApp: Self.bot).compactMap(\.text)
                    if !Set(want).isSubset(of: got) { return false }
                }
                return true
            }
        } catch {
            Issue.record("replies missing after 300 s; log: \(baton.logTail())")
        }
        try await simulator.waitUntilQuiet(timeout: .seconds(120))
        // The backlog is empty and stays so for 300 ms.
        var calmSince: ContinuousClock.Instant?
        do {
            try await waitUntil("the backlog emptied", timeout: .seconds(120)) {
                let inbox = try await baton.metric("baton_inbox_pending")
                let outbox = try await baton.metric("baton_outbox_pending")
                guard inbox == 0 && outbox == 0 else {
                    calmSince = nil
                    return false
                }
                let since = calmSince ?? .now
                calmSince = since
                return ContinuousClock.now - since >= .milliseconds(300)
            }
        } catch {
            Issue.record("the backlog did not empty")
        }
        #expect(try await baton.metric("baton_outbox_dead") == 0)

        // The final count, from what the simulated Meta saw.
        var replies: [[String]] = []
        for psid in users {
            replies.append(await simulator.sentMessages(page: Self.page, user: psid, byApp: Self.bot).compactMap(\.text))
        }
        var lost = 0
        var doubled = 0
        var outOfOrder = 0
        var unexpected = 0
        var unexpectedSamples: Set<String> = []
        for (got, want) in zip(replies, expected) {
            let position = Dictionary(uniqueKeysWithValues: want.enumerated().map { ($1, $0) })
            var seen = Set<String>()
            var order: [Int] = []
            for text in got {
                guard let index = position[text] else {
                    unexpected += 1
                    if unexpectedSamples.count < 3 { unexpectedSamples.insert(text) }
                    continue
                }
                if seen.insert(text).inserted { order.append(index) } else { doubled += 1 }
            }
            lost += want.count - seen.count
            outOfOrder += zip(order, order.dropFirst()).filter { $0 >= $1 }.count
        }
        var transientFailures = 0
        for psid in users {
            transientFailures += await simulator.timeline(page: Self.page, user: psid).filter { $0.kind == .refused }.count
        }
        let deliveries = await simulator.deliveryLog()
        let failedDeliveries = deliveries.filter { $0.status != 200 }.count

        let status = try await baton.terminate()
        #expect(status == 0, "baton serve did not drain and exit 0 after the run")
        let store = try await SQLiteStore(path: world.databasePath)
        var confirmed = 0
        for psid in users {
            confirmed += try await store.outbox(in: ThreadKey(page: PageID(Self.page), user: UserID(psid)))
                .filter { $0.lastError?.hasPrefix("confirmed by") == true }.count
        }
        let counters = try await store.counters()
        await store.close()

        print(
            """
            kill -9: \(Self.kills) SIGKILLs of baton serve (\(killedBySignal) ended by the signal), \(Self.users) users, \
            \(Self.users * Self.messagesPerUser) messages acknowledged, \(replies.map(\.count).reduce(0, +)) replies; \
            lost \(lost), doubled \(doubled), out-of-order \(outOfOrder), unexpected \(unexpected). \
            Sends refused with transient errors: \(transientFailures); webhook POSTs not answered 200 (re-sent): \
            \(failedDeliveries); in-flight sends confirmed after a restart instead of re-sent: \(confirmed); \
            events recorded \(counters.inboxTotal), dead letters \(counters.outboxDead).
            """)
        #expect(killedBySignal == Self.kills)
        #expect(lost == 0)
        #expect(doubled == 0)
        #expect(outOfOrder == 0)
        #expect(unexpected == 0, "replies that answer no message: \(unexpectedSamples.sorted())")
        // The faults really happened: sends failed and webhooks went unanswered at the kills.
        #expect(transientFailures > 0)
        #expect(failedDeliveries > 0)
        #expect(counters.inboxPending == 0 && counters.outboxPending == 0 && counters.outboxDead == 0)
        try await simulator.shutdown()
    }
}
