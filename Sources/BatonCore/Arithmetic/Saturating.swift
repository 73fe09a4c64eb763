/// Arithmetic that never traps on values from outside (webhook timestamps, Graph answers,
/// stored rows, configuration): results past the ends of `Int64` stop at the ends.
extension Int64 {
    /// `self + other`, or `.max` / `.min` when the true sum does not fit.
    @inlinable
    public func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self - other`, or `.max` / `.min` when the true difference does not fit.
    @inlinable
    public func subtractingSaturated(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `self * other`, or `.max` / `.min` when the true product does not fit.
    @inlinable
    public func multipliedSaturated(by other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }

    /// A `Double` rounded toward zero and clamped to `Int64`; NaN becomes 0.
    @inlinable
    public init(clamping value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_807.0 {
            self = .max
        } else if value <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int64(value)
        }
    }
}

extension Int {
    /// `self + other`, stopping at `.max` / `.min`.
    @inlinable
    public func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}

extension Duration {
    /// Milliseconds as a `Duration`, with the count clamped to what `Duration` holds.
    @inlinable
    public static func clampedMilliseconds(_ milliseconds: Int64) -> Duration {
        .milliseconds(milliseconds)  // Duration holds ±9.2e18 ms: every Int64 fits.
    }

    /// Whole milliseconds in this duration, clamped to `Int64`.
    @inlinable
    public var clampedMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedSaturated(by: 1000).addingSaturated(attoseconds / 1_000_000_000_000_000)
    }
}
