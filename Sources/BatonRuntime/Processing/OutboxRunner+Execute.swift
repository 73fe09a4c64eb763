import BatonCore
import BatonGraph
import BatonStore
import Logging

extension OutboxRunner {
    /// Carries out one item: waits while its Page is throttled, retries what may pass later,
    /// and says how it ended.
    /// - Returns: how the item ended, or nil when a shutdown interrupted it.
    func execute(_ item: OutboxItem, state: inout ThreadState) async -> OutboxEnding? {
        let thread = item.thread
        guard let token = pages[thread.page] else { return .finished(.dead, "page \(thread.page) is not configured") }
        if let reason = pointless(item, state: state) { return .finished(.skipped, reason) }
        var attempt = 0
        while true {
            guard await throttle.waitUntilOpen(thread.page) else { return nil }
            if let reason = expired(item, state: state) { return .finished(.dead, reason) }
            attempt += 1
            do throws(GraphError) {
                try await perform(item, token: token, state: &state)
                return .finished(.done, nil)
            } catch {
                if let pause = pauseDuration(error, attempt: attempt) {
                    pausePage(thread.page, for: pause, error: error, action: item.action)
                    attempt -= 1  // a throttle is not the call's fault: it does not use up attempts
                    continue
                }
                if let ending = await ending(after: error, item: item, attempt: attempt, state: &state) { return ending }
                if Task.isCancelled { return nil }
                metrics.increment(
                    .graphRetries,
                    [.action: item.action.name, .code: error.code.map(String.init) ?? "\(error.classification)"])
                logger.notice(
                    "graph call failed, retrying",
                    metadata: [
                        "page": "\(thread.page)", "thread": "\(thread.user)", "action": "\(item.action.name)",
                        "attempt": "\(attempt)", "error": "\(error)",
                    ])
                try? await Task.sleep(for: retry.delay(afterAttempt: attempt))
                if Task.isCancelled { return nil }
            }
        }
    }

    /// Why the item must not be carried out at all, if it must not.
    private func pointless(_ item: OutboxItem, state: ThreadState) -> String? {
        switch item.action {
        case .send:
            guard !state.owner.botMaySpeak(isDefaultApp: isDefaultApp(item.thread.page)) else { return nil }
            return state.owner == .idle
                ? "not sent: the thread is idle and this app is not the Page's default app"
                : "not sent: \(state.owner) owns the thread"
        case .passControl:
            if case .otherApp = state.owner { return "not passed: \(state.owner) owns the thread already" }
            return nil
        case .extendControl:
            return state.owner == .thisApp ? nil : "not extended: \(state.owner) owns the thread"
        case .takeControl, .releaseControl:
            return nil
        }
    }

    /// Why the item can no longer be carried out: too old, or a reply past the window.
    private func expired(_ item: OutboxItem, state: ThreadState) -> String? {
        let now = clock()
        if let created = item.createdAt, now.subtractingSaturated(created) > limits.maxAge.clampedMilliseconds {
            return "older than outbox.max_age_seconds (\(limits.maxAge))"
        }
        if case .send = item.action, let last = state.lastUserMessageAt,
            now.subtractingSaturated(last) > limits.messagingWindow.clampedMilliseconds
        {
            return "the 24-hour messaging window closed before it could be sent"
        }
        return nil
    }

    /// One attempt: the call, then what Meta's acceptance means for the thread, dated by the
    /// moment Meta accepted it.
    private func perform(_ item: OutboxItem, token: String, state: inout ThreadState) async throws(GraphError) {
        let thread = item.thread
        switch item.action {
        case .send(let message, _):
            // Recorded before the call: after a crash this item is confirmed, not resent blindly.
            try? await store.beginOutboxAttempt(item.id)
            // Media sent by URL goes by its kept attachment id (OutboxRunner+Attachments).
            _ = try await sendReusingAttachments(
                message, metadata: "baton:\(item.idempotencyKey)", thread: thread, token: token)
            // A first send into an idle thread makes this app its owner from now on.
            if state.owner == .idle { apply(item.action, to: &state) }
        case .passControl(let target, let metadata):
            try await graph.passThreadControl(
                user: thread.user, page: thread.page, token: token, targetApp: target ?? .pageInbox, metadata: metadata)
            apply(item.action, to: &state)
        case .takeControl(let metadata):
            try await graph.takeThreadControl(user: thread.user, page: thread.page, token: token, metadata: metadata)
            apply(item.action, to: &state)
        case .releaseControl:
            try await graph.releaseThreadControl(user: thread.user, page: thread.page, token: token, metadata: nil)
            apply(item.action, to: &state)
        case .extendControl(let seconds):
            try await graph.extendThreadControl(
                user: thread.user, page: thread.page, token: token, duration: .seconds(seconds))
            apply(item.action, to: &state)
        }
    }

    /// Records that Meta accepted the item's control change now.
    func apply(_ action: PlannedAction, to state: inout ThreadState) {
        let acceptedAt = clock()
        let at = max(acceptedAt, state.lastEventAt ?? acceptedAt)
        switch action {
        case .send:
            state.observe(.weTookControl(at: at, acceptedAt: acceptedAt), me: me)
        case .passControl(let target, _):
            if let escalation = state.pendingEscalation {
                metrics.increment(.escalations, [.reason: escalation.reason.rawValue])
            }
            state.observe(.wePassedControl(to: target ?? .pageInbox, at: at, acceptedAt: acceptedAt), me: me)
        case .takeControl:
            state.observe(.weTookControl(at: at, acceptedAt: acceptedAt), me: me)
        case .releaseControl:
            state.observe(.weReleased(at: at, acceptedAt: acceptedAt), me: me)
        case .extendControl(let seconds):
            let expiry = acceptedAt.addingSaturated(seconds.multipliedSaturated(by: 1000))
            state.controlExpiresAt = max(state.controlExpiresAt ?? expiry, expiry)
        }
    }

    /// How long the Page pauses after this error, when it is a throttle.
    private func pauseDuration(_ error: GraphError, attempt: Int) -> Duration? {
        switch error.classification {
        case .rateLimited(let after): return after ?? retry.delay(afterAttempt: attempt)
        case .pageRestricted: return error.retryAfter ?? max(retry.delay(afterAttempt: attempt), .seconds(60))
        default: return nil
        }
    }

    private func pausePage(_ page: PageID, for pause: Duration, error: GraphError, action: PlannedAction) {
        let reason = error.classification == .pageRestricted ? "page_restricted" : "rate_limited"
        guard throttle.pause(page, for: pause) else { return }
        metrics.increment(.pagePauses, [.reason: reason])
        logger.warning(
            "Meta throttled the Page: every call for it waits",
            metadata: ["page": "\(page)", "pause": "\(pause)", "action": "\(action.name)", "error": "\(error)"])
    }
}
