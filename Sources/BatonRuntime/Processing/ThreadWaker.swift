import BatonCore
import Synchronization

/// Asks for a thread's work to run again later: a deferred Graph call (an escalation pass
/// Meta refused) comes due without waiting for the thread's next event or the sweep.
public final class ThreadWaker: Sendable {
    private let notify = Mutex<(@Sendable ([ThreadKey]) -> Void)?>(nil)

    public init() {}

    /// Connects the waker to whatever runs threads (the scheduler).
    public func connect(_ notify: @escaping @Sendable ([ThreadKey]) -> Void) {
        self.notify.withLock { $0 = notify }
    }

    /// Runs the thread's work again after `delay`.
    public func wake(_ thread: ThreadKey, after delay: Duration) {
        guard let notify = notify.withLock({ $0 }) else { return }
        Task {
            guard (try? await Task.sleep(for: max(delay, .milliseconds(1)))) != nil else { return }
            notify([thread])
        }
    }
}
