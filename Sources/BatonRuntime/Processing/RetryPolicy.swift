/// Exponential back-off with full jitter for transient Graph failures.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10)) {
        (self.maxAttempts, self.baseDelay, self.maxDelay) = (maxAttempts, baseDelay, maxDelay)
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1); a server's
    /// `retryAfter` wins when it is longer.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        let exponent = min(max(attempt - 1, 0), 20)
        let ceiling = min(baseDelay * (1 << exponent), maxDelay)
        let jittered = ceiling * Double.random(in: 0.5...1.0)
        if let retryAfter, retryAfter > jittered { return min(retryAfter, maxDelay * 6) }
        return jittered
    }
}
