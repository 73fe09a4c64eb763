import BatonCore
@testable import BatonStore
import BatonTestSupport
import Foundation
import Testing

/// Processing attempts, quarantine and deferred Graph calls, on a real SQLite file.
@Suite("SQLite store: quarantine and deferral")
struct QuarantineStoreTests {
    let thread = ThreadKey(page: "109876543210987", user: "5012345678901234")

    func event(_ key: String, at timestamp: Int64) -> InboundEvent {
        InboundEvent(
            WebhookEvent(
                page: thread.page, channel: .messaging, user: thread.user, timestamp: timestamp,
                kind: .message(UserMessage(mid: key, text: key)), rawJSON: "{}", dedupeKey: key))
    }

    @Test func processingAttemptsSurviveAReopenAndAbandonedOnesDoNotCount() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("baton.sqlite")
        var store = try await SQLiteStore(path: path)
        _ = try await store.recordInbound([event("mid:poison", at: .max)])
        let stored = try #require(try await store.nextPendingEvent(in: thread))
        #expect(stored.event.timestamp == .max)
        #expect(stored.receivedAt != nil)
        #expect(try await store.beginProcessing(stored.id) == ProcessingAttempts(processing: 1, skills: 0))
        _ = try await store.beginSkillAttempt(stored.id)
        await store.close()
        store = try await SQLiteStore(path: path)
        #expect(try await store.beginProcessing(stored.id) == ProcessingAttempts(processing: 2, skills: 1))
        try await store.abandonProcessing(stored.id)
        #expect(try await store.beginProcessing(stored.id) == ProcessingAttempts(processing: 2, skills: 1))
        await store.close()
    }

    @Test func aQuarantinedEventIsKeptListedAndCountedAndTheThreadGoesOn() async throws {
        let folder = try TemporaryDirectory()
        let store = try await SQLiteStore(path: folder.file("baton.sqlite"))
        _ = try await store.recordInbound([event("mid:poison", at: 1), event("mid:next", at: 2)])
        let poison = try #require(try await store.nextPendingEvent(in: thread))
        try await store.commit(
            ProcessingStep(eventID: poison.id, state: ThreadState(key: thread), outcome: .quarantined(attempts: 3, then: nil), actions: [], quarantined: true))
        let next = try #require(try await store.nextPendingEvent(in: thread))
        #expect(next.event.dedupeKey == "mid:next")
        let listed = try await store.quarantined()
        #expect(listed.map(\.dedupeKey) == ["mid:poison"])
        #expect(listed.first?.decision == .quarantined(attempts: 3, then: nil))
        #expect(listed.first?.outcome == "quarantined after 3 attempts")
        #expect(try await store.backlog().inboxQuarantined == 1)
        await store.close()
    }

    @Test func aDeferredItemStaysPendingWithItsTimeAndIsCountedApart() async throws {
        let folder = try TemporaryDirectory()
        let store = try await SQLiteStore(path: folder.file("baton.sqlite"))
        _ = try await store.recordInbound([event("mid:human", at: 1)])
        let stored = try #require(try await store.nextPendingEvent(in: thread))
        var state = ThreadState(key: thread)
        state.pendingEscalation = Escalation(reason: "detector", score: 1)
        try await store.commit(
            ProcessingStep(eventID: stored.id, state: state, outcome: .escalated(reason: .detector, score: 1, skill: nil, target: .pageInbox), actions: [.passControl(to: .pageInbox, metadata: "{}")]))
        let item = try #require(try await store.pendingOutbox(in: thread).first)
        #expect(item.createdAt != nil)
        #expect(item.notBefore == nil)
        state.escalationFailures = 1
        try await store.deferOutbox(item.id, until: 12_345, error: "refused", state: state)
        let deferred = try #require(try await store.pendingOutbox(in: thread).first)
        #expect(deferred.notBefore == 12_345)
        #expect(deferred.attempts == 1)
        #expect(deferred.status == .pending)
        #expect(try await store.threadState(thread)?.escalationFailures == 1)
        let backlog = try await store.backlog()
        #expect(backlog.outboxPending == 1)
        #expect(backlog.outboxDeferred == 1)
        await store.close()
    }
}
