extension MessengerSimulator {
    /// The knobs in force now: the configuration's, as changed by the setters below.
    public var liveKnobs: SimulatorConfiguration.Knobs { knobs }

    /// Changes the share of Send API calls that fail with a transient error, from now on
    /// (the knob `transientSendFailureRate` is only the starting value): faults "for a while".
    /// - Parameter rate: Probability in 0...1 (clamped).
    public func setTransientSendFailureRate(_ rate: Double) {
        knobs.transientSendFailureRate = Self.probability(rate)
    }

    /// Makes every Send API call to one user fail with a transient error until cleared,
    /// as when one recipient's sends keep hitting an outage.
    /// - Parameters:
    ///   - psid: The user.
    ///   - code: The transient code (1200, 2, 4, 613, 32 or 80006), or `nil` to clear.
    public func failSends(to psid: String, code: Int?) {
        failingRecipients[psid] = code
    }

    /// Sets the probability that a webhook body is held back and delivered after later bodies.
    /// - Parameter rate: Probability in 0...1 (clamped).
    public func setHoldBackRate(_ rate: Double) {
        knobs.holdBackRate = Self.probability(rate)
    }

    /// Sets the probability that an acknowledged body is delivered again, late, after other bodies.
    /// - Parameter rate: Probability in 0...1 (clamped).
    public func setLateRedeliveryRate(_ rate: Double) {
        knobs.lateRedeliveryRate = Self.probability(rate)
    }

    /// Sets how long held-back bodies and late duplicates wait.
    /// - Parameter delay: The delay (negative counts as zero).
    public func setLateDeliveryDelay(_ delay: Duration) {
        knobs.lateDeliveryDelay = max(.zero, delay)
    }

    /// Sets the probability that an event reuses the previous event's timestamp.
    /// - Parameter rate: Probability in 0...1 (clamped).
    public func setSameMillisecondRate(_ rate: Double) {
        knobs.sameMillisecondRate = Self.probability(rate)
    }

    /// Grants or withdraws an app's "take control of conversations" permission.
    /// - Parameters:
    ///   - allowed: Whether `take_thread_control` from the app is allowed.
    ///   - app: The app ID.
    public func setTakeControlPermission(_ allowed: Bool, for app: String) {
        if allowed { knobs.appsWithoutTakePermission.remove(app) } else { knobs.appsWithoutTakePermission.insert(app) }
    }

    /// Refuses (or allows again) `request_thread_control` on a Page with a default app.
    /// - Parameter enabled: Whether to refuse it.
    public func setRequestControlOnlyWithoutDefaultApp(_ enabled: Bool) {
        knobs.requestControlOnlyWithoutDefaultApp = enabled
    }

    /// Makes Inbox replies on a Page without a default app reach the bot only as echoes (no take webhook).
    /// - Parameter enabled: Whether to.
    public func setInboxRepliesAsEchoesOnly(_ enabled: Bool) {
        knobs.inboxRepliesAsEchoesOnly = enabled
    }

    /// Holds back the HTTP answer of an endpoint's calls (the change is applied at once), so a client
    /// with a shorter timeout sees a timeout while the platform did what it asked.
    /// - Parameters:
    ///   - delay: The delay, or `nil` (or zero) to answer at once again.
    ///   - endpoint: One of ``SimulatorConfiguration/Knobs/lateAnswerEndpoints``, or `*` for all of them.
    public func setLateAnswer(_ delay: Duration?, for endpoint: String = "*") {
        if let delay, delay > .zero { knobs.lateAnswerDelays[endpoint] = delay } else { knobs.lateAnswerDelays[endpoint] = nil }
    }

    /// Refuses every call to a Graph endpoint (`messages`, `pass_thread_control`,
    /// `take_thread_control`...) with a Graph error, whoever makes it, until cleared: a
    /// permission Meta withdrew, an app not connected to the Page.
    /// - Parameters:
    ///   - endpoint: The edge, as in ``GraphCallRecord/endpoint``.
    ///   - code: The error code, or nil to clear the refusal.
    ///   - subcode: The error subcode.
    ///   - message: The error message.
    public func refuseCalls(
        to endpoint: String, code: Int?, subcode: Int? = nil, message: String = "(#200) The app does not have the permission"
    ) {
        refusedEndpoints[endpoint] = code.map { SimulatedGraphError(code: $0, subcode: subcode, message: message) }
    }

    /// A probability from outside: NaN is 0, the rest is clamped to 0...1.
    static func probability(_ rate: Double) -> Double {
        rate.isNaN ? 0 : min(max(rate, 0), 1)
    }
}
