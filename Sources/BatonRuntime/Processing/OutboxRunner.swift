import BatonCore
import BatonGraph
import BatonStore
import Foundation
import Logging

/// Carries out a thread's planned Graph calls in order, and updates the thread from what
/// Meta answers: it never sends into a thread another app owns, retries transient
/// failures with back-off, and parks what cannot be done as a dead letter.
public final class OutboxRunner: Sendable {
    let store: any BatonStore
    let graph: GraphClient
    let pages: [PageID: String]
    let me: AppID
    let retry: RetryPolicy
    let metrics: RuntimeMetrics
    let logger: Logger

    /// - Parameters:
    ///   - pages: each page's access token.
    public init(
        store: any BatonStore, graph: GraphClient, pages: [PageID: String], me: AppID, retry: RetryPolicy = RetryPolicy(),
        metrics: RuntimeMetrics, logger: Logger
    ) {
        self.store = store
        self.graph = graph
        self.pages = pages
        self.me = me
        self.retry = retry
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs every pending item of the thread.
    public func run(_ thread: ThreadKey) async throws(StoreError) {
        for item in try await store.pendingOutbox(in: thread) {
            if Task.isCancelled { return }
            var state = try await store.threadState(thread) ?? ThreadState(key: thread)
            // A send begun before the process stopped may have reached Meta: the Send API has
            // no idempotency key, so confirm it before sending again.
            if let started = item.attemptStartedAt, case .send(let message, _) = item.action,
                let proof = await confirmEarlierSend(item, message: message, startedAt: started)
            {
                try await store.finishOutbox(item.id, status: .done, error: "confirmed by \(proof)", state: state)
                metrics.increment("baton_outbox_confirmed_total", [("by", proof)])
                logger.notice(
                    "send from before a restart confirmed, not repeated",
                    metadata: ["page": "\(thread.page)", "thread": "\(thread.user)", "by": "\(proof)"])
                continue
            }
            // nil: interrupted by a shutdown between retries; the item stays pending and
            // resumes at the next start (it must not become a dead letter).
            guard let (status, error) = await execute(item, state: &state) else { return }
            try await store.finishOutbox(item.id, status: status, error: error, state: state)
            metrics.increment("baton_graph_calls_total", [("action", item.action.name), ("result", status.rawValue)])
            if status == .dead {
                metrics.increment("baton_outbox_dead_total")
                logger.error(
                    "graph call given up (dead letter)",
                    metadata: [
                        "page": "\(thread.page)", "thread": "\(thread.user)", "action": "\(item.action.name)",
                        "error": "\(error ?? "")",
                    ])
            }
        }
    }

    /// Looks for proof that an earlier attempt at a send reached the user: its echo (which
    /// carries the send's `metadata`), else the thread as the Conversations API lists it (a
    /// page message with the same text, created after the attempt began).
    /// - Returns: "echo" or "conversation", or nil when nothing shows the send arrived.
    func confirmEarlierSend(_ item: OutboxItem, message: ReplyMessage, startedAt: Int64) async -> String? {
        let thread = item.thread
        if (try? await store.echoRecorded(in: thread, metadata: "baton:\(item.idempotencyKey)")) == true {
            return "echo"
        }
        guard let text = message.text, let token = pages[thread.page] else { return nil }
        do {
            let messages: [ConversationMessage]
            do {
                messages = try await graph.conversationMessages(user: thread.user, page: thread.page, token: token)
                metrics.increment("baton_graph_calls_total", [("action", "conversations"), ("result", "done")])
            } catch {
                metrics.increment("baton_graph_calls_total", [("action", "conversations"), ("result", "error")])
                throw error
            }
            let earliest = Double(startedAt) / 1000 - 300  // clocks differ; five minutes of slack
            for candidate in messages where candidate.text == text {
                if let created = Self.parseTime(candidate.createdTime), created.timeIntervalSince1970 >= earliest {
                    return "conversation"
                }
            }
        } catch {
            logger.warning(
                "conversation read failed; the send is repeated",
                metadata: ["page": "\(thread.page)", "thread": "\(thread.user)", "error": "\(error)"])
        }
        return nil
    }

    /// Graph's `created_time` (`2024-11-01T12:00:00+0000`, or with a colon or fractions).
    static func parseTime(_ text: String) -> Date? {
        for format in ["yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// Asks Meta who owns the thread and records the answer.
    func lookUpOwner(_ state: inout ThreadState, at timestamp: Int64) async {
        guard let token = pages[state.key.page] else { return }
        do {
            let owner = try await graph.threadOwner(user: state.key.user, page: state.key.page, token: token)
            state.observe(.ownerLookedUp(owner?.appID, expiresAt: owner?.expiration.map { $0 * 1000 }), me: me)
            metrics.increment("baton_graph_calls_total", [("action", "thread_owner"), ("result", "done")])
        } catch {
            metrics.increment("baton_graph_calls_total", [("action", "thread_owner"), ("result", "error")])
            logger.warning("thread_owner look-up failed", metadata: ["page": "\(state.key.page)", "error": "\(error)"])
        }
    }

    /// - Returns: how the item ended, or nil when a shutdown interrupted its retries.
    private func execute(_ item: OutboxItem, state: inout ThreadState) async -> (OutboxStatus, String?)? {
        let thread = item.thread
        guard let token = pages[thread.page] else { return (.dead, "page \(thread.page) is not configured") }
        let at = state.lastEventAt ?? ConversationProcessor.wallClock()
        if case .send = item.action, !state.owner.botMaySpeak {
            return (.skipped, "not sent: \(state.owner) owns the thread")
        }
        var attempt = 0
        while true {
            attempt += 1
            do throws(GraphError) {
                switch item.action {
                case .send(let message, _):
                    // Recorded before the call: after a crash this item is confirmed, not resent blindly.
                    try? await store.beginOutboxAttempt(item.id)
                    let outgoing = OutgoingMessage(
                        text: message.text, attachmentJSON: message.attachmentJSON,
                        quickReplies: message.quickReplies.map { .init(title: $0.title, payload: $0.payload) },
                        metadata: "baton:\(item.idempotencyKey)")
                    _ = try await graph.send(outgoing, to: thread.user, page: thread.page, token: token)
                    if state.owner == .idle { state.observe(.weTookControl(at: at), me: me) }
                case .passControl(let target, let metadata):
                    let target = target ?? AppID.pageInbox
                    try await graph.passThreadControl(
                        user: thread.user, page: thread.page, token: token, targetApp: target, metadata: metadata)
                    if let escalation = state.pendingEscalation {
                        metrics.increment("baton_escalations_total", [("reason", escalation.reason)])
                    }
                    state.observe(.wePassedControl(to: target, at: at), me: me)
                case .takeControl(let metadata):
                    try await graph.takeThreadControl(user: thread.user, page: thread.page, token: token, metadata: metadata)
                    state.observe(.weTookControl(at: at), me: me)
                case .releaseControl:
                    try await graph.releaseThreadControl(user: thread.user, page: thread.page, token: token, metadata: nil)
                    state.observe(.weReleasedControl, me: me)
                }
                return (.done, nil)
            } catch {
                switch error.classification {
                case .anotherAppControlsThread:
                    state.observe(.anotherAppControls, me: me)
                    return (.skipped, error.description)
                case .outsideWindow:
                    metrics.increment("baton_messages_outside_window_total")
                    return (.skipped, error.description)
                default:
                    // Meta answered with an error: this attempt reached no one, so a restart
                    // need not confirm it before sending again.
                    if case .send = item.action, let status = error.httpStatus, (400..<500).contains(status), error.code != nil {
                        try? await store.endOutboxAttempt(item.id)
                    }
                    guard error.isRetryable, attempt < retry.maxAttempts else { return (.dead, error.description) }
                    if Task.isCancelled { return nil }
                    metrics.increment(
                        "baton_graph_retries_total",
                        [("action", item.action.name), ("code", error.code.map(String.init) ?? "\(error.classification)")])
                    var retryAfter: Duration?
                    if case .rateLimited(let after) = error.classification { retryAfter = after }
                    let delay = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
                    logger.notice(
                        "graph call failed, retrying",
                        metadata: [
                            "page": "\(thread.page)", "thread": "\(thread.user)", "action": "\(item.action.name)",
                            "attempt": "\(attempt)", "error": "\(error)",
                        ])
                    try? await Task.sleep(for: delay)
                    if Task.isCancelled { return nil }
                }
            }
        }
    }
}
