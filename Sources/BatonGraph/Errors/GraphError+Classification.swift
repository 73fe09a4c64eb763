extension GraphError {
    /// What an error means for the caller.
    public enum Classification: Sendable, Equatable, CustomStringConvertible {
        /// Try again with backoff: 1200, 2, `is_transient`, HTTP 5xx.
        case transient
        /// Back off (per Page): 4, 17, 32, 613, 80000–80014, HTTP 429.
        case rateLimited(retryAfter: Duration?)
        /// 10/2018300: another app controls the thread. Do not retry; take or request control.
        case anotherAppControlsThread
        /// 10/1893063: the Page is temporarily restricted (changelog, 25 Jun 2026). Pause
        /// every call for the Page and try again later.
        case pageRestricted
        /// 10/2018278 or 10/2018065: outside the messaging window. Use a tag or drop.
        case outsideWindow
        /// 551 (or 10/2018108): the person cannot be messaged now.
        case userUnavailable
        /// 190 or 102: the access token is invalid or expired.
        case invalidToken
        /// 10 (other subcodes), 200–299: a permission is missing.
        case permission
        /// 100, or a request refused before sending: fix the request.
        case invalidRequest
        /// No usable answer: connection failed, timed out or was cut.
        case network
        /// Anything else.
        case unknown

        /// Whether retrying may help.
        public var isRetryable: Bool {
            switch self {
            case .transient, .rateLimited, .pageRestricted, .network: return true
            default: return false
            }
        }

        /// A short name, e.g. `rateLimited(retryAfter: 60 seconds)`.
        public var description: String {
            switch self {
            case .transient: return "transient"
            case .rateLimited(let retryAfter):
                return retryAfter.map { "rateLimited(retryAfter: \($0))" } ?? "rateLimited"
            case .anotherAppControlsThread: return "anotherAppControlsThread"
            case .pageRestricted: return "pageRestricted"
            case .outsideWindow: return "outsideWindow"
            case .userUnavailable: return "userUnavailable"
            case .invalidToken: return "invalidToken"
            case .permission: return "permission"
            case .invalidRequest: return "invalidRequest"
            case .network: return "network"
            case .unknown: return "unknown"
            }
        }
    }

    /// Maps Graph error codes (and, without a code, the HTTP status) to a classification.
    /// - Parameters:
    ///   - httpStatus: The HTTP status, when a response arrived.
    ///   - code: The envelope's code.
    ///   - subcode: The envelope's subcode.
    ///   - isTransientFlag: The envelope's `is_transient`.
    ///   - retryAfter: The advised wait, for rate limits.
    /// - Returns: The classification.
    public static func classify(
        httpStatus: Int?, code: Int?, subcode: Int?, isTransientFlag: Bool?, retryAfter: Duration?
    ) -> Classification {
        if let code {
            switch code {
            case 1200, 2: return .transient
            case 4, 17, 32, 613, 80000...80014: return .rateLimited(retryAfter: retryAfter)
            case 10:
                switch subcode {
                case 2_018_300: return .anotherAppControlsThread
                case 1_893_063: return .pageRestricted
                case 2_018_278, 2_018_065: return .outsideWindow
                case 2_018_108: return .userUnavailable
                default: return .permission
                }
            case 551: return .userUnavailable
            case 190, 102: return .invalidToken
            case 200...299: return .permission
            case 100: return .invalidRequest
            default: break
            }
            if isTransientFlag == true { return .transient }
        }
        guard let httpStatus else { return .unknown }
        if httpStatus == 429 { return .rateLimited(retryAfter: retryAfter) }
        if (500...599).contains(httpStatus) { return .transient }
        return .unknown
    }
}
