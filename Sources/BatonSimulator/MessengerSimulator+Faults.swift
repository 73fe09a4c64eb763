extension MessengerSimulator {
    /// Changes the share of Send API calls that fail with a transient error, from now on
    /// (the knob `transientSendFailureRate` is only the starting value): faults "for a while".
    /// - Parameter rate: Probability in 0...1 (clamped).
    public func setTransientSendFailureRate(_ rate: Double) {
        transientSendFailureRate = min(max(rate, 0), 1)
    }

    /// Makes every Send API call to one user fail with a transient error until cleared,
    /// as when one recipient's sends keep hitting an outage.
    /// - Parameters:
    ///   - psid: The user.
    ///   - code: The transient code (1200, 2, 4, 613, 32 or 80006), or `nil` to clear.
    public func failSends(to psid: String, code: Int?) {
        failingRecipients[psid] = code
    }
}
