import BatonSkills
import Synchronization

extension SkillSet {
    /// The members of one moment, with the calls that use them: a call keeps the snapshot it
    /// began with, so a reload can wait for the old one's calls before destroying what left.
    final class Snapshot: Sendable {
        let all: [Member]
        let responders: [Member]
        let detectors: [Member]
        /// ``SkillSet/detect(_:)`` and ``SkillSet/respond(_:)`` calls working on it now.
        private let users = Mutex(0)

        init(_ all: [Member]) {
            self.all = all
            self.responders = all.filter { $0.instance.kind.contains(.responder) }
            self.detectors = all.filter { $0.instance.kind.contains(.detector) }
        }

        /// One more call uses it.
        func enter() { users.withLock { $0 += 1 } }
        /// A call that used it ended.
        func leave() { users.withLock { $0 -= 1 } }
        /// Whether no call uses it.
        var isUnused: Bool { users.withLock { $0 == 0 } }
    }

    /// Puts `members` in place of the current ones, at once: calls that begin from now on
    /// use them; calls in flight finish with the members they began with.
    /// - Parameter members: the new members in configured order (kept ones keep their
    ///   circuit breaker and abandoned calls).
    /// - Returns: the members replaced, to pass to ``waitUntilUnused(_:atMost:)``.
    func replaceMembers(with members: [Member]) -> Snapshot {
        current.withLock { snapshot in
            defer { snapshot = Snapshot(members) }
            return snapshot
        }
    }

    /// Waits until no call uses `snapshot` any more, or `limit` passed.
    /// - Returns: whether its calls all ended.
    func waitUntilUnused(_ snapshot: Snapshot, atMost limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !snapshot.isUnused {
            guard ContinuousClock.now < deadline else { return false }
            // Calls end within their deadlines; a short poll costs nothing next to that.
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// A member made from `entry` for this set.
    func makeMember(_ entry: Entry) -> Member { Self.member(entry, maxAbandonedCalls: maxAbandonedCalls) }
}
