import BatonCore
import BatonGraph
import BatonStore
import Foundation
import Logging

/// Carries out a thread's planned Graph calls in order, and updates the thread from what
/// Meta answers: it never sends into a thread another app owns, dates its own control
/// changes by the moment Meta accepted them, retries transient failures with back-off,
/// pauses a whole Page while Meta throttles it, keeps a refused escalation pending (and
/// tries it again later), and parks what can no longer be done as a dead letter.
public final class OutboxRunner: Sendable {
    let store: any BatonStore
    let graph: GraphClient
    let pages: [PageID: String]
    let me: AppID
    let retry: RetryPolicy
    let metrics: RuntimeMetrics
    let logger: Logger
    let throttle: PageThrottle
    let waker: ThreadWaker
    let limits: OutboxLimits
    let isDefaultApp: @Sendable (PageID) -> Bool
    let clock: @Sendable () -> Int64

    /// - Parameters:
    ///   - pages: each page's access token.
    ///   - isDefaultApp: whether this app is the Page's Conversation Routing default app.
    ///   - clock: this machine's clock (ms since 1970).
    public init(
        store: any BatonStore, graph: GraphClient, pages: [PageID: String], me: AppID, retry: RetryPolicy = RetryPolicy(),
        limits: OutboxLimits = OutboxLimits(), throttle: PageThrottle = PageThrottle(), waker: ThreadWaker = ThreadWaker(),
        metrics: RuntimeMetrics, logger: Logger, isDefaultApp: @escaping @Sendable (PageID) -> Bool = { _ in true },
        clock: @escaping @Sendable () -> Int64 = ConversationProcessor.wallClock
    ) {
        self.store = store
        self.graph = graph
        self.pages = pages
        self.me = me
        self.retry = retry
        self.limits = limits
        self.throttle = throttle
        self.waker = waker
        self.metrics = metrics
        self.logger = logger
        self.isDefaultApp = isDefaultApp
        self.clock = clock
    }

    /// Runs every pending item of the thread, in order; stops at a deferred item that is
    /// not yet due (the items behind it wait for it) and asks to be woken when it is.
    public func run(_ thread: ThreadKey) async throws(StoreError) {
        for item in try await store.pendingOutbox(in: thread) {
            if Task.isCancelled { return }
            if let notBefore = item.notBefore {
                let wait = notBefore.subtractingSaturated(clock())
                if wait > 0 {
                    waker.wake(thread, after: .milliseconds(wait))
                    return
                }
            }
            var state = try await store.threadState(thread) ?? ThreadState(key: thread)
            if try await settledByEarlierAttempt(item, state: state) { continue }
            // nil: interrupted by a shutdown; the item stays pending and resumes at the next start.
            guard let ending = await execute(item, state: &state) else { return }
            switch ending {
            case .finished(let status, let error):
                try await finish(item, status: status, error: error, state: state)
            case .deferred(let notBefore, let error):
                try await store.deferOutbox(item.id, until: notBefore, error: error, state: state)
                waker.wake(thread, after: .milliseconds(max(0, notBefore.subtractingSaturated(clock()))))
                return
            }
        }
    }

    /// A send begun before the process stopped may have reached Meta: the Send API has no
    /// idempotency key, so it is confirmed before it is sent again.
    private func settledByEarlierAttempt(_ item: OutboxItem, state: ThreadState) async throws(StoreError) -> Bool {
        guard let started = item.attemptStartedAt, case .send(let message, _) = item.action,
            let proof = await confirmEarlierSend(item, message: message, startedAt: started)
        else { return false }
        try await store.finishOutbox(item.id, status: .done, error: "confirmed by \(proof.rawValue)", state: state)
        metrics.increment(.outboxConfirmed, [.by: proof.rawValue])
        logger.notice(
            "send from before a restart confirmed, not repeated",
            metadata: ["page": "\(item.thread.page)", "thread": "\(item.thread.user)", "by": "\(proof.rawValue)"])
        return true
    }

    private func finish(_ item: OutboxItem, status: OutboxStatus, error: String?, state: ThreadState) async throws(StoreError) {
        try await store.finishOutbox(item.id, status: status, error: error, state: state)
        metrics.increment(.graphCalls, [.action: item.action.name, .result: status.rawValue])
        guard status == .dead else { return }
        metrics.increment(.outboxDeadTotal)
        logger.error(
            "graph call given up (dead letter)",
            metadata: [
                "page": "\(item.thread.page)", "thread": "\(item.thread.user)", "action": "\(item.action.name)",
                "error": "\(error ?? "")",
            ])
    }
}

/// How an outbox item's turn ended.
enum OutboxEnding: Equatable {
    /// It is done, skipped or dead, with the error that ended it.
    case finished(OutboxStatus, String?)
    /// It stays pending until `notBefore` (ms, wall clock): a refused escalation pass.
    case deferred(notBefore: Int64, error: String)
}

/// When an outbox item can no longer be carried out.
public struct OutboxLimits: Sendable, Equatable {
    /// An item older than this is a dead letter (`outbox.max_age_seconds`).
    public var maxAge: Duration
    /// A reply later than this after the user's last message cannot be sent as `RESPONSE`.
    public var messagingWindow: Duration
    /// The longest wait between tries of a refused escalation pass.
    public var maxEscalationRetryDelay: Duration

    public init(
        maxAge: Duration = .seconds(24 * 3600), messagingWindow: Duration = .seconds(24 * 3600),
        maxEscalationRetryDelay: Duration = .seconds(300)
    ) {
        self.maxAge = maxAge
        self.messagingWindow = messagingWindow
        self.maxEscalationRetryDelay = maxEscalationRetryDelay
    }
}
