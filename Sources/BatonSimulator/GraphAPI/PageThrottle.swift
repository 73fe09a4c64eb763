/// A Page-level throttle: until `endsAt`, every Send API, thread-control and `thread_owner` call to
/// the Page is refused, whichever app makes it (see ``MessengerSimulator/throttlePage(_:for:refusal:headers:)``).
public struct PageThrottle: Sendable, Hashable, Codable {
    /// The refusal a throttled call gets.
    public enum Refusal: Int, Sendable, Hashable, Codable, CaseIterable {
        /// 80006: Messenger Business-Use-Case rate limit for this Page (transient).
        case businessUseCase = 80006
        /// 613: "Calls to this api have exceeded the rate limit" (transient).
        case apiRateLimit = 613
        /// 32: Page-level request limit (transient).
        case pageRequestLimit = 32
        /// 10 / 1893063: "Page temporarily restricted" (not transient).
        case pageRestricted = 10

        /// The Graph error for this refusal.
        var error: SimulatedGraphError {
            switch self {
            case .businessUseCase:
                return SimulatedGraphError(code: 80006, message: "(#80006) There have been too many calls for this Messenger account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.", isTransient: true)
            case .apiRateLimit:
                return .transient(code: 613)
            case .pageRequestLimit:
                return .transient(code: 32)
            case .pageRestricted:
                return SimulatedGraphError(code: 10, subcode: 1893063, message: "(#10) Page temporarily restricted")
            }
        }
    }

    /// The headers a throttled answer carries.
    public enum Headers: String, Sendable, Hashable, Codable, CaseIterable {
        /// `X-Business-Use-Case-Usage` with `estimated_time_to_regain_access` in minutes.
        case usage
        /// `Retry-After` in seconds.
        case retryAfter = "retry_after"
        /// Both.
        case both
    }

    /// The refusal.
    public var refusal: Refusal
    /// The headers.
    public var headers: Headers
    /// When the throttle ends, simulator clock in ms since 1970.
    public var endsAt: Int64

    private enum CodingKeys: String, CodingKey {
        case refusal = "code"
        case headers
        case endsAt = "ends_at_ms"
    }

    /// The response headers for a call refused at `now` on `page`.
    func responseHeaders(page: String, now: Int64) -> [(String, String)] {
        let remainingMS = max(0, endsAt &- now)
        let seconds = (remainingMS + 999) / 1000
        let minutes = (seconds + 59) / 60
        var result: [(String, String)] = []
        if headers != .retryAfter {
            let usage = JSONValue.obj([
                (page, .array([.obj([
                    ("type", .string("messenger")),
                    ("call_count", .int(100)),
                    ("total_cputime", .int(1)),
                    ("total_time", .int(1)),
                    ("estimated_time_to_regain_access", .int(minutes)),
                ])])),
            ])
            result.append(("X-Business-Use-Case-Usage", usage.metaSerializedString))
        }
        if headers != .usage { result.append(("Retry-After", String(seconds))) }
        return result
    }
}
