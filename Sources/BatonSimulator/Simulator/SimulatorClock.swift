import Foundation

/// The simulator's clock: a start point (fixed or the wall clock) plus real elapsed time plus whatever
/// the test advanced. Event timestamps drawn from it are strictly increasing.
struct SimulatorClock: Sendable {
    private let startMilliseconds: Int64
    private let startInstant: ContinuousClock.Instant
    private let followsRealTime: Bool
    private var advanced: Int64 = 0
    private var lastStamp: Int64 = 0

    /// Creates a clock.
    /// - Parameter fixedStart: A fixed start in ms (the clock then moves only when advanced), or `nil`
    ///   to start at the wall clock and follow real time.
    init(fixedStart: Int64?) {
        startMilliseconds = fixedStart ?? Int64(Date().timeIntervalSince1970 * 1000)
        startInstant = .now
        followsRealTime = fixedStart == nil
    }

    /// The current time in ms, without consuming a stamp.
    var now: Int64 {
        let real = followsRealTime ? (ContinuousClock.now - startInstant).milliseconds : 0
        return max(startMilliseconds + real + advanced, lastStamp)
    }

    /// A timestamp for a new event: the current time, but always after the previous stamp.
    mutating func stamp() -> Int64 {
        lastStamp = max(now, lastStamp + 1)
        return lastStamp
    }

    /// Moves the clock forward.
    mutating func advance(by duration: Duration) {
        // Saturating: at most about 30,000 years in all, so `now` cannot overflow.
        advanced = min(advanced + min(max(0, duration.milliseconds), Self.maxAdvance), Self.maxAdvance)
    }

    private static let maxAdvance: Int64 = 1_000_000_000_000_000

    /// The last timestamp handed out (0 before the first).
    var lastTimestamp: Int64 { lastStamp }
}
