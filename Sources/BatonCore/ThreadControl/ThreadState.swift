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
    /// The newest event timestamp (Meta's clock) this app had seen when Meta accepted its newest
    /// own change: a pass back from the app it passed to cannot be older than that.
    public var ownChangeAfterEventAt: Int64?
    /// Whether, since this app's newest own change passed the thread to another app, an event
    /// recorded before Meta accepted that pass showed the same app gaining control (it took the
    /// thread, or was passed it): that app held the thread before the pass, and a pass from it to
    /// this app may be the end of that earlier turn, older than this app's pass whatever its stamp
    /// says. Such a pass does not give this app the thread; the next message asks Meta.
    public var ownChangeContested: Bool?
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
    /// What the bot that handed the conversation here had handled: digests
    /// (``Turn/digest(of:)``) of the user messages among its recent turns that it answered,
    /// fell back on or escalated with. This app's `standby` copies of those are not answered.
    public var handOffHandled: [String]?

    /// The oldest user message this app became responsible for when it last got the
    /// thread (ms): a hand-off from here tells the receiver, so that what the receiver heard
    /// before (another app's, a person's) is not answered again. Nil: since the start.
    public var ownershipStartedAt: Int64?

    /// Whether a user message is one the bot that handed the thread here had handled.
    public func handledBeforeHandOff(mid: String?) -> Bool {
        guard let mid, let handled = handOffHandled else { return false }
        return handled.contains(Turn.digest(of: mid))
    }

    /// Records that this app heard the user message `mid` on `standby` while `owner` had the thread.
    public mutating func markHeard(mid: String?, while owner: AppID?) {
        guard let mid, let index = recentTurns.lastIndex(where: { $0.from == .user && $0.mid == mid }) else { return }
        recentTurns[index].heardOnStandby = true
        recentTurns[index].heardWhile = owner
    }

    /// Records that this app handled (answered, fell back on, or escalated with) the user
    /// message `mid`, on its turn.
    public mutating func markHandled(mid: String?) {
        guard let mid else { return }
        let digest = Turn.digest(of: mid)
        var handled = recentlyHandled ?? []
        if !handled.contains(digest) { handled.append(digest) }
        recentlyHandled = Array(handled.suffix(Self.maxRecentlyHandled))
        if let index = recentTurns.lastIndex(where: { $0.from == .user && $0.mid == mid }) { recentTurns[index].handled = true }
    }

    /// Digests of the user messages this app handled most recently, newest last: a hand-off
    /// from here lists them (more than the receiver's recent turns can hold).
    public var recentlyHandled: [String]?

    /// How many digests ``recentlyHandled`` keeps.
    public static let maxRecentlyHandled = 12

    /// A fresh thread: ownership unknown, nothing seen yet.
    public init(key: ThreadKey) {
        self.key = key
        self.owner = .unknown
        self.controlExpiresAt = nil
        self.controlChangedAt = nil
        self.controlChangedByUs = nil
        self.ownChangeAcceptedAt = nil
        self.ownChangeAfterEventAt = nil
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
    /// Whether this app handled the user message (answered, fell back on, escalated with).
    public var handled: Bool?
    /// Whether this app heard the user message on `standby` and stayed quiet.
    public var heardOnStandby: Bool?
    /// The app that had the thread then, when known.
    public var heardWhile: AppID?
    public init(from: Speaker, text: String, timestamp: Int64, mid: String? = nil) {
        (self.from, self.text, self.timestamp, self.mid) = (from, text, timestamp, mid)
    }

    /// A short, stable digest of a message id (FNV-1a, its top 40 bits in hex): hand-offs name many
    /// messages within Meta's 1,000-character metadata this way.
    public static func digest(of mid: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in mid.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash >> 24, radix: 16)
        return String(repeating: "0", count: 10 - hex.count) + hex
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
