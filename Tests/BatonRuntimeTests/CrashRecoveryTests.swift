import BatonCore
import BatonRuntime
import BatonSimulator
@testable import BatonStore
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// A send that was in flight when the process stopped: the Send API has no idempotency
/// key, so after a restart Baton confirms it (by its echo, else by reading the thread)
/// before it sends again.
@Suite("Restart with a send in flight")
struct CrashRecoveryTests {
    static let bot = ConversationHarness.botAppID

    /// Starts a conversation whose only reply went out, then restarts the runtime with the
    /// database as a crash between the send and its bookkeeping leaves it.
    func restartAfterInFlightSend(_ surgery: @escaping @Sendable (SQLiteConnection) throws -> Void) async throws
        -> (ConversationHarness, String)
    {
        let harness = try await ConversationHarness.start(skills: [.init(path: BaseSkills.echo)], logger: testLogger())
        let user = await harness.simulator.createUser(page: harness.pageID)
        _ = await harness.simulator.userSends(text: "hello", page: harness.pageID, user: user)
        try await harness.settle()
        let restarted = try await harness.restarted { path in
            let db = try SQLiteConnection(path: path)
            defer { db.close() }
            try db.execute(
                "UPDATE outbox SET status = 'pending', attempt_started_at = \(Int64(Date().timeIntervalSince1970 * 1000) - 1000)")
            try surgery(db)
        }
        try await restarted.settle()
        return (restarted, user)
    }

    func sent(_ harness: ConversationHarness, _ user: String) async -> [String] {
        await harness.simulator.sentMessages(page: harness.pageID, user: user, byApp: Self.bot).compactMap(\.text)
    }

    func outbox(_ harness: ConversationHarness, _ user: String) async throws -> [OutboxItem] {
        try await harness.server.store.outbox(in: ThreadKey(page: PageID(harness.pageID), user: UserID(user)))
    }

    @Test func anInFlightSendIsConfirmedByItsEcho() async throws {
        let (harness, user) = try await restartAfterInFlightSend { _ in }
        #expect(await sent(harness, user) == ["You said: hello"])
        #expect(try await outbox(harness, user).map(\.lastError) == ["confirmed by echo"])
        #expect(harness.server.metrics.value("baton_outbox_confirmed_total", [("by", "echo")]) == 1)
        await harness.stop()
    }

    @Test func withoutAnEchoTheConversationReadConfirmsIt() async throws {
        let (harness, user) = try await restartAfterInFlightSend { db in
            try db.execute("DELETE FROM inbox WHERE kind = 'echo'")
        }
        #expect(await sent(harness, user) == ["You said: hello"])
        #expect(try await outbox(harness, user).map(\.lastError) == ["confirmed by conversation"])
        await harness.stop()
    }

    @Test func aSendThatNeverArrivedIsSentOnce() async throws {
        let (harness, user) = try await restartAfterInFlightSend { db in
            // The crash came before this send left: no echo, nothing in the thread.
            try db.execute("DELETE FROM inbox WHERE kind = 'echo'")
            try db.execute("UPDATE outbox SET action_json = replace(action_json, 'You said: hello', 'You said: lost')")
        }
        #expect(await sent(harness, user) == ["You said: hello", "You said: lost"])
        #expect(try await outbox(harness, user).map(\.status) == [.done])
        #expect(harness.server.metrics.total("baton_outbox_confirmed_total") == 0)
        await harness.stop()
    }

    @Test func workThatNoWorkerWasToldAboutIsFoundByThePeriodicSweep() async throws {
        // As after a storage error that stopped a thread's worker: an event is recorded but
        // no worker is notified. The sweep finds it without a new event or a restart.
        let harness = try await ConversationHarness.start(
            skills: [.init(path: BaseSkills.echo)], configure: { $0.server.sweepIntervalSeconds = 0.2 }, logger: testLogger())
        let sim = harness.simulator
        let user = await sim.createUser(page: harness.pageID)
        _ = await sim.userSends(text: "hello", page: harness.pageID, user: user)
        try await harness.settle()
        let timestamp = await sim.now
        let thread = ThreadKey(page: PageID(harness.pageID), user: UserID(user))
        let raw = #"{"sender":{"id":"\#(user)"},"recipient":{"id":"\#(harness.pageID)"},"timestamp":\#(timestamp),"message":{"mid":"m_swept","text":"swept"}}"#
        let inserted = try await harness.server.store.recordInbound([
            InboundEvent(
                WebhookEvent(
                    page: thread.page, channel: .messaging, user: thread.user, timestamp: timestamp,
                    kind: .message(UserMessage(mid: "m_swept", text: "swept")), rawJSON: raw))
        ])
        #expect(inserted == [true])
        try await harness.settle()
        #expect(await sent(harness, user) == ["You said: hello", "You said: swept"])
        await harness.stop()
    }

    @Test func aShutdownDuringRetriesLeavesTheSendPendingAndARefusedAttemptNeedsNoConfirmation() async throws {
        // Meta refuses every send to this user (transient 1200) while the runtime stops: the
        // reply must not become a dead letter, and since Meta answered with an error, the
        // next start sends it without reading the thread first.
        // Waits of 1-2 s between attempts, and a 0.2 s grace period: the shutdown lands in a
        // wait after a refused attempt, not during a request (a cancelled request is
        // ambiguous and is rightly confirmed after the restart).
        let harness = try await ConversationHarness.start(
            skills: [.init(path: BaseSkills.echo)],
            retry: RetryPolicy(maxAttempts: 10_000, baseDelay: .seconds(2), maxDelay: .seconds(2)),
            configure: { $0.server.shutdownGraceSeconds = 0.2 }, logger: testLogger())
        let sim = harness.simulator
        let user = await sim.createUser(page: harness.pageID)
        await sim.failSends(to: user, code: 1200)
        _ = await sim.userSends(text: "hello", page: harness.pageID, user: user)
        try await waitUntil("a refused send waits for its retry", timeout: .seconds(20)) {
            harness.server.metrics.total("baton_graph_retries_total") >= 1
        }
        let restarted = try await harness.restarted(
            retry: RetryPolicy(maxAttempts: 10_000, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        ) { path in
            let store = try await SQLiteStore(path: path)
            let items = try await store.outbox(in: ThreadKey(page: PageID(harness.pageID), user: UserID(user)))
            await store.close()
            #expect(items.map(\.status) == [.pending], "a shutdown turned the retried send into \(items.map(\.status))")
            #expect(items.first?.attemptStartedAt == nil, "a refused attempt still counts as in flight")
        }
        await sim.failSends(to: user, code: nil)
        try await restarted.settle()
        #expect(await sent(restarted, user) == ["You said: hello"])
        #expect(restarted.server.metrics.value("baton_graph_calls_total", [("action", "conversations"), ("result", "done")]) == 0)
        #expect(restarted.server.metrics.total("baton_outbox_dead_total") == 0)
        await restarted.stop()
    }
}
