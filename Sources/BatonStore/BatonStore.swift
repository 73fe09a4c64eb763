public import BatonCore

/// Baton's durable state: the inbox of webhook events, thread states, the outbox of
/// Graph calls and the attachment ids of media uploaded for reuse. Nothing above this
/// protocol knows which database it runs on.
///
/// Semantics every backend keeps (SQLite now; PostgreSQL, shared by several instances,
/// must match them):
/// - ``recordInbound(_:)`` returns only after the events are durable; an event whose
///   dedupe key is already recorded changes nothing.
/// - Events of one thread come out of ``nextPendingEvent(in:)`` by timestamp, then arrival.
/// - ``commit(_:)`` is atomic: event marked processed, state saved, actions queued.
/// - Outbox items of a thread are carried out in id order.
public protocol BatonStore: Sendable {
    /// Records events; returns for each whether it was new.
    func recordInbound(_ events: [InboundEvent]) async throws(StoreError) -> [Bool]
    /// Threads with unprocessed events or pending outbox items, oldest work first.
    func threadsWithPendingWork() async throws(StoreError) -> [ThreadKey]
    /// The thread's oldest unprocessed event.
    func nextPendingEvent(in thread: ThreadKey) async throws(StoreError) -> StoredEvent?
    /// Records, durably, that skills are about to be called for this event; returns how
    /// many times that has begun (1 the first time). More means a process died while
    /// skills handled it: a skill that crashes on this input.
    func beginSkillAttempt(_ eventID: Int64) async throws(StoreError) -> Int
    /// Records, durably, that processing of this event begins; returns how many times it
    /// has begun (and how many times skills began on it). More than once means a process
    /// died while handling it.
    func beginProcessing(_ eventID: Int64) async throws(StoreError) -> ProcessingAttempts
    /// Takes back one begun attempt that was stopped on purpose (a shutdown past its grace
    /// period), so it does not count towards quarantine.
    func abandonProcessing(_ eventID: Int64) async throws(StoreError)
    /// Events set aside because processing them kept killing the process, oldest first.
    func quarantined() async throws(StoreError) -> [QuarantinedEvent]
    /// Leaves an outbox item pending with a failed attempt counted, not to be tried before
    /// `notBefore` (ms, wall clock), with the thread state it left.
    func deferOutbox(_ id: Int64, until notBefore: Int64, error: String?, state: ThreadState?) async throws(StoreError)
    /// The stored state of a thread, or nil when Baton has never seen it.
    func threadState(_ thread: ThreadKey) async throws(StoreError) -> ThreadState?
    /// Saves a thread state on its own (after a Graph answer changed it).
    func saveThreadState(_ state: ThreadState) async throws(StoreError)
    /// Commits the processing of one event.
    func commit(_ step: ProcessingStep) async throws(StoreError)
    /// The thread's pending outbox items, in order.
    func pendingOutbox(in thread: ThreadKey) async throws(StoreError) -> [OutboxItem]
    /// Records that an attempt at an outbox item begins, before the call is made.
    func beginOutboxAttempt(_ id: Int64) async throws(StoreError)
    /// Records that the latest attempt is known not to have reached anyone (Meta refused
    /// it), so a restart need not confirm it before trying again.
    func endOutboxAttempt(_ id: Int64) async throws(StoreError)
    /// Whether the inbox holds an echo of this thread carrying `metadata` exactly.
    func echoRecorded(in thread: ThreadKey, metadata: String) async throws(StoreError) -> Bool
    /// Records the end (or a failed attempt) of an outbox item, with the thread state it left.
    func finishOutbox(_ id: Int64, status: OutboxStatus, error: String?, state: ThreadState?) async throws(StoreError)
    /// Every processed event of a thread with its decision, oldest first.
    func decisions(in thread: ThreadKey) async throws(StoreError) -> [DecisionRecord]
    /// Every outbox item of a thread, in order.
    func outbox(in thread: ThreadKey) async throws(StoreError) -> [OutboxItem]
    /// Totals (scans the tables: for reports and tests, not for every scrape).
    func counters() async throws(StoreError) -> StoreCounters
    /// Work not yet done, from indexes only: cheap enough for every `/metrics` scrape.
    func backlog() async throws(StoreError) -> StoreBacklog
    /// The attachment id kept for media this Page sends by URL, or nil when none is kept.
    func attachmentID(for media: ReplyMedia, page: PageID) async throws(StoreError) -> StoredAttachmentID?
    /// Keeps, durably, the attachment id Meta gave for media of this Page (replacing any other
    /// id kept for the same URL and type).
    func saveAttachmentID(_ id: AttachmentID, for media: ReplyMedia, page: PageID, uploadedAt: Int64)
        async throws(StoreError)
    /// Forgets the attachment id kept for media of this Page, if it is still `id` (an id saved
    /// meanwhile by another upload stays).
    func forgetAttachmentID(_ id: AttachmentID, for media: ReplyMedia, page: PageID) async throws(StoreError)
    /// Closes the store.
    func close() async
}
