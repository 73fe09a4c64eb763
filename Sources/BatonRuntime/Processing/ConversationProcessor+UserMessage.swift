import BatonCore
import BatonSkills
import BatonStore
import Logging

extension ConversationProcessor {
    /// Routes a user message (text, quick reply or postback): stays quiet, takes control
    /// back, or asks the skills and answers, falls back or escalates.
    ///
    /// - Parameter heard: the message was already heard (on `standby`) and is in the
    ///   recent turns; it is answered now that the thread was handed here.
    func handleUserMessage(
        _ context: EventContext, text: String?, payload: String?, now: Int64, decision: inout Decision,
        input makeInput: (ThreadState, Double?) -> SkillInput, mid: String?, heard: Bool = false, logger: Logger
    ) async {
        let at = context.at
        decision.state.observe(.userEvent(channel: context.event.channel, at: at, receivedAt: context.receivedAt), me: me)
        // Seconds since the previous message; clamped, since timestamps arrive in any order.
        let gap = decision.state.lastUserMessageAt.map { Double(max(0, at.subtractingSaturated($0))) / 1000 }
        decision.state.lastUserMessageAt = max(decision.state.lastUserMessageAt ?? at, at)
        if !heard { decision.state.remember(Turn(from: .user, text: text ?? payload ?? "[attachment]", timestamp: at, mid: mid)) }

        guard let takeBack = await route(text: text, payload: payload, mid: mid, at: at, now: now, decision: &decision) else { return }
        decision.state.markHandled(mid: mid)
        if let keyword = takeBack {
            decision.actions.append(.takeControl(metadata: Self.json(["reason": "take_back_keyword", "keyword": keyword])))
            decision.tookBack = keyword
            decision.state.ownershipStartedAt = at
        }

        // Skills run in this process: one that crashes takes the process with it. The
        // attempt is counted durably first, so a crash loop in skills is told apart from
        // one elsewhere when the event is quarantined.
        _ = try? await store.beginSkillAttempt(context.eventID)
        let input = makeInput(decision.state, gap)
        let verdicts = await skills.detect(input)
        if let escalation = policy.escalation(from: verdicts, handedOffBy: decision.state.handedOffBy) {
            escalate(
                escalation, decision: &decision, handingOff: HandOff.Message(mid: input.message.mid, text: text, payload: payload, timestamp: at))
            return
        }
        if let (skill, message) = await skills.respond(input) {
            _ = policy.afterResponders(answered: true, state: &decision.state)
            decision.actions.append(.send(message, purpose: .reply))
            decision.state.remember(Turn(from: .bot, text: message.text ?? "[attachment]", timestamp: at))
            decision.outcome = .replied(skill: skill)
            decision.actions += policy.afterAnswer(text: text ?? payload, state: decision.state, now: now).map { action in
                // A conversation another bot handed here goes back to it when done.
                guard action == .releaseControl, let origin = decision.state.handedOffBy else { return action }
                let handOff = HandOff(from: appName, fromAppID: me, reason: "done", message: nil, handled: decision.state)
                return .passControl(to: origin, metadata: handOff.metadata)
            }
            return
        }
        switch policy.afterResponders(answered: false, state: &decision.state) {
        case .reply:
            break
        case .fallback:
            decision.actions.append(.send(.text(policy.settings.fallbackMessage), purpose: .fallback))
            decision.outcome = .fellBack(count: decision.state.consecutiveFallbacks, limit: policy.settings.maxFallbacks)
        case .escalate(let escalation):
            escalate(escalation, decision: &decision)
        }
    }

    /// Routes the message before any skill runs.
    /// - Returns: nil when the bot stays quiet (the outcome says why); `.some(keyword)` when
    ///   it takes control back first; `.some(nil)` when it answers.
    private func route(text: String?, payload: String?, mid: String?, at: Int64, now: Int64, decision: inout Decision) async -> String?? {
        let page = decision.state.key.page
        func decideRoute(_ state: ThreadState) -> MessageRoute {
            policy.route(text: text, payload: payload, timestamp: at, state: state, now: now, isDefaultApp: isDefaultApp(page))
        }
        var route = decideRoute(decision.state)
        if route == .lookUpOwnerFirst {
            await outbox.lookUpOwner(&decision.state)
            route = decideRoute(decision.state)
            if route == .lookUpOwnerFirst { route = .stayQuiet(.anotherAppOwnsThread) }
        }
        switch route {
        case .stayQuiet(let reason):
            switch reason {
            case .anotherAppOwnsThread:
                decision.state.standbyMessages = decision.state.standbyMessages.addingSaturated(1)
                if case .otherApp(let owner) = decision.state.owner { decision.state.markHeard(mid: mid, while: owner) }
            case .outsideWindow:
                metrics.increment(.messagesOutsideWindow)
            case .escalationPending, .idleNotDefaultApp, .answeredOnHandOff:
                break
            }
            decision.outcome = .quiet(reason, owner: decision.state.owner, escalation: decision.state.pendingEscalation?.reason)
            return nil
        case .takeBackAndAnswer(let keyword):
            return .some(keyword)
        case .answer, .lookUpOwnerFirst:
            return .some(nil)
        }
    }
}
