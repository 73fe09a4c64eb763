import BatonCore
import BatonSkills
import BatonStore
import Foundation
import Logging

extension ConversationProcessor {
    /// Decides what one event means for its thread.
    /// - Throws: a storage error when the thread's state cannot be read: the event waits
    ///   and is tried again, never decided on a blank state.
    func decide(_ stored: StoredEvent, logger: Logger) async throws(StoreError) -> ProcessingStep {
        let thread = stored.event.thread
        let state = try await store.threadState(thread) ?? ThreadState(key: thread)
        let event: WebhookEvent
        switch stored.event.content {
        case .ignored(let item):
            return ProcessingStep(eventID: stored.id, state: state, outcome: .ignored(item.reason), actions: [])
        case .event(let parsed):
            event = parsed
        }
        let received = stored.receivedAt ?? clock()
        let context = EventContext(
            event: event, eventID: stored.id, at: Self.believableTimestamp(event.timestamp, receivedAt: received),
            receivedAt: stored.receivedAt)
        let now = max(clock(), context.at)
        var decision = Decision(state: state)
        decision.state.observe(.clock(now: now), me: me)
        await apply(context, now: now, decision: &decision, logger: logger)
        return ProcessingStep(eventID: stored.id, state: decision.state, outcome: decision.finalOutcome, actions: decision.actions)
    }

    /// One event with what the decision needs to know about it.
    struct EventContext {
        var event: WebhookEvent
        var eventID: Int64
        /// The event's timestamp as Baton believes it (see ``believableTimestamp(_:receivedAt:)``).
        var at: Int64
        /// When this machine recorded it.
        var receivedAt: Int64?
    }

    /// A timestamp for thread control: Meta's own, unless it lies outside what can be true
    /// (before 1970, or more than a day after the event was recorded), then the time it was
    /// recorded. An absurd value must neither trap nor freeze the thread's control for ever.
    static func believableTimestamp(_ timestamp: Int64, receivedAt: Int64) -> Int64 {
        let latest = receivedAt.addingSaturated(ThreadState.controlTimeoutMilliseconds)
        return (0...max(0, latest)).contains(timestamp) ? timestamp : max(0, receivedAt)
    }

    private func apply(_ context: EventContext, now: Int64, decision: inout Decision, logger: Logger) async {
        let event = context.event
        let (at, receivedAt) = (context.at, context.receivedAt)
        switch event.kind {
        case _ where event.kind.tag.isUserMessage
            && Self.handledBeforeHandOff(event.kind.mid, channel: event.channel, at: at, state: decision.state):
            // This app's own copy of a message the bot that handed the thread here handled.
            decision.state.observe(.userEvent(channel: event.channel, at: at, receivedAt: receivedAt), me: me)
            decision.outcome = .quiet(.answeredOnHandOff, owner: decision.state.owner)
        case .message(let message):
            Self.injectFault(message.text)
            await handleUserMessage(
                context, text: message.text, payload: message.quickReplyPayload, now: now, decision: &decision,
                input: { state, gap in Self.skillInput(event: event, message: message, postback: nil, state: state, gap: gap) },
                mid: message.mid, logger: logger)
        case .postback(let postback):
            await handleUserMessage(
                context, text: postback.title, payload: postback.payload, now: now, decision: &decision,
                input: { state, gap in Self.skillInput(event: event, message: nil, postback: postback, state: state, gap: gap) },
                mid: postback.mid, logger: logger)
        case .echo(let echo):
            decision.state.observe(.echo(appID: echo.appID, channel: event.channel, at: at, receivedAt: receivedAt), me: me)
            if echo.appID != me, let text = echo.text {
                decision.state.remember(Turn(from: .agent, text: text, timestamp: at))
            }
            decision.outcome = .echo(from: echo.appID, own: echo.appID == me)
        case .passThreadControl(let newOwner, let previousOwner, let metadata):
            decision.state.observe(
                .passed(newOwner: newOwner, previousOwner: previousOwner, channel: event.channel, at: at, receivedAt: receivedAt),
                me: me)
            if newOwner == me, decision.state.owner == .unknown {
                // The pass's time cannot tell whether it is current: ask Meta who owns the thread.
                await outbox.lookUpOwner(&decision.state)
            }
            decision.outcome = .controlMoved(by: .passThreadControl, owner: decision.state.owner)
            await receivedPass(context, metadata: metadata, now: now, decision: &decision, logger: logger)
        case .takeThreadControl(let previousOwner, let newOwner, _):
            decision.state.observe(
                .taken(newOwner: newOwner, previousOwner: previousOwner, channel: event.channel, at: at, receivedAt: receivedAt),
                me: me)
            decision.outcome = .controlMoved(by: .takeThreadControl, owner: decision.state.owner)
        case .requestThreadControl(let requester, _):
            controlRequested(by: requester, context: context, decision: &decision)
        case .delivery, .read, .referral, .optin:
            decision.state.observe(.userEvent(channel: event.channel, at: at, receivedAt: receivedAt), me: me)
            decision.outcome = .recorded
        case .appRoles, .unknown:
            decision.outcome = .ignored(event.kind.name)
        }
    }

    /// Whether a user message is one the bot that handed the thread here already handled:
    /// the message it carried, or a `standby` copy from before its decision.
    static func handledBeforeHandOff(_ mid: String?, channel: WebhookChannel, at: Int64, state: ThreadState) -> Bool {
        if let mid, mid == state.answeredOnHandOff { return true }
        return channel == .standby && state.handledBeforeHandOff(mid: mid)
    }

    /// A pass that gave this app the thread: when another Baton-hosted bot handed the
    /// conversation over, remember it (for `escalate_to: back`), answer the message it
    /// carries, once, and the messages this app heard on `standby` after the sender's
    /// decision (the sender stayed quiet on them, its pass pending). Any other pass to
    /// this app forgets where the thread came from.
    private func receivedPass(_ context: EventContext, metadata: String?, now: Int64, decision: inout Decision, logger: Logger) async {
        guard decision.state.owner == .thisApp, case .passThreadControl(let newOwner, _, _) = context.event.kind, newOwner == me else { return }
        guard let handOff = HandOff.parse(metadata), handOff.fromAppID != me else {
            decision.state.handedOffBy = nil
            decision.state.ownershipStartedAt = context.at
            return
        }
        decision.state.handedOffBy = handOff.fromAppID
        decision.state.handOffHandled = handOff.handled
        // What this app heard on standby while the sender had the thread, and the sender did
        // not handle (it stayed quiet, its pass pending), oldest first.
        let carriedMID = handOff.message?.mid
        let heardSince = decision.state.recentTurns.filter { turn in
            guard turn.from == .user, turn.heardOnStandby == true, turn.handled != true, turn.mid != carriedMID else { return false }
            guard turn.heardWhile == nil || turn.heardWhile == handOff.fromAppID else { return false }
            if let since = handOff.ownedSince, turn.timestamp < since { return false }
            return !decision.state.handledBeforeHandOff(mid: turn.mid)
        }
        let responsibleFrom = ([context.at, handOff.message?.timestamp].compactMap { $0 } + heardSince.map(\.timestamp)).min()
        decision.state.ownershipStartedAt = responsibleFrom
        let event = context.event
        // Each message is handled at its own time, so what this app says it handled stays true.
        func at(_ timestamp: Int64?) -> EventContext {
            var moved = context
            moved.at = timestamp.map { min($0, context.at) } ?? context.at
            return moved
        }
        if let message = handOff.message, message.mid != decision.state.answeredOnHandOff {
            decision.state.answeredOnHandOff = message.mid
            metrics.increment(.handOffsReceived, [.reason: handOff.reason])
            // This app's own copy, when it heard one, has the whole text (the metadata may cut it).
            let own = decision.state.recentTurns.last { $0.from == .user && $0.mid == message.mid }
            let text = own?.text ?? message.text
            let carried = UserMessage(mid: message.mid, text: text, quickReplyPayload: message.payload)
            let heard = own != nil
            await handleUserMessage(
                at(message.timestamp), text: text, payload: message.payload, now: now, decision: &decision,
                input: { state, gap in Self.skillInput(event: event, message: carried, postback: nil, state: state, gap: gap) },
                mid: message.mid, heard: heard, logger: logger)
        }
        for turn in heardSince.sorted(by: { $0.timestamp < $1.timestamp }) {
            let heard = UserMessage(mid: turn.mid ?? "heard:\(turn.timestamp)", text: turn.text)
            await handleUserMessage(
                at(turn.timestamp), text: turn.text, payload: nil, now: now, decision: &decision,
                input: { state, gap in Self.skillInput(event: event, message: heard, postback: nil, state: state, gap: gap) },
                mid: turn.mid, heard: true, logger: logger)
        }
        decision.outcome = .handedOff(from: handOff.fromAppID, then: decision.outcome)
    }

    /// Meta delivers `request_thread_control` to the thread's owner only: receiving it
    /// proves this app owns the thread, whatever the cache said. A request routed before a
    /// later change of control is stale and ignored.
    private func controlRequested(by requester: AppID?, context: EventContext, decision: inout Decision) {
        guard decision.state.isCurrent(context.at, receivedAt: context.receivedAt) else {
            decision.outcome = .controlRequest(from: requester, answer: .stale)
            return
        }
        decision.state.observe(.controlRequested(at: context.at, receivedAt: context.receivedAt), me: me)
        switch policy.controlRequested(by: requester, state: decision.state) {
        case .pass(let target):
            decision.actions.append(.passControl(to: target, metadata: #"{"reason":"control_request"}"#))
            decision.outcome = .controlRequest(from: requester, answer: .granted)
        case .ignore:
            decision.outcome = .controlRequest(from: requester, answer: .ignored)
        }
    }

    /// A fault-injection switch for tests of the quarantine: in debug builds only, a user
    /// message whose text equals `BATON_FAULT_CRASH_ON_TEXT` stops the process in the core
    /// (not in a skill). Release builds do not have it.
    static func injectFault(_ text: String?) {
        #if DEBUG
        if let text, let poison = ProcessInfo.processInfo.environment["BATON_FAULT_CRASH_ON_TEXT"], !poison.isEmpty,
            text == poison
        {
            fatalError("fault injection: BATON_FAULT_CRASH_ON_TEXT matched a message")
        }
        #endif
    }
}
