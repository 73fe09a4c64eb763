import BatonCore
import Testing

/// Thread control under real timing: this app's own changes are dated by the moment Meta
/// accepted them, so events Meta routed before that moment cannot undo them; Conversation
/// Routing's rules for requests, `thread_owner` answers and idle threads; and no value from
/// outside can make a transition or a route trap.
@Suite("Thread control under real timing")
struct RealTimingTests {
    static let me: AppID = "712345678901234"
    static let inbox: AppID = .pageInbox
    let key = ThreadKey(page: "109876543210987", user: "5012345678901234")
    let policy = ConversationPolicy(settings: HandoverSettings(me: "712345678901234", takeBackKeywords: ["bot"]))

    func state(_ owner: ThreadOwner) -> ThreadState {
        var state = ThreadState(key: key)
        state.owner = owner
        return state
    }

    @Test func aMessageRoutedOnStandbyBeforeOurTakeIsTheBots() {
        var s = state(.otherApp(Self.inbox))
        // "bot" at 1000 (standby), then "what is my balance" at 1500, recorded at 1600 on
        // standby, before Meta accepted our take at 2000.
        s.observe(.userEvent(channel: .standby, at: 1_000, receivedAt: 1_050), me: Self.me)
        s.observe(.weTookControl(at: 2_000, acceptedAt: 2_000), me: Self.me)
        s.observe(.userEvent(channel: .standby, at: 1_500, receivedAt: 1_600), me: Self.me)
        #expect(s.owner == .thisApp)
        #expect(policy.route(text: "what is my balance", payload: nil, timestamp: 1_500, state: s, now: 2_100) == .answer)
    }

    @Test func aStandbyEventRecordedBeforeAcceptanceIsStaleWhateverItsTimestamp() {
        var s = state(.otherApp(Self.inbox))
        s.observe(.weTookControl(at: 2_000, acceptedAt: 2_000), me: Self.me)
        // Meta's clock runs ahead of ours: the timestamp is later, but it was recorded before.
        s.observe(.userEvent(channel: .standby, at: 2_500, receivedAt: 1_900), me: Self.me)
        #expect(s.owner == .thisApp)
        // Recorded after acceptance, stamped after it by Meta's clock: routed after another app
        // took the thread, or before our take by a clock that runs ahead. Meta is asked.
        s.observe(.userEvent(channel: .standby, at: 2_600, receivedAt: 2_700), me: Self.me)
        #expect(s.owner == .unknown)
        #expect(policy.route(text: "hello", payload: nil, timestamp: 2_600, state: s, now: 2_800) == .lookUpOwnerFirst)
        // Once Meta said who owns it, the next event on standby agrees with that.
        s.observe(.ownerLookedUp(Self.inbox, expiresAt: nil), me: Self.me)
        s.observe(.userEvent(channel: .standby, at: 2_700, receivedAt: 2_800), me: Self.me)
        #expect(s.owner == .otherApp(Self.inbox))
    }

    @Test func aMessageOnMessagingAfterOurPassIsCheckedWithMetaHoweverLateItsStamp() {
        // The trace of a generated sequence: this app escalated (its pass accepted at 2_000 by
        // its clock); a quick reply Meta routed to it before the pass, stamped 2_030 by a clock
        // that runs ahead, was recorded after the acceptance. It must not make this app the owner.
        var s = state(.thisApp)
        s.observe(.userEvent(channel: .messaging, at: 1_990, receivedAt: 1_995), me: Self.me)
        s.observe(.wePassedControl(to: Self.inbox, at: 2_000, acceptedAt: 2_000), me: Self.me)
        s.observe(.userEvent(channel: .messaging, at: 2_030, receivedAt: 2_040), me: Self.me)
        #expect(s.owner == .unknown)
        #expect(policy.route(text: "yes", payload: "YES", timestamp: 2_030, state: s, now: 2_050) == .lookUpOwnerFirst)
        // Meta says the Inbox has it: the message is heard, not answered.
        s.observe(.ownerLookedUp(Self.inbox, expiresAt: nil), me: Self.me)
        #expect(policy.route(text: "yes", payload: "YES", timestamp: 2_030, state: s, now: 2_050) == .stayQuiet(.anotherAppOwnsThread))
        // A pass back, stamped later by Meta, gives the thread back as before.
        s.observe(.passed(newOwner: Self.me, previousOwner: Self.inbox, channel: .messaging, at: 2_100, receivedAt: 2_110), me: Self.me)
        #expect(s.owner == .thisApp)
        s.observe(.userEvent(channel: .messaging, at: 2_120, receivedAt: 2_130), me: Self.me)
        #expect(s.owner == .thisApp)
    }

    @Test func aPassBackThatMayPredateOurPassIsLeftToMeta() {
        // The trace of a generated sequence (CI, 2026-12-08): this app's escalation pass waited
        // behind a throttled send; meanwhile the Inbox took the thread (1_500) and passed it back
        // (2_200, Meta's clock, which runs ahead). This app's pass was then accepted (2_000 by its
        // own clock), so the Inbox owns the thread. The take, recorded before the acceptance, is
        // stale; the pass back, recorded after it and stamped after this app's dating, looked like
        // the answer to this app's pass, and the bot answered a message in the Inbox's thread.
        var s = state(.thisApp)
        s.observe(.userEvent(channel: .messaging, at: 1_100, receivedAt: 1_100), me: Self.me)
        s.observe(.wePassedControl(to: Self.inbox, at: 2_000, acceptedAt: 2_000), me: Self.me)
        s.observe(.taken(newOwner: Self.inbox, previousOwner: Self.me, channel: .messaging, at: 1_500, receivedAt: 1_900), me: Self.me)
        #expect(s.owner == .otherApp(Self.inbox))
        #expect(s.ownChangeContested == true)
        s.observe(.passed(newOwner: Self.me, previousOwner: Self.inbox, channel: .messaging, at: 2_200, receivedAt: 2_300), me: Self.me)
        #expect(s.owner == .otherApp(Self.inbox), "the pass back may be older than this app's pass")
        s.observe(.userEvent(channel: .messaging, at: 2_250, receivedAt: 2_350), me: Self.me)
        #expect(policy.route(text: "hello", payload: nil, timestamp: 2_250, state: s, now: 2_400) == .lookUpOwnerFirst)
        // Meta says the Inbox has it: heard, not answered.
        s.observe(.ownerLookedUp(Self.inbox, expiresAt: nil), me: Self.me)
        #expect(policy.route(text: "hello", payload: nil, timestamp: 2_250, state: s, now: 2_400) == .stayQuiet(.anotherAppOwnsThread))
        // Had Meta said this app owns it (the pass back came after all), the bot answers.
        var back = s
        back.observe(.ownerLookedUp(Self.me, expiresAt: nil), me: Self.me)
        #expect(policy.route(text: "hello", payload: nil, timestamp: 2_250, state: back, now: 2_400) == .answer)
        // A change newer than this app's pass (another take by the Inbox) ends the doubt.
        s.observe(.taken(newOwner: Self.inbox, previousOwner: nil, channel: .messaging, at: 3_000, receivedAt: 3_010), me: Self.me)
        #expect(s.ownChangeContested == nil)
        s.observe(.passed(newOwner: Self.me, previousOwner: Self.inbox, channel: .messaging, at: 3_100, receivedAt: 3_110), me: Self.me)
        #expect(s.owner == .thisApp)
    }

    @Test func aPassBackWithoutAnEarlierTurnOfTheInboxStillGivesTheThreadBack() {
        var s = state(.thisApp)
        s.observe(.userEvent(channel: .messaging, at: 1_100, receivedAt: 1_100), me: Self.me)
        s.observe(.wePassedControl(to: Self.inbox, at: 2_000, acceptedAt: 2_000), me: Self.me)
        // A message routed before the pass, recorded before the acceptance: stale, but not a control change.
        s.observe(.userEvent(channel: .standby, at: 1_500, receivedAt: 1_900), me: Self.me)
        #expect(s.ownChangeContested == nil)
        s.observe(.passed(newOwner: Self.me, previousOwner: Self.inbox, channel: .messaging, at: 2_200, receivedAt: 2_300), me: Self.me)
        #expect(s.owner == .thisApp)
    }

    @Test func aMessageInFlightDuringAnEscalationGetsNoBotReply() {
        var s = state(.thisApp)
        s.pendingEscalation = Escalation(reason: "detector", score: 1)
        // "I want a human" at 1000; our pass accepted at 2000; "hello?" sent at 1800 on
        // messaging (we still owned the thread then), recorded at 2100.
        s.observe(.wePassedControl(to: Self.inbox, at: 2_000, acceptedAt: 2_000), me: Self.me)
        s.observe(.userEvent(channel: .messaging, at: 1_800, receivedAt: 2_100), me: Self.me)
        #expect(s.owner == .otherApp(Self.inbox))
        #expect(policy.route(text: "hello?", payload: nil, timestamp: 1_800, state: s, now: 2_200) == .stayQuiet(.anotherAppOwnsThread))
        // The same millisecond as the acceptance: routed under the old owner too.
        s.observe(.userEvent(channel: .messaging, at: 2_000, receivedAt: 2_150), me: Self.me)
        #expect(s.owner == .otherApp(Self.inbox))
        // The Inbox passes control back later: that moves it.
        s.observe(.passed(newOwner: Self.me, previousOwner: Self.inbox, channel: .messaging, at: 3_000, receivedAt: 3_010), me: Self.me)
        #expect(s.owner == .thisApp)
    }

    @Test func anEventChangeAtTheSameMillisecondAsTheLastEventChangeStillCounts() {
        var s = state(.thisApp)
        s.observe(.taken(newOwner: Self.inbox, previousOwner: Self.me, channel: .messaging, at: 5_000), me: Self.me)
        s.observe(.passed(newOwner: Self.me, previousOwner: Self.inbox, channel: .messaging, at: 5_000), me: Self.me)
        #expect(s.owner == .thisApp)
    }

    @Test func receivingAControlRequestProvesOwnership() {
        var s = state(.otherApp(nil))
        s.observe(.controlRequested(at: 10, receivedAt: 11), me: Self.me)
        #expect(s.owner == .thisApp)
        // A request routed before our later pass does not move control back.
        var passed = state(.thisApp)
        passed.observe(.wePassedControl(to: Self.inbox, at: 100, acceptedAt: 100), me: Self.me)
        passed.observe(.controlRequested(at: 50, receivedAt: 90), me: Self.me)
        #expect(passed.owner == .otherApp(Self.inbox))
        #expect(!passed.isCurrent(50, receivedAt: 90))
    }

    @Test func threadOwnerAnswersFollowConversationRouting() {
        var s = state(.unknown)
        s.observe(.ownerAnswered(.anotherApp(expiresAt: 9_000)), me: Self.me)
        #expect(s.owner == .otherApp(nil))
        #expect(s.controlExpiresAt == 9_000)
        s.observe(.ownerAnswered(.app(Self.me, expiresAt: 8_000)), me: Self.me)
        #expect(s.owner == .thisApp)
        s.observe(.ownerAnswered(.idle), me: Self.me)
        #expect(s.owner == .idle)
        var known = state(.otherApp(Self.inbox))
        known.observe(.ownerAnswered(.anotherApp(expiresAt: nil)), me: Self.me)
        #expect(known.owner == .otherApp(Self.inbox))
    }

    @Test func onlyTheDefaultAppSpeaksFirstIntoAnIdleThread() {
        let idle = state(.idle)
        #expect(policy.route(text: "hi", payload: nil, timestamp: 1, state: idle, now: 1, isDefaultApp: true) == .answer)
        #expect(policy.route(text: "hi", payload: nil, timestamp: 1, state: idle, now: 1, isDefaultApp: false) == .stayQuiet(.idleNotDefaultApp))
        #expect(!ThreadOwner.idle.botMaySpeak(isDefaultApp: false))
        #expect(ThreadOwner.thisApp.botMaySpeak(isDefaultApp: false))
    }

    @Test func aPendingEscalationKeepsTheBotQuiet() {
        var s = state(.thisApp)
        s.pendingEscalation = Escalation(reason: "detector", score: 1)
        #expect(policy.route(text: "hello?", payload: nil, timestamp: 1, state: s, now: 1) == .stayQuiet(.escalationPending))
        s.observe(.wePassedControl(to: Self.inbox, at: 5, acceptedAt: 5), me: Self.me)
        #expect(s.pendingEscalation == nil)
        #expect(s.escalationFailures == nil)
    }

    @Test func releaseWhenDoneAndExtendForLongFlows() {
        var settings = policy.settings
        settings.releaseWhenDone = true
        settings.doneKeywords = ["thanks", "bye"]
        settings.extendControlSeconds = 7 * 24 * 3600
        let rules = ConversationPolicy(settings: settings)
        var s = state(.thisApp)
        s.controlExpiresAt = 1_000 + ThreadState.controlTimeoutMilliseconds
        #expect(rules.afterAnswer(text: "Thanks a lot!", state: s, now: 1_000) == [.releaseControl])
        #expect(rules.afterAnswer(text: "and my order?", state: s, now: 1_000) == [.extendControl(seconds: 7 * 24 * 3600)])
        s.controlExpiresAt = 1_000 + 7 * 24 * 3600 * 1000
        #expect(rules.afterAnswer(text: "and my order?", state: s, now: 1_000).isEmpty)
        #expect(policy.afterAnswer(text: "thanks", state: s, now: 1_000).isEmpty)
    }

    static let extremes: [Int64] = [.min, .min + 1, -1, 0, 1, 1_700_000_000_000, .max - 1, .max]

    @Test(arguments: extremes)
    func noTimestampCanMakeATransitionOrARouteTrap(_ first: Int64) {
        for second in Self.extremes {
            var s = state(.unknown)
            s.observe(.userEvent(channel: .messaging, at: first, receivedAt: second), me: Self.me)
            s.observe(.weTookControl(at: second, acceptedAt: first), me: Self.me)
            s.observe(.passed(newOwner: Self.inbox, previousOwner: Self.me, channel: .standby, at: second, receivedAt: first), me: Self.me)
            s.observe(.echo(appID: Self.inbox, channel: .standby, at: first), me: Self.me)
            s.observe(.ownerAnswered(.app(Self.me, expiresAt: second)), me: Self.me)
            s.observe(.clock(now: first), me: Self.me)
            s.lastUserMessageAt = first
            #expect(s.lastEventAt == max(first, second))
            let route = policy.route(text: "hi", payload: nil, timestamp: second, state: s, now: first)
            // Outside the window exactly when the message is more than a day older than now.
            let late = Double(first) - Double(second) > Double(policy.settings.messagingWindowMilliseconds)
            #expect((route == .stayQuiet(.outsideWindow)) == late, "now \(first), sent \(second): \(route)")
            _ = policy.afterAnswer(text: "hi", state: s, now: second)
        }
    }

    @Test func saturatingArithmeticStopsAtTheEnds() {
        #expect(Int64.max.addingSaturated(1) == .max)
        #expect(Int64.min.addingSaturated(-1) == .min)
        #expect(Int64.min.subtractingSaturated(1) == .min)
        #expect(Int64.max.subtractingSaturated(-1) == .max)
        #expect(Int64(0).subtractingSaturated(.min) == .max)
        #expect(Int64.max.multipliedSaturated(by: 1000) == .max)
        #expect(Int64.min.multipliedSaturated(by: 1000) == .min)
        #expect(Int64(-5).multipliedSaturated(by: -3) == 15)
        #expect(Int64(clamping: Double.nan) == 0)
        #expect(Int64(clamping: Double.infinity) == .max)
        #expect(Int64(clamping: -1e300) == .min)
        #expect(Int64(clamping: 12.9) == 12)
    }
}
