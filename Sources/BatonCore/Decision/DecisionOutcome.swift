/// What Baton decided for one event, as a value: tests and tools compare these, and
/// ``description`` renders the one line that `baton demo`, the timeline and the inbox show.
public indirect enum DecisionOutcome: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A responder answered.
    case replied(skill: String)
    /// No responder answered: the fallback message, `count` of `limit` in a row.
    case fellBack(count: Int, limit: Int)
    /// The conversation goes to `target`.
    case escalated(reason: EscalationReason, score: Double, skill: String?, target: AppID)
    /// A take-back keyword: control is taken back, then `then`.
    case tookBack(keyword: String, then: DecisionOutcome)
    /// The bot says nothing; `owner` is who owned the thread as Baton saw it.
    case quiet(QuietReason, owner: ThreadOwner, escalation: EscalationReason? = nil)
    /// A user event with nothing to answer (delivery, read, referral, optin).
    case recorded
    /// A handover event moved control: the owner is now `owner`.
    case controlMoved(by: EventTag, owner: ThreadOwner)
    /// An echo: this app's own message, or another app's (`from`).
    case echo(from: AppID?, own: Bool)
    /// Another app asked for control.
    case controlRequest(from: AppID?, answer: ControlRequestAnswer)
    /// Nothing to do: an event kind Baton does not act on, or a part of a body that was not an event.
    case ignored(String)
    /// Set aside after `attempts` begun attempts died; `then` is what Baton did instead.
    case quarantined(attempts: Int, then: DecisionOutcome?)
    /// Another Baton-hosted bot handed the conversation here with a message to answer.
    case handedOff(from: AppID, then: DecisionOutcome)

    /// What Baton did with a control request.
    public enum ControlRequestAnswer: String, Sendable, Equatable, Codable {
        case granted
        case ignored
        /// Routed before a later change of control.
        case stale
    }

    /// The escalation, when the outcome is (or ends in) one.
    public var escalation: (reason: EscalationReason, target: AppID)? {
        switch self {
        case .escalated(let reason, _, _, let target): (reason, target)
        case .tookBack(_, let then): then.escalation
        case .quarantined(_, let then): then?.escalation
        case .handedOff(_, let then): then.escalation
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .replied(let skill): "reply by \(skill)"
        case .fellBack(let count, let limit): "fallback \(count) of \(limit)"
        case .escalated(let reason, let score, let skill, let target):
            "escalate: \(reason) (score \(score)\(skill.map { " by \($0)" } ?? "")) to app \(target)"
        case .tookBack(let keyword, let then): "take back (keyword \(keyword)); \(then)"
        case .quiet(let reason, let owner, let escalation): Self.quiet(reason, owner: owner, escalation: escalation)
        case .recorded: "recorded"
        case .controlMoved(let tag, let owner):
            tag == .takeThreadControl ? "control taken: owner is \(owner)" : "control passed to \(owner)"
        case .echo(let from, let own): own ? "echo of own message" : "echo from app \(from?.rawValue ?? "?")"
        case .controlRequest(let from, let answer): Self.request(from: from, answer: answer)
        case .ignored(let what): "ignored: \(what)"
        case .handedOff(let from, let then): "handed over by app \(from.rawValue); \(then)"
        case .quarantined(let attempts, let then):
            "quarantined after \(attempts) attempts" + (then.map { "; \($0)" } ?? "")
        }
    }

    private static func quiet(_ reason: QuietReason, owner: ThreadOwner, escalation: EscalationReason?) -> String {
        switch reason {
        case .anotherAppOwnsThread: "quiet: \(owner) owns the thread"
        case .outsideWindow: "quiet: outside the 24-hour window"
        case .escalationPending: "quiet: escalation pending (\(escalation?.rawValue ?? "?"))"
        case .idleNotDefaultApp: "quiet: the thread is idle and this app is not the Page's default app"
        case .answeredOnHandOff: "quiet: answered when the conversation was handed over to this app"
        }
    }

    private static func request(from: AppID?, answer: ControlRequestAnswer) -> String {
        let who = from?.rawValue ?? "?"
        switch answer {
        case .granted: return "control request from \(who): granted"
        case .ignored: return "control request from \(who): ignored"
        case .stale: return "control request from \(who): ignored (routed before a later change of control)"
        }
    }
}
