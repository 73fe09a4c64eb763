import HummingbirdCore
import Synchronization

/// Counts open HTTP connections and stops accepting at a maximum, so that many slow or
/// idle clients cannot exhaust file descriptors: further clients wait in the kernel's
/// backlog until a connection closes (the idle timeout closes stalled ones).
struct ConnectionLimit: AvailableConnectionsDelegate {
    /// Shared counts, read by `/metrics`.
    final class Counts: Sendable {
        private let state = Mutex<(open: Int, peak: Int)>((0, 0))
        private let accepting = Mutex(true)
        var open: Int { state.withLock { $0.open } }
        var peak: Int { state.withLock { $0.peak } }
        var isAccepting: Bool { accepting.withLock { $0 } }
        /// Stops taking new connections for good: they wait in the kernel's backlog and are
        /// reset when the listener closes, never half-accepted by a server that is closing.
        func stopAccepting() { accepting.withLock { $0 = false } }
        fileprivate func opened() -> Int {
            state.withLock { state in
                state.open += 1
                state.peak = max(state.peak, state.open)
                return state.open
            }
        }
        fileprivate func closed() -> Int {
            state.withLock { state in
                state.open -= 1
                return state.open
            }
        }
    }

    let maximum: Int
    let counts: Counts
    private var open = 0

    init(maximum: Int, counts: Counts) {
        self.maximum = maximum
        self.counts = counts
    }

    mutating func connectionOpened() { open = counts.opened() }
    mutating func connectionClosed() { open = counts.closed() }
    func isAcceptingNewConnections() -> Bool { open < maximum && counts.isAccepting }
}
