/// Everything Baton remembers about one conversation (a user on a page).
///
/// A plain value: the runtime loads it, the pure transitions in
/// ``ThreadState/observe(_:me:)`` and the ``ConversationPolicy`` change it, and the runtime
/// stores it again in the same transaction as the event that changed it.
public struct ThreadState: Sendable, Equatable, Codable {
    /// The conversation.
    public var key: ThreadKey
    /// Who controls it.
    public var owner: ThreadOwner
    /// When (ms, event clock) the current owner's control lapses without activity.
    public var controlExpiresAt: Int64?
    /// The timestamp (ms, event clock) of the newest observation that set the owner.
    /// Older events arriving late do not change ownership again.
    public var controlChangedAt: Int64?
    /// Whether the newest change of control was this app's own call (pass, take, release or
    /// a first send into an idle thread), dated when Meta accepted it. Events must then be
    /// strictly newer to move control again: Meta routed anything up to that moment under
    /// the old owner.
    public var controlChangedByUs: Bool?
    /// When (ms, this machine's clock) Meta accepted this app's newest own change. An event
    /// recorded before then was routed before it, whatever its timestamp says.
    public var ownChangeAcceptedAt: Int64?
    /// An escalation decided but not yet confirmed by a successful pass. While it is set
    /// the bot does not answer: the user was told a person is coming.
    public var pendingEscalation: Escalation?
    /// Passes for ``pendingEscalation`` that Meta refused or that ran out of retries.
    public var escalationFailures: Int?
    /// User messages in a row that no responder answered.
    public var consecutiveFallbacks: Int
    /// Timestamp (ms) of the user's last message: the 24-hour window starts here.
    public var lastUserMessageAt: Int64?
    /// Timestamp (ms) of the newest event applied, for ordering checks.
    public var lastEventAt: Int64?
    /// The last few turns, newest last, handed to skills and to the agent as context.
    public var recentTurns: [Turn]
    /// Messages handled while another app owned the thread.
    public var standbyMessages: Int
    /// The bot hosted beside this one that handed the conversation here (a Baton hand-off
    /// pass), where `escalate_to: back` returns it; nil when control came from anyone else.
    public var handedOffBy: AppID?
    /// The message a hand-off asked this app to answer (its `mid`): its own copy, which Meta
    /// routed on `standby` before the pass, is not answered a second time.
    public var answeredOnHandOff: String?
    /// The newest user message the bot that handed the conversation here had handled (ms):
    /// this app's `standby` copies up to it are that bot's, never answered here.
    public var handOffThrough: Int64?
    /// The messages of ``handOffThrough``'s very millisecond that the sender handled (a
    /// millisecond can hold several): copies of the others are still this app's to answer.
    public var handOffThroughMIDs: [String]?

    /// Whether a user message the bot that handed the thread here had already handled.
    public func handledBeforeHandOff(mid: String?, at: Int64) -> Bool {
        guard let through = handOffThrough else { return false }
        if at < through { return true }
        return at == through && mid.map { (handOffThroughMIDs ?? []).contains($0) } == true
    }

    /// A fresh thread: ownership unknown, nothing seen yet.
    public init(key: ThreadKey) {
        self.key = key
        self.owner = .unknown
        self.controlExpiresAt = nil
        self.controlChangedAt = nil
        self.controlChangedByUs = nil
        self.ownChangeAcceptedAt = nil
        self.pendingEscalation = nil
        self.escalationFailures = nil
        self.consecutiveFallbacks = 0
        self.lastUserMessageAt = nil
        self.lastEventAt = nil
        self.recentTurns = []
        self.standbyMessages = 0
    }

    /// How many turns ``recentTurns`` keeps.
    public static let maxRecentTurns = 10

    /// Appends a turn, keeping only the newest ``maxRecentTurns``.
    public mutating func remember(_ turn: Turn) {
        recentTurns.append(turn)
        if recentTurns.count > Self.maxRecentTurns {
            recentTurns.removeFirst(recentTurns.count - Self.maxRecentTurns)
        }
    }
}

/// One line of a conversation, as context for skills and agents.
public struct Turn: Sendable, Equatable, Codable {
    /// Who spoke.
    public enum Speaker: String, Sendable, Codable { case user, bot, agent }
    public var from: Speaker
    public var text: String
    public var timestamp: Int64
    /// The user message's id, when the turn is one.
    public var mid: String?
    public init(from: Speaker, text: String, timestamp: Int64, mid: String? = nil) {
        (self.from, self.text, self.timestamp, self.mid) = (from, text, timestamp, mid)
    }
}

/// Why and how confidently the bot hands a conversation to a human.
public struct Escalation: Sendable, Equatable, Codable {
    /// Why: `detector`, `fallback`, `circuit_open`, `skill_crash`, `quarantined`...
    public var reason: EscalationReason
    /// The detector score that decided it (1 for fallbacks).
    public var score: Double
    /// The skill that decided it, if one did.
    public var skill: String?
    /// The detector's own words.
    public var detail: String?
    /// Where the conversation goes (nil: a human, `handover.agent_app_id`).
    public var target: EscalationTarget?
    public init(reason: EscalationReason, score: Double, skill: String? = nil, detail: String? = nil, target: EscalationTarget? = nil) {
        (self.reason, self.score, self.skill, self.detail, self.target) = (reason, score, skill, detail, target)
    }
}
