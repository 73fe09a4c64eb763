import BatonCore
import Synchronization

/// Pauses every Graph call for a Page while Meta throttles it. Rate limits are per Page
/// (`X-Business-Use-Case-Usage`): when one thread hears "wait", every thread of that Page
/// waits until the time Meta gave, instead of each hammering on its own.
public final class PageThrottle: Sendable {
    private let pausedUntil = Mutex<[PageID: ContinuousClock.Instant]>([:])

    public init() {}

    /// Pauses the Page's calls for `duration` from now (a longer pause already set stays).
    /// - Returns: whether this call started or lengthened the pause.
    @discardableResult
    public func pause(_ page: PageID, for duration: Duration) -> Bool {
        let until = ContinuousClock.now.advanced(by: max(duration, .zero))
        return pausedUntil.withLock { paused in
            if let current = paused[page], current >= until { return false }
            paused[page] = until
            return true
        }
    }

    /// When the Page's pause ends, or nil when it is not paused.
    public func resumeTime(of page: PageID) -> ContinuousClock.Instant? {
        pausedUntil.withLock { paused in
            guard let until = paused[page] else { return nil }
            if until <= .now {
                paused[page] = nil
                return nil
            }
            return until
        }
    }

    /// Pages paused now.
    public var pausedPages: Int {
        let now = ContinuousClock.now
        return pausedUntil.withLock { $0.values.filter { $0 > now }.count }
    }

    /// Waits until the Page is not paused.
    /// - Returns: false when the task was cancelled while waiting.
    public func waitUntilOpen(_ page: PageID) async -> Bool {
        while let until = resumeTime(of: page) {
            guard (try? await Task.sleep(until: until, clock: .continuous)) != nil else { return false }
        }
        return !Task.isCancelled
    }
}
