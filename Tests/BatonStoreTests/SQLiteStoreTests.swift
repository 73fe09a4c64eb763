import BatonCore
@testable import BatonStore
import BatonTestSupport
import Foundation
import Testing

@Suite("SQLite store")
struct SQLiteStoreTests {
    let thread = ThreadKey(page: "109876543210987", user: "5012345678901234")

    func event(_ key: String, at timestamp: Int64, user: UserID? = nil) -> InboundEvent {
        InboundEvent(
            WebhookEvent(
                page: thread.page, channel: .messaging, user: user ?? thread.user, timestamp: timestamp,
                kind: .message(UserMessage(mid: key, text: key)), rawJSON: #"{"k":"\#(key)"}"#, dedupeKey: key))
    }

    @Test func redeliveredEventsChangeNothing() async throws {
        let folder = try TemporaryDirectory()
        let store = try await SQLiteStore(path: folder.file("baton.sqlite"))
        #expect(try await store.recordInbound([event("mid:a", at: 1), event("mid:b", at: 2)]) == [true, true])
        #expect(try await store.recordInbound([event("mid:b", at: 2), event("mid:c", at: 3)]) == [false, true])
        let counters = try await store.counters()
        #expect(counters.inboxTotal == 3)
        #expect(counters.inboxPending == 3)
        await store.close()
    }

    @Test func pendingEventsComeOutByTimestampThenArrival() async throws {
        let folder = try TemporaryDirectory()
        let store = try await SQLiteStore(path: folder.file("baton.sqlite"))
        _ = try await store.recordInbound([event("mid:late", at: 30), event("mid:early", at: 10), event("mid:same", at: 30)])
        var order: [String] = []
        while let next = try await store.nextPendingEvent(in: thread) {
            order.append(next.event.dedupeKey)
            try await store.commit(ProcessingStep(eventID: next.id, state: ThreadState(key: thread), outcome: .recorded, actions: []))
        }
        #expect(order == ["mid:early", "mid:late", "mid:same"])
        #expect(try await store.decisions(in: thread).map(\.decision) == [.recorded, .recorded, .recorded])
        #expect(try await store.decisions(in: thread).map(\.outcome) == ["recorded", "recorded", "recorded"])
        await store.close()
    }

    @Test func commitIsAtomicAndQueuesActionsInOrder() async throws {
        let folder = try TemporaryDirectory()
        let store = try await SQLiteStore(path: folder.file("baton.sqlite"))
        _ = try await store.recordInbound([event("mid:a", at: 1)])
        let stored = try #require(try await store.nextPendingEvent(in: thread))
        var state = ThreadState(key: thread)
        state.owner = .thisApp
        state.consecutiveFallbacks = 1
        let actions: [PlannedAction] = [
            .send(.text("one"), purpose: "handover"), .passControl(to: "263902037430900", metadata: "{}"),
        ]
        try await store.commit(ProcessingStep(eventID: stored.id, state: state, outcome: .ignored("escalate"), actions: actions))
        #expect(try await store.threadState(thread) == state)
        let outbox = try await store.pendingOutbox(in: thread)
        #expect(outbox.map(\.action) == actions)
        #expect(outbox.map(\.idempotencyKey) == ["e\(stored.id).0", "e\(stored.id).1"])

        // Committing the same event twice fails and changes nothing.
        await #expect(throws: StoreError.self) {
            try await store.commit(ProcessingStep(eventID: stored.id, state: ThreadState(key: thread), outcome: .ignored("again"), actions: actions))
        }
        #expect(try await store.pendingOutbox(in: thread).count == 2)
        #expect(try await store.threadState(thread) == state)

        try await store.finishOutbox(outbox[0].id, status: .done, error: nil, state: nil)
        try await store.finishOutbox(outbox[1].id, status: .dead, error: "permission", state: nil)
        let counters = try await store.counters()
        #expect(counters.outboxDone == 1)
        #expect(counters.outboxDead == 1)
        #expect(try await store.pendingOutbox(in: thread).isEmpty)
        await store.close()
    }

    @Test func theBacklogMatchesTheTotalsAndIsReadFromIndexesOnly() async throws {
        let folder = try TemporaryDirectory()
        let store = try await SQLiteStore(path: folder.file("baton.sqlite"))
        _ = try await store.recordInbound([event("mid:a", at: 1), event("mid:b", at: 2), event("mid:c", at: 3)])
        let stored = try #require(try await store.nextPendingEvent(in: thread))
        let actions: [PlannedAction] = [.send(.text("one"), purpose: "reply"), .send(.text("two"), purpose: "reply")]
        try await store.commit(ProcessingStep(eventID: stored.id, state: ThreadState(key: thread), outcome: .recorded, actions: actions))
        let outbox = try await store.pendingOutbox(in: thread)
        try await store.finishOutbox(outbox[0].id, status: .dead, error: "gone", state: nil)
        #expect(try await store.backlog() == StoreBacklog(inboxPending: 2, outboxPending: 1, outboxDead: 1))
        let counters = try await store.counters()
        #expect(counters.inboxPending == 2 && counters.outboxPending == 1 && counters.outboxDead == 1)
        await store.close()

        // Every count the gauges need is answered by a partial index, never a table scan.
        let db = try SQLiteConnection(path: folder.file("baton.sqlite"))
        defer { db.close() }
        for (sql, index) in [
            ("SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL", "inbox_pending"),
            ("SELECT COUNT(*) FROM outbox WHERE status = 'pending'", "outbox_pending"),
            ("SELECT COUNT(*) FROM outbox WHERE status = 'dead'", "outbox_dead"),
            ("SELECT COUNT(*) FROM inbox WHERE quarantined_at IS NOT NULL", "inbox_quarantined"),
            ("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND not_before IS NOT NULL", "outbox_deferred"),
        ] {
            let plan = try db.query("EXPLAIN QUERY PLAN " + sql).compactMap { $0.text(3) }.joined(separator: "; ")
            #expect(plan.contains("INDEX \(index)"), "\(sql): \(plan)")
        }
    }

    @Test func stateSurvivesReopening() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("baton.sqlite")
        do {
            let store = try await SQLiteStore(path: path)
            _ = try await store.recordInbound([event("mid:a", at: 1), event("mid:b", at: 2, user: "4987654321098765")])
            await store.close()
        }
        let store = try await SQLiteStore(path: path)
        let threads = try await store.threadsWithPendingWork()
        #expect(Set(threads) == [thread, ThreadKey(page: thread.page, user: "4987654321098765")])
        #expect(try await store.recordInbound([event("mid:a", at: 1)]) == [false])
        await store.close()
    }

    @Test func concurrentWritersShareCommits() async throws {
        let folder = try TemporaryDirectory()
        let store = try await SQLiteStore(path: folder.file("baton.sqlite"))
        try await withThrowingTaskGroup(of: [Bool].self) { group in
            for index in 0..<400 {
                group.addTask { try await store.recordInbound([self.event("mid:\(index)", at: Int64(index))]) }
            }
            for try await inserted in group { #expect(inserted == [true]) }
        }
        #expect(try await store.counters().inboxTotal == 400)
        #expect(store.writeCount == 400)
        // Writers that queue while a commit runs join the next one.
        #expect(store.commitCount < 400)
        await store.close()
    }

    @Test func aFileThatIsNotADatabaseIsRefusedClearly() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("broken.sqlite")
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
        do {
            _ = try await SQLiteStore(path: path)
            Issue.record("a garbage file opened as a database")
        } catch {
            #expect(error.description.contains("file is not a database"))
        }
    }
}
