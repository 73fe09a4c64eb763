import AsyncHTTPClient
import BatonCore
import BatonGraph
import BatonRuntime
import BatonStore
import BatonTestSupport
import Foundation
import Synchronization
import Testing

/// The real SQLite store, with reads of thread states that can be made to fail (a disk
/// error, a locked database): the fault is injected around the real thing.
final class FlakyStateReads: BatonStore {
    let base: SQLiteStore
    let failing = Mutex(false)
    init(_ base: SQLiteStore) { self.base = base }

    func threadState(_ thread: ThreadKey) async throws(StoreError) -> ThreadState? {
        if failing.withLock({ $0 }) { throw StoreError(.busy, "injected: the database did not answer") }
        return try await base.threadState(thread)
    }
    func recordInbound(_ events: [InboundEvent]) async throws(StoreError) -> [Bool] { try await base.recordInbound(events) }
    func threadsWithPendingWork() async throws(StoreError) -> [ThreadKey] { try await base.threadsWithPendingWork() }
    func nextPendingEvent(in thread: ThreadKey) async throws(StoreError) -> StoredEvent? { try await base.nextPendingEvent(in: thread) }
    func beginSkillAttempt(_ eventID: Int64) async throws(StoreError) -> Int { try await base.beginSkillAttempt(eventID) }
    func beginProcessing(_ eventID: Int64) async throws(StoreError) -> ProcessingAttempts { try await base.beginProcessing(eventID) }
    func abandonProcessing(_ eventID: Int64) async throws(StoreError) { try await base.abandonProcessing(eventID) }
    func quarantined() async throws(StoreError) -> [QuarantinedEvent] { try await base.quarantined() }
    func deferOutbox(_ id: Int64, until notBefore: Int64, error: String?, state: ThreadState?) async throws(StoreError) {
        try await base.deferOutbox(id, until: notBefore, error: error, state: state)
    }
    func saveThreadState(_ state: ThreadState) async throws(StoreError) { try await base.saveThreadState(state) }
    func commit(_ step: ProcessingStep) async throws(StoreError) { try await base.commit(step) }
    func pendingOutbox(in thread: ThreadKey) async throws(StoreError) -> [OutboxItem] { try await base.pendingOutbox(in: thread) }
    func beginOutboxAttempt(_ id: Int64) async throws(StoreError) { try await base.beginOutboxAttempt(id) }
    func endOutboxAttempt(_ id: Int64) async throws(StoreError) { try await base.endOutboxAttempt(id) }
    func echoRecorded(in thread: ThreadKey, metadata: String) async throws(StoreError) -> Bool {
        try await base.echoRecorded(in: thread, metadata: metadata)
    }
    func finishOutbox(_ id: Int64, status: OutboxStatus, error: String?, state: ThreadState?) async throws(StoreError) {
        try await base.finishOutbox(id, status: status, error: error, state: state)
    }
    func decisions(in thread: ThreadKey) async throws(StoreError) -> [DecisionRecord] { try await base.decisions(in: thread) }
    func outbox(in thread: ThreadKey) async throws(StoreError) -> [OutboxItem] { try await base.outbox(in: thread) }
    func counters() async throws(StoreError) -> StoreCounters { try await base.counters() }
    func backlog() async throws(StoreError) -> StoreBacklog { try await base.backlog() }
    func attachmentID(for media: ReplyMedia, page: PageID) async throws(StoreError) -> StoredAttachmentID? {
        try await base.attachmentID(for: media, page: page)
    }
    func saveAttachmentID(_ id: AttachmentID, for media: ReplyMedia, page: PageID, uploadedAt: Int64) async throws(StoreError) {
        try await base.saveAttachmentID(id, for: media, page: page, uploadedAt: uploadedAt)
    }
    func forgetAttachmentID(_ id: AttachmentID, for media: ReplyMedia, page: PageID) async throws(StoreError) {
        try await base.forgetAttachmentID(id, for: media, page: page)
    }
    func close() async { await base.close() }
}

@Suite("A storage read that fails")
struct StorageFailureTests {
    static let thread = ThreadKey(page: "109876543210987", user: "5012345678901234")

    /// An event that changes only thread state (a read receipt on standby), as intake records it.
    static func standbyRead(at timestamp: Int64) throws -> InboundEvent {
        let body = """
            {"object":"page","entry":[{"id":"\(thread.page)","time":\(timestamp),"standby":[{"sender":{"id":"\(thread.user)"},\
            "recipient":{"id":"\(thread.page)"},"timestamp":\(timestamp),"read":{"watermark":\(timestamp)}}]}]}
            """
        let event = try #require(try WebhookParser.parse(Array(body.utf8)).events.first)
        return InboundEvent(event)
    }

    @Test func theEventWaitsAndTheStoredStateIsNotOverwrittenWithABlankOne() async throws {
        let folder = try TemporaryDirectory()
        let sqlite = try await SQLiteStore(path: folder.path + "/baton.sqlite")
        let store = FlakyStateReads(sqlite)
        var known = ThreadState(key: Self.thread)
        known.owner = .thisApp
        known.consecutiveFallbacks = 1
        known.recentTurns = [Turn(from: .user, text: "earlier", timestamp: 1)]
        try await sqlite.saveThreadState(known)

        let metrics = RuntimeMetrics()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let graph = GraphClient(
            configuration: GraphConfiguration(baseURL: "http://127.0.0.1:9", appSecret: "s"), httpClient: client, logger: testLogger())
        let outbox = OutboxRunner(
            store: store, graph: graph, pages: [Self.thread.page: "token"], me: "712345678901234", metrics: metrics, logger: testLogger())
        let processor = ConversationProcessor(
            store: store, policy: ConversationPolicy(settings: HandoverSettings(me: "712345678901234")),
            skills: SkillSet(members: [], metrics: metrics, logger: testLogger()), outbox: outbox, metrics: metrics, logger: testLogger())

        _ = try await sqlite.recordInbound([try Self.standbyRead(at: 1_700_000_000_000)])
        store.failing.withLock { $0 = true }
        await processor.processPending(Self.thread)
        #expect(try await sqlite.nextPendingEvent(in: Self.thread) != nil, "the event was processed on a blank state")
        #expect(try await sqlite.threadState(Self.thread) == known)

        // The disk answers again: the event is processed on the state that was stored.
        store.failing.withLock { $0 = false }
        await processor.processPending(Self.thread)
        #expect(try await sqlite.nextPendingEvent(in: Self.thread) == nil)
        let after = try #require(try await sqlite.threadState(Self.thread))
        #expect(after.owner == .otherApp(nil))
        #expect(after.consecutiveFallbacks == 1)
        #expect(after.recentTurns == known.recentTurns)
        try await client.shutdown()
        await sqlite.close()
    }
}
