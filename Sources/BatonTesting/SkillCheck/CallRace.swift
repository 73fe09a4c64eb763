import Synchronization

/// The first of a call and its timer to finish (`nil`: the timer); later finishes are ignored.
final class CallRace: Sendable {
    typealias Outcome = Result<String, any Error>?

    private struct State {
        var done = false
        var outcome: Outcome = nil
        var waiter: CheckedContinuation<Outcome, Never>?
    }

    private let state = Mutex(State())

    func finish(_ outcome: Outcome) {
        let waiter: CheckedContinuation<Outcome, Never>? = state.withLock { state in
            if state.done { return nil }
            state.done = true
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }

    func value() async -> Outcome {
        await withCheckedContinuation { continuation in
            let ready: Outcome?? = state.withLock { state in
                if state.done { return .some(state.outcome) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready ?? nil) }
        }
    }
}
