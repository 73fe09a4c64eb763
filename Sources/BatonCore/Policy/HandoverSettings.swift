/// The operator's handover rules (the `handover:` section of the configuration).
public struct HandoverSettings: Sendable, Equatable {
    /// This runtime's app id.
    public var me: AppID
    /// Where escalations go: the Page Inbox by default.
    public var agentAppID: AppID
    /// A detector score at or above this passes control to ``agentAppID``.
    public var escalationThreshold: Double
    /// Unanswered user messages in a row before escalating with reason `fallback`.
    public var maxFallbacks: Int
    /// Words that make the bot take control back when a user writes them on standby.
    public var takeBackKeywords: [String]
    /// Whether a `request_thread_control` from another app is granted (true) or ignored.
    public var grantControlRequests: Bool
    /// Sent to the user just before control passes to a human.
    public var handoverMessage: String
    /// Sent when no responder answers.
    public var fallbackMessage: String
    /// The standard messaging window after the user's last message.
    public var messagingWindowMilliseconds: Int64
    /// Whether the bot releases control (the thread goes idle) once a conversation is done.
    public var releaseWhenDone: Bool
    /// User words that say a conversation is done ("thanks", "bye"...): after the bot's
    /// answer to such a message, control is released when ``releaseWhenDone`` is on.
    public var doneKeywords: [String]
    /// When positive, the bot extends its control (`extend_thread_control`) to this many
    /// seconds (at most 7 days) whenever it answers and its control would lapse sooner
    /// than half of it: a long flow keeps the thread past Meta's 24-hour idle rule.
    public var extendControlSeconds: Int64

    public init(
        me: AppID,
        agentAppID: AppID = .pageInbox,
        escalationThreshold: Double = 0.5,
        maxFallbacks: Int = 2,
        takeBackKeywords: [String] = [],
        grantControlRequests: Bool = true,
        handoverMessage: String = "Let me connect you with a person. Someone from our team will reply here shortly.",
        fallbackMessage: String = "Sorry, I didn't understand that. Could you say it another way?",
        messagingWindowMilliseconds: Int64 = 24 * 3600 * 1000,
        releaseWhenDone: Bool = false,
        doneKeywords: [String] = [],
        extendControlSeconds: Int64 = 0
    ) {
        self.me = me
        self.agentAppID = agentAppID
        self.escalationThreshold = escalationThreshold
        self.maxFallbacks = maxFallbacks
        self.takeBackKeywords = takeBackKeywords
        self.grantControlRequests = grantControlRequests
        self.handoverMessage = handoverMessage
        self.fallbackMessage = fallbackMessage
        self.messagingWindowMilliseconds = messagingWindowMilliseconds
        self.releaseWhenDone = releaseWhenDone
        self.doneKeywords = doneKeywords
        self.extendControlSeconds = extendControlSeconds
    }

    /// The longest extension Meta allows (7 days).
    public static let maxExtendControlSeconds: Int64 = 7 * 24 * 3600
}
