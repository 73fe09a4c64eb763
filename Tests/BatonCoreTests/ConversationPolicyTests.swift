import BatonCore
import Testing

@Suite("Conversation policy")
struct ConversationPolicyTests {
    static let me: AppID = "712345678901234"
    let key = ThreadKey(page: "109876543210987", user: "5012345678901234")
    let policy = ConversationPolicy(
        settings: HandoverSettings(me: "712345678901234", escalationThreshold: 0.5, maxFallbacks: 2, takeBackKeywords: ["bot", "main menu"]))

    func state(_ owner: ThreadOwner) -> ThreadState {
        var state = ThreadState(key: key)
        state.owner = owner
        return state
    }

    @Test func theBotAnswersWhenItOwnsTheThreadOrItIsIdle() {
        #expect(policy.route(text: "hi", payload: nil, timestamp: 10, state: state(.thisApp), now: 10) == .answer)
        #expect(policy.route(text: "hi", payload: nil, timestamp: 10, state: state(.idle), now: 10) == .answer)
        #expect(policy.route(text: "hi", payload: nil, timestamp: 10, state: state(.unknown), now: 10) == .lookUpOwnerFirst)
    }

    @Test func theBotStaysQuietOnStandbyUnlessATakeBackKeywordIsUsed() {
        let human = state(.otherApp(.pageInbox))
        #expect(policy.route(text: "where is my order", payload: nil, timestamp: 1, state: human, now: 1) == .stayQuiet(.anotherAppOwnsThread))
        #expect(policy.route(text: "robot", payload: nil, timestamp: 1, state: human, now: 1) == .stayQuiet(.anotherAppOwnsThread))
        #expect(policy.route(text: "Back to the BOT!", payload: nil, timestamp: 1, state: human, now: 1) == .takeBackAndAnswer(keyword: "bot"))
        #expect(policy.route(text: "show the Main Menu", payload: nil, timestamp: 1, state: human, now: 1) == .takeBackAndAnswer(keyword: "main menu"))
        #expect(policy.route(text: nil, payload: "BOT", timestamp: 1, state: human, now: 1) == .takeBackAndAnswer(keyword: "bot"))
    }

    @Test func nothingIsSentOutsideTheWindow() {
        let day: Int64 = 24 * 3600 * 1000
        #expect(policy.route(text: "hi", payload: nil, timestamp: 0, state: state(.thisApp), now: day + 1) == .stayQuiet(.outsideWindow))
        #expect(policy.route(text: "hi", payload: nil, timestamp: 0, state: state(.thisApp), now: day) == .answer)
    }

    @Test func theTopDetectorScoreAtTheThresholdEscalates() {
        #expect(policy.escalation(from: []) == nil)
        #expect(policy.escalation(from: [.init(skill: "a", score: 0.49, reason: "")]) == nil)
        let escalation = policy.escalation(from: [
            .init(skill: "a", score: 0.5, reason: "meh"), .init(skill: "b", score: 0.9, reason: "angry"),
            .init(skill: "c", score: 0.9, reason: "later"),
        ])
        #expect(escalation == Escalation(reason: "detector", score: 0.9, skill: "b", detail: "angry"))
    }

    @Test func fallbacksCountAndEscalateAtTheLimit() {
        var s = state(.thisApp)
        #expect(policy.afterResponders(answered: false, state: &s) == .fallback)
        #expect(s.consecutiveFallbacks == 1)
        guard case .escalate(let escalation) = policy.afterResponders(answered: false, state: &s) else {
            Issue.record("the second unanswered message did not escalate")
            return
        }
        #expect(escalation.reason == "fallback")
        var answered = state(.thisApp)
        answered.consecutiveFallbacks = 1
        #expect(policy.afterResponders(answered: true, state: &answered) == .reply)
        #expect(answered.consecutiveFallbacks == 0)
    }

    @Test func controlRequestsAreGrantedWhenAllowedWhateverTheCacheSays() {
        #expect(policy.controlRequested(by: .pageInbox, state: state(.thisApp)) == .pass(to: .pageInbox))
        // Meta delivers request_thread_control to the owner only: receiving it is the proof.
        #expect(policy.controlRequested(by: .pageInbox, state: state(.otherApp(nil))) == .pass(to: .pageInbox))
        #expect(policy.controlRequested(by: .pageInbox, state: state(.unknown)) == .pass(to: .pageInbox))
        #expect(policy.controlRequested(by: policy.settings.me, state: state(.thisApp)) == .ignore)
        var strict = policy.settings
        strict.grantControlRequests = false
        #expect(ConversationPolicy(settings: strict).controlRequested(by: .pageInbox, state: state(.thisApp)) == .ignore)
    }

    @Test func keywordsMatchWholeWordsIgnoringCaseAndAccents() {
        let matcher = KeywordMatcher(keywords: ["humain", "live agent"])
        #expect(matcher.firstMatch(in: "Je veux un HUMAÏN!") == "humain")
        #expect(matcher.firstMatch(in: "humanity") == nil)
        #expect(matcher.firstMatch(in: "talk to a live   agent, please") == "live agent")
        #expect(matcher.firstMatch(in: "agent") == nil)
    }
}

/// Where a detector's escalation goes, and at what score.
@Suite("Policy: escalation targets")
struct EscalationTargetPolicyTests {
    let policy = ConversationPolicy(settings: HandoverSettings(me: "1", escalationThreshold: 0.5))

    @Test func eachDetectorHasItsOwnThresholdAndTheTopScoreAmongThoseAboveWins() {
        let verdicts = [
            DetectorVerdict(skill: "billing", score: 0.7, reason: "invoice", target: .app("2"), threshold: 0.9),
            DetectorVerdict(skill: "human", score: 0.6, reason: "person", target: .human),
            DetectorVerdict(skill: "refund", score: 0.65, reason: "refund", target: .app("3"), threshold: 0.6),
        ]
        let escalation = policy.escalation(from: verdicts)
        #expect(escalation?.skill == "refund", "0.7 is under billing's own 0.9; refund's 0.65 beats human's 0.6")
        #expect(escalation?.target == .app("3"))
        #expect(policy.escalation(from: [DetectorVerdict(skill: "low", score: 0.4, reason: "", threshold: 0.3)])?.skill == "low")
        #expect(policy.escalation(from: [DetectorVerdict(skill: "low", score: 0.4, reason: "")]) == nil)
    }

    @Test func backCountsOnlyWhenAnotherBotHandedTheConversationHere() {
        let done = DetectorVerdict(skill: "done", score: 1, reason: "thanks", target: .back)
        #expect(policy.escalation(from: [done]) == nil)
        #expect(policy.escalation(from: [done], handedOffBy: "2")?.target == .back)
        let both = [done, DetectorVerdict(skill: "human", score: 0.8, reason: "person", target: .human)]
        #expect(policy.escalation(from: both)?.skill == "human", "without an origin, back is skipped, not a block")
    }
}
