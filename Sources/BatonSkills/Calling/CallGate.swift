import Foundation

/// Admission to one instance's `respond`/`detect`: one call at a time unless the skill
/// is thread-safe, none after `destroy` began, and `destroy` waits for calls in flight.
final class CallGate: Sendable {
    private struct State {
        var inFlight = 0
        var exclusiveBusy = false
        var closed = false
    }

    private let condition = NSCondition()
    nonisolated(unsafe) private var state = State()  // guarded by `condition`

    /// Waits for a turn; false when the instance is (being) destroyed.
    /// - Parameter exclusive: whether the call must run alone.
    func enter(exclusive: Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !state.closed && (state.exclusiveBusy || (exclusive && state.inFlight > 0)) {
            condition.wait()
        }
        guard !state.closed else { return false }
        state.inFlight += 1
        if exclusive { state.exclusiveBusy = true }
        return true
    }

    /// Ends a call admitted by ``enter(exclusive:)``.
    func leave(exclusive: Bool) {
        condition.lock()
        state.inFlight -= 1
        if exclusive { state.exclusiveBusy = false }
        condition.broadcast()
        condition.unlock()
    }

    /// How ``close(waitingAtMost:)`` ended.
    enum Closing {
        /// No call runs any more: the instance may be destroyed.
        case idle
        /// A call still runs (a hung skill): destroying now would pull its state away.
        case busy
        /// Closed before.
        case alreadyClosed
    }

    /// Refuses new calls and waits until none runs, for at most `limit` (nil: for ever).
    func close(waitingAtMost limit: Duration? = nil) -> Closing {
        condition.lock()
        defer { condition.unlock() }
        guard !state.closed else { return .alreadyClosed }
        state.closed = true
        condition.broadcast()
        let deadline = limit.map { Date().addingTimeInterval(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) }
        while state.inFlight > 0 {
            if let deadline {
                if !condition.wait(until: deadline), state.inFlight > 0 { return .busy }
            } else {
                condition.wait()
            }
        }
        return .idle
    }
}
