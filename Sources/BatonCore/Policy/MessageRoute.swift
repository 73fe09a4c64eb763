/// What to do with one user message, decided before any skill runs.
public enum MessageRoute: Sendable, Equatable {
    /// The bot may speak: run the detectors, then the responders.
    case answer
    /// Another app owns the thread but the user asked for the bot: take control, then answer.
    case takeBackAndAnswer(keyword: String)
    /// Ownership is unknown: look it up with `thread_owner`, then route again.
    case lookUpOwnerFirst
    /// The bot must say nothing.
    case stayQuiet(QuietReason)
}

/// Why the bot stays quiet on a message.
public enum QuietReason: String, Sendable, Equatable, Codable {
    /// Another app (a human) owns the thread.
    case anotherAppOwnsThread = "standby"
    /// The message is older than the 24-hour messaging window.
    case outsideWindow = "outside_window"
    /// An escalation was decided and its pass has not gone through yet: the user was told
    /// a person is coming, so the bot does not answer as if nothing happened.
    case escalationPending = "escalation_pending"
    /// Nobody owns the thread and this app is not the Page's default app: under
    /// Conversation Routing only the default app may speak first into an idle thread.
    case idleNotDefaultApp = "idle_not_default_app"
    /// The message was already answered when the bot that had it handed the conversation
    /// here: this is this app's own (`standby`) copy of it.
    case answeredOnHandOff = "answered_on_hand_off"
}

/// What happens after the responders had their turn.
public enum ResponderOutcome: Sendable, Equatable {
    /// A responder answered: send it.
    case reply
    /// Nobody answered: send the fallback message.
    case fallback
    /// Nobody answered once too often: hand over.
    case escalate(Escalation)
}

/// What to do with another app's `request_thread_control`.
public enum ControlRequestDecision: Sendable, Equatable {
    /// Pass control to the requester.
    case pass(to: AppID?)
    /// Keep control (or there is nothing to give).
    case ignore
}

/// One detector's verdict on a message.
public struct DetectorVerdict: Sendable, Equatable {
    public var skill: String
    public var score: Double
    public var reason: String
    /// Where this detector's escalation goes (`escalate_to`; nil: a human).
    public var target: EscalationTarget?
    /// This detector's own threshold (nil: `handover.escalation_threshold`).
    public var threshold: Double?
    public init(skill: String, score: Double, reason: String, target: EscalationTarget? = nil, threshold: Double? = nil) {
        (self.skill, self.score, self.reason, self.target, self.threshold) = (skill, score, reason, target, threshold)
    }
}
