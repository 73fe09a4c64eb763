/// The decision Baton makes for every user message: answer, hand over, take back or stay
/// quiet. Pure functions of the thread state, the message and the skills' verdicts.
public struct ConversationPolicy: Sendable {
    public var settings: HandoverSettings
    private let takeBackMatcher: KeywordMatcher
    private let doneMatcher: KeywordMatcher

    public init(settings: HandoverSettings) {
        self.settings = settings
        self.takeBackMatcher = KeywordMatcher(keywords: settings.takeBackKeywords)
        self.doneMatcher = KeywordMatcher(keywords: settings.doneKeywords)
    }

    /// Routes one user message.
    ///
    /// - Parameters:
    ///   - text: the message text or quick-reply payload (either may match a take-back keyword).
    ///   - payload: the quick-reply or postback payload, if any.
    ///   - timestamp: when the user sent it (ms; untrusted, any value).
    ///   - state: the thread, already updated from the channel the message came on.
    ///   - now: the current time (ms).
    ///   - isDefaultApp: whether this app is the Page's Conversation Routing default app.
    public func route(
        text: String?, payload: String?, timestamp: Int64, state: ThreadState, now: Int64, isDefaultApp: Bool = true
    ) -> MessageRoute {
        if now.subtractingSaturated(timestamp) > settings.messagingWindowMilliseconds {
            return .stayQuiet(.outsideWindow)
        }
        switch state.owner {
        case .thisApp, .idle:
            if state.pendingEscalation != nil { return .stayQuiet(.escalationPending) }
            if state.owner == .idle, !isDefaultApp { return .stayQuiet(.idleNotDefaultApp) }
            return .answer
        case .unknown:
            return .lookUpOwnerFirst
        case .otherApp:
            for candidate in [text, payload].compactMap({ $0 }) {
                if let keyword = takeBackMatcher.firstMatch(in: candidate) {
                    return .takeBackAndAnswer(keyword: keyword)
                }
            }
            return .stayQuiet(.anotherAppOwnsThread)
        }
    }

    /// Decides from the detectors' verdicts whether to escalate, and where: the top score
    /// among those at or above their own threshold wins; ties go to the detector listed
    /// first. A verdict for `back` counts only when another bot handed the conversation here.
    ///
    /// - Parameters:
    ///   - verdicts: the detectors' scores, in configured order.
    ///   - handedOffBy: the bot that handed the conversation here, if one did.
    public func escalation(from verdicts: [DetectorVerdict], handedOffBy: AppID? = nil) -> Escalation? {
        var top: DetectorVerdict?
        for verdict in verdicts where verdict.score >= (verdict.threshold ?? settings.escalationThreshold) {
            if verdict.target == .back, handedOffBy == nil { continue }
            if verdict.score > (top?.score ?? -1) { top = verdict }
        }
        guard let top else { return nil }
        return Escalation(reason: .detector, score: top.score, skill: top.skill, detail: top.reason, target: top.target)
    }

    /// Counts fallbacks and decides what follows the responders' turn.
    ///
    /// - Parameters:
    ///   - answered: whether a responder gave an answer.
    ///   - state: the thread; its fallback counter is updated.
    public func afterResponders(answered: Bool, state: inout ThreadState) -> ResponderOutcome {
        if answered {
            state.consecutiveFallbacks = 0
            return .reply
        }
        state.consecutiveFallbacks = state.consecutiveFallbacks.addingSaturated(1)
        if state.consecutiveFallbacks >= max(1, settings.maxFallbacks) {
            return .escalate(
                Escalation(
                    reason: .fallback, score: 1, skill: nil,
                    detail: "\(state.consecutiveFallbacks) unanswered messages in a row"))
        }
        return .fallback
    }

    /// Decides what to do with another app's request for control. Meta delivers
    /// `request_thread_control` to the thread's owner only, so the request itself proves
    /// this app owns the thread, whatever Baton's cache says.
    public func controlRequested(by requester: AppID?, state: ThreadState) -> ControlRequestDecision {
        guard settings.grantControlRequests, requester != settings.me else { return .ignore }
        return .pass(to: requester)
    }

    /// The Graph calls that follow the bot's answer: an extension of control when a long
    /// flow needs it, a release when the user said the conversation is done.
    ///
    /// - Parameters:
    ///   - text: the user's message.
    ///   - state: the thread after the answer.
    ///   - now: the current time (ms).
    public func afterAnswer(text: String?, state: ThreadState, now: Int64) -> [PlannedAction] {
        if settings.releaseWhenDone, let text, doneMatcher.firstMatch(in: text) != nil {
            return [.releaseControl]
        }
        let seconds = min(settings.extendControlSeconds, HandoverSettings.maxExtendControlSeconds)
        guard seconds > 0, state.owner == .thisApp else { return [] }
        let halfway = now.addingSaturated(seconds.multipliedSaturated(by: 500))
        if let expiry = state.controlExpiresAt, expiry >= halfway { return [] }
        return [.extendControl(seconds: seconds)]
    }
}
