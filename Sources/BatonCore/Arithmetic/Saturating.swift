/// Arithmetic that never traps on values from outside (webhook timestamps, Graph answers,
/// stored rows, configuration): results past the ends of the type stop at the ends.
extension FixedWidthInteger where Self: SignedInteger {
    /// `self + other`, or `.max` / `.min` when the true sum does not fit.
    @inlinable
    public func addingSaturated(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self - other`, or `.max` / `.min` when the true difference does not fit.
    @inlinable
    public func subtractingSaturated(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `self * other`, or `.max` / `.min` when the true product does not fit.
    @inlinable
    public func multipliedSaturated(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}

extension Int64 {
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

extension Duration {
    /// Whole milliseconds in this duration, clamped to `Int64`.
    @inlinable
    public var clampedMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedSaturated(by: 1000).addingSaturated(attoseconds / 1_000_000_000_000_000)
    }
}
