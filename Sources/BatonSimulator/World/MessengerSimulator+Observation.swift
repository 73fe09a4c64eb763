extension MessengerSimulator {
    /// The app that owns the thread, or `nil` when it is idle (control that lapsed is expired first).
    /// - Parameters:
    ///   - page: The Page ID.
    ///   - user: The PSID.
    /// - Returns: The owner's app ID.
    public func threadOwner(page: String, user: String) -> String? {
        guard thread(user, on: page) != nil else { return nil }
        lapseIfExpired(user)
        return threads[user]?.owner
    }

    /// When the owner's control lapses, ms since 1970 (`nil` when idle).
    /// - Parameters:
    ///   - page: The Page ID.
    ///   - user: The PSID.
    /// - Returns: The expiry.
    public func controlExpiry(page: String, user: String) -> Int64? {
        guard thread(user, on: page) != nil else { return nil }
        lapseIfExpired(user)
        return threads[user]?.expiresAt
    }

    /// Everything that happened in a thread, in order.
    /// - Parameters:
    ///   - page: The Page ID.
    ///   - user: The PSID.
    /// - Returns: The timeline.
    public func timeline(page: String, user: String) -> [TimelineEntry] {
        thread(user, on: page)?.timeline ?? []
    }

    /// The messages the Page sent to a user (sender actions excluded), optionally only one app's.
    /// - Parameters:
    ///   - page: The Page ID.
    ///   - user: The PSID.
    ///   - byApp: Only this app's messages, when set.
    /// - Returns: The messages in order.
    public func sentMessages(page: String, user: String, byApp: String? = nil) -> [SentMessage] {
        timeline(page: page, user: user).compactMap(\.sent).filter { $0.mid != nil && (byApp == nil || $0.appID == byApp) }
    }

    /// Every webhook POST attempt so far, in order.
    public func deliveryLog() -> [DeliveryAttempt] { deliveries }

    /// Waits until every queued webhook was acknowledged (or given up) and none is pending.
    /// - Parameter timeout: The longest wait.
    /// - Throws: `SimulatorError.timedOut` when deliveries are still outstanding after `timeout`.
    public func waitUntilQuiet(timeout: Duration) async throws {
        if outstanding == 0 { return }
        let (id, timer) = startWaiter(.quiet, timeout: timeout)
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { quietWaiters[id] = $0 }
    }

    /// What a waiter waits for.
    private enum WaiterKind { case quiet, entry }

    /// A fresh waiter id, and a timer that fails that waiter after `timeout`.
    private func startWaiter(_ kind: WaiterKind, timeout: Duration) -> (id: Int, timer: Task<Void, any Error>) {
        let id = nextWaiterID
        nextWaiterID += 1
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.expireWaiter(id, kind)
        }
        return (id, timer)
    }

    private func expireWaiter(_ id: Int, _ kind: WaiterKind) {
        switch kind {
        case .quiet:
            quietWaiters.removeValue(forKey: id)?.resume(
                throwing: SimulatorError.timedOut("webhook deliveries to settle (\(outstanding) outstanding)"))
        case .entry:
            entryWaiters.removeValue(forKey: id)?.continuation.resume(throwing: SimulatorError.timedOut("a timeline entry"))
        }
    }

    /// Returns the first timeline entry (of any thread) after sequence `after` that matches, waiting
    /// for it if it has not happened yet.
    /// - Parameters:
    ///   - after: Only entries with a larger sequence number count (0: all).
    ///   - timeout: The longest wait.
    ///   - predicate: The condition.
    /// - Returns: The entry.
    public func waitForEntry(after: Int = 0, timeout: Duration, where predicate: @escaping @Sendable (TimelineEntry) -> Bool) async throws -> TimelineEntry {
        let existing = threads.values.flatMap(\.timeline).filter { $0.sequence > after && predicate($0) }
        if let first = existing.min(by: { $0.sequence < $1.sequence }) { return first }
        let (id, timer) = startWaiter(.entry, timeout: timeout)
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation {
            entryWaiters[id] = EntryWaiter(after: after, predicate: predicate, continuation: $0)
        }
    }

    /// The sequence number of the latest timeline entry (use as `after:` in `waitForEntry`).
    public var lastSequence: Int { sequence }

    /// A new stream of every timeline entry from now on; any number of streams may be open.
    /// - Returns: The stream; it ends at `shutdown()`.
    public func makeEventStream() -> AsyncStream<TimelineEntry> {
        let (stream, continuation) = AsyncStream.makeStream(of: TimelineEntry.self, bufferingPolicy: .unbounded)
        let id = nextWaiterID
        nextWaiterID += 1
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeSubscriber(id) }
        }
        return stream
    }

    private func removeSubscriber(_ id: Int) { subscribers[id] = nil }
}
