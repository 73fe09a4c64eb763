/// Page-level throttles (platform.md §8.7, §4.4): every Send API, thread-control and `thread_owner` call
/// to the Page is refused, from any app, until the throttle ends on the simulator clock or is lifted.
extension MessengerSimulator {
    /// Throttles a Page for a while: calls get `refusal` (80006 by default) with
    /// `X-Business-Use-Case-Usage` and/or `Retry-After`.
    /// - Parameters:
    ///   - page: The Page ID.
    ///   - duration: How long, on the simulator clock (`advanceClock(by:)` shortens it).
    ///   - refusal: The error a throttled call gets.
    ///   - headers: Which headers the refusal carries.
    public func throttlePage(
        _ page: String, for duration: Duration, refusal: PageThrottle.Refusal = .businessUseCase,
        headers: PageThrottle.Headers = .usage
    ) {
        let (endsAt, overflow) = clock.now.addingReportingOverflow(max(0, duration.milliseconds))
        throttles[page] = PageThrottle(refusal: refusal, headers: headers, endsAt: overflow ? .max : endsAt)
    }

    /// Throttles a Page for whole minutes (what `estimated_time_to_regain_access` counts).
    /// - Parameters:
    ///   - page: The Page ID.
    ///   - minutes: How long, on the simulator clock.
    ///   - refusal: The error a throttled call gets.
    ///   - headers: Which headers the refusal carries.
    public func throttlePage(
        _ page: String, minutes: Int, refusal: PageThrottle.Refusal = .businessUseCase,
        headers: PageThrottle.Headers = .usage
    ) {
        let (seconds, overflow) = minutes.multipliedReportingOverflow(by: 60)
        throttlePage(page, for: .seconds(overflow ? Int.max : seconds), refusal: refusal, headers: headers)
    }

    /// Ends a Page's throttle early (no-op when none is in force).
    /// - Parameter page: The Page ID.
    public func liftThrottle(page: String) {
        throttles[page] = nil
    }

    /// The throttle in force on a Page, if any.
    /// - Parameter page: The Page ID.
    /// - Returns: The throttle, or `nil` when calls go through.
    public func throttle(page: String) -> PageThrottle? { activeThrottle(page) }

    /// How many calls to a Page were refused because of a throttle (all throttles so far, any app).
    /// - Parameter page: The Page ID.
    /// - Returns: The count.
    public func throttledCallCount(page: String) -> Int { throttleRefusals[page] ?? 0 }

    /// The throttle in force, after dropping one that has ended.
    func activeThrottle(_ page: String) -> PageThrottle? {
        guard let throttle = throttles[page] else { return nil }
        if clock.now >= throttle.endsAt {
            throttles[page] = nil
            return nil
        }
        return throttle
    }
}
