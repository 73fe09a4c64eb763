import BatonCore
import BatonGraph
import BatonStore
import Logging

extension OutboxRunner {
    /// What a failed attempt means for the item: how it ends, or nil to try it again.
    func ending(after error: GraphError, item: OutboxItem, attempt: Int, state: inout ThreadState) async -> OutboxEnding? {
        // A control change whose answer was lost, or refused as already done, may hold all
        // the same: ask thread_owner before trying again or giving up.
        if item.action.changesControl, await controlChangeApplied(item.action, state: &state) {
            apply(item.action, to: &state)
            logger.notice(
                "control change found applied by thread_owner after a failed answer",
                metadata: ["page": "\(item.thread.page)", "thread": "\(item.thread.user)", "action": "\(item.action.name)", "error": "\(error)"])
            return .finished(.done, "applied (confirmed by thread_owner) after: \(error)")
        }
        switch error.classification {
        case .anotherAppControlsThread:
            state.observe(.anotherAppControls, me: me)
            return .finished(.skipped, error.description)
        case .outsideWindow:
            metrics.increment(.messagesOutsideWindow)
            return .finished(.skipped, error.description)
        default:
            break
        }
        // Meta answered with an error: this attempt reached no one, so a restart need not
        // confirm it before sending again.
        if case .send = item.action, let status = error.httpStatus, (400..<500).contains(status), error.code != nil {
            try? await store.endOutboxAttempt(item.id)
        }
        if error.isRetryable, attempt < retry.maxAttempts { return nil }
        if case .passControl = item.action, state.pendingEscalation != nil {
            if case .otherApp = state.owner { return .finished(.skipped, "another app owns the thread now: \(error)") }
            return escalationFailed(error, item: item, state: &state)
        }
        return .finished(.dead, error.description)
    }

    /// A pass for an escalation that Meta refused or that ran out of retries: the
    /// conversation stays escalation-pending (the bot stays quiet) and the pass is tried
    /// again later, with back-off.
    private func escalationFailed(_ error: GraphError, item: OutboxItem, state: inout ThreadState) -> OutboxEnding {
        let failures = (state.escalationFailures ?? 0).addingSaturated(1)
        state.escalationFailures = failures
        metrics.increment(.escalationsFailed, [.reason: Self.reasonLabel(error.classification)])
        if failures == 1 {
            logger.error(
                "escalation pass failed: the conversation stays escalation-pending and the pass is tried again",
                metadata: [
                    "page": "\(item.thread.page)", "thread": "\(item.thread.user)",
                    "reason": "\(state.pendingEscalation?.reason ?? "")", "error": "\(error)",
                ])
        }
        let exponent = min(max(failures - 1, 0), 20)
        let delay = min(retry.maxDelay * (1 << exponent), limits.maxEscalationRetryDelay)
        return .deferred(notBefore: clock().addingSaturated(delay.clampedMilliseconds), error: error.description)
    }

    /// A metric label for an error class (no spaces or parentheses).
    static func reasonLabel(_ classification: GraphError.Classification) -> String {
        switch classification {
        case .rateLimited: "rate_limited"
        case .transient: "transient"
        case .anotherAppControlsThread: "another_app_controls_thread"
        case .pageRestricted: "page_restricted"
        case .outsideWindow: "outside_window"
        case .userUnavailable: "user_unavailable"
        case .invalidToken: "invalid_token"
        case .permission: "permission"
        case .invalidRequest: "invalid_request"
        case .network: "network"
        case .unknown: "unknown"
        }
    }
}

extension PlannedAction {
    /// Whether the action changes who controls the thread (pass, take, release).
    var changesControl: Bool {
        switch self {
        case .passControl, .takeControl, .releaseControl: true
        case .send, .extendControl: false
        }
    }
}
