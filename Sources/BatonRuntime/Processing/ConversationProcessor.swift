import BatonCore
import BatonGraph
import BatonSkills
import BatonStore
import Foundation
import Logging

/// Turns one thread's stored events into decisions, one event at a time: it updates the
/// thread-control state, asks the skills, and commits the decision with the Graph calls it
/// needs; ``OutboxRunner`` then carries those calls out before the next event.
public final class ConversationProcessor: Sendable {
    let store: any BatonStore
    let policy: ConversationPolicy
    let skills: SkillSet
    let outbox: OutboxRunner
    let metrics: RuntimeMetrics
    let logger: Logger
    let clock: @Sendable () -> Int64

    var me: AppID { policy.settings.me }

    public init(
        store: any BatonStore, policy: ConversationPolicy, skills: SkillSet, outbox: OutboxRunner,
        metrics: RuntimeMetrics, logger: Logger, clock: @escaping @Sendable () -> Int64 = ConversationProcessor.wallClock
    ) {
        self.store = store
        self.policy = policy
        self.skills = skills
        self.outbox = outbox
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Milliseconds since 1970 by the system clock.
    public static let wallClock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Process deaths while skills handle one message after which its skills are skipped
    /// and the conversation escalates (reason `skill_crash`).
    public static let maxSkillAttempts = 3

    /// Processes everything pending for a thread: first unfinished Graph calls, then each
    /// unprocessed event in timestamp order, each followed by its Graph calls.
    public func processPending(_ thread: ThreadKey) async {
        var logger = logger
        logger[metadataKey: "page"] = "\(thread.page)"
        logger[metadataKey: "thread"] = "\(thread.user)"
        do {
            try await outbox.run(thread)
            while !Task.isCancelled, let stored = try await store.nextPendingEvent(in: thread) {
                let step = await decide(stored, logger: logger)
                // Cancelled while deciding (a shutdown past its grace period): skill calls
                // may have been cut short, so the event stays pending for the next start.
                if Task.isCancelled { return }
                try await store.commit(step)
                metrics.increment("baton_events_processed_total", [("kind", stored.event.kind)])
                logger.debug("event processed", metadata: ["event": "\(stored.event.kind)", "decision": "\(step.outcome)"])
                try await outbox.run(thread)
            }
        } catch {
            logger.error("thread processing stopped; it resumes with the next event or restart", metadata: ["error": "\(error)"])
        }
    }

    /// Decides what one event means for its thread.
    func decide(_ stored: StoredEvent, logger: Logger) async -> ProcessingStep {
        let thread = stored.event.thread
        var state: ThreadState
        do { state = try await store.threadState(thread) ?? ThreadState(key: thread) } catch {
            state = ThreadState(key: thread)
        }
        if stored.event.channel == "ignored" {
            let reason = (try? JSONSerialization.jsonObject(with: Data(stored.event.rawJSON.utf8)) as? [String: Any])?["reason"]
            return ProcessingStep(eventID: stored.id, state: state, outcome: "ignored: \(reason ?? "not an event")", actions: [])
        }
        guard let event = Self.reparse(stored) else {
            return ProcessingStep(eventID: stored.id, state: state, outcome: "ignored: unreadable event", actions: [])
        }
        let now = max(clock(), event.timestamp)
        state.observe(.clock(now: now), me: me)
        var decision = Decision(state: state)

        switch event.kind {
        case .message(let message):
            let text = message.text
            await handleUserMessage(
                event, eventID: stored.id, text: text, payload: message.quickReplyPayload, now: now, decision: &decision,
                input: { state, gap in
                    Self.skillInput(event: event, message: message, postback: nil, state: state, gap: gap)
                }, logger: logger)
        case .postback(let postback):
            await handleUserMessage(
                event, eventID: stored.id, text: postback.title, payload: postback.payload, now: now, decision: &decision,
                input: { state, gap in
                    Self.skillInput(event: event, message: nil, postback: postback, state: state, gap: gap)
                }, logger: logger)
        case .echo(let echo):
            decision.state.observe(.echo(appID: echo.appID, channel: event.channel, at: event.timestamp), me: me)
            if echo.appID != me, let text = echo.text {
                decision.state.remember(Turn(from: .agent, text: text, timestamp: event.timestamp))
            }
            decision.outcome = echo.appID == me ? "echo of own message" : "echo from app \(echo.appID?.rawValue ?? "?")"
        case .passThreadControl(let newOwner, let previousOwner, _):
            decision.state.observe(
                .passed(newOwner: newOwner, previousOwner: previousOwner, channel: event.channel, at: event.timestamp), me: me)
            decision.outcome = "control passed to \(decision.state.owner)"
        case .takeThreadControl(let previousOwner, let newOwner, _):
            decision.state.observe(
                .taken(newOwner: newOwner, previousOwner: previousOwner, channel: event.channel, at: event.timestamp), me: me)
            decision.outcome = "control taken: owner is \(decision.state.owner)"
        case .requestThreadControl(let requester, _):
            switch policy.controlRequested(by: requester, state: decision.state) {
            case .pass(let target):
                decision.actions.append(
                    .passControl(to: target, metadata: #"{"reason":"control_request"}"#))
                decision.outcome = "control request from \(requester?.rawValue ?? "?"): granted"
            case .ignore:
                decision.outcome = "control request from \(requester?.rawValue ?? "?"): ignored"
            }
        case .delivery, .read, .referral, .optin:
            decision.state.observe(.userEvent(channel: event.channel, at: event.timestamp), me: me)
            decision.outcome = "recorded"
        case .appRoles, .unknown:
            decision.outcome = "ignored: \(event.kind.name)"
        }
        return ProcessingStep(eventID: stored.id, state: decision.state, outcome: decision.outcome, actions: decision.actions)
    }

    /// The decision being built for one event.
    struct Decision {
        var state: ThreadState
        var actions: [PlannedAction] = []
        var outcome = ""
    }

    private func handleUserMessage(
        _ event: WebhookEvent, eventID: Int64, text: String?, payload: String?, now: Int64, decision: inout Decision,
        input makeInput: (ThreadState, Double?) -> SkillInput, logger: Logger
    ) async {
        decision.state.observe(.userEvent(channel: event.channel, at: event.timestamp), me: me)
        let gap = decision.state.lastUserMessageAt.map { Double(event.timestamp - $0) / 1000 }
        decision.state.lastUserMessageAt = max(decision.state.lastUserMessageAt ?? event.timestamp, event.timestamp)
        decision.state.remember(Turn(from: .user, text: text ?? payload ?? "[attachment]", timestamp: event.timestamp))

        var route = policy.route(text: text, payload: payload, timestamp: event.timestamp, state: decision.state, now: now)
        if route == .lookUpOwnerFirst {
            await outbox.lookUpOwner(&decision.state, at: event.timestamp)
            route = policy.route(text: text, payload: payload, timestamp: event.timestamp, state: decision.state, now: now)
            if route == .lookUpOwnerFirst { route = .stayQuiet(.anotherAppOwnsThread) }
        }

        switch route {
        case .stayQuiet(let reason):
            switch reason {
            case .anotherAppOwnsThread:
                decision.state.standbyMessages += 1
                decision.outcome = "quiet: \(decision.state.owner) owns the thread"
            case .outsideWindow:
                metrics.increment("baton_messages_outside_window_total")
                decision.outcome = "quiet: outside the 24-hour window"
            }
            return
        case .takeBackAndAnswer(let keyword):
            decision.actions.append(.takeControl(metadata: Self.json(["reason": "take_back_keyword", "keyword": keyword])))
            decision.outcome = "take back (keyword \(keyword)); "
        case .answer, .lookUpOwnerFirst:
            break
        }

        // Skills run in this process: one that crashes takes the process with it, and the
        // message would crash it again at every start. Count the attempts durably before
        // the skills run; past the limit, hand the conversation to a person instead.
        if let attempt = try? await store.beginSkillAttempt(eventID), attempt > Self.maxSkillAttempts {
            metrics.increment("baton_skill_crash_loops_total")
            logger.error(
                "the process stopped while skills handled this message, \(attempt - 1) times: skills are skipped for it",
                metadata: ["event": "\(eventID)"])
            escalate(
                Escalation(reason: "skill_crash", score: 1, detail: "the process died \(attempt - 1) times while skills ran"),
                decision: &decision)
            return
        }
        let input = makeInput(decision.state, gap)
        let verdicts = await skills.detect(input)
        if let escalation = policy.escalation(from: verdicts) {
            escalate(escalation, decision: &decision)
            return
        }
        if let (skill, reply) = await skills.respond(input) {
            _ = policy.afterResponders(answered: true, state: &decision.state)
            let message = Self.replyMessage(reply)
            decision.actions.append(.send(message, purpose: "reply"))
            decision.state.remember(Turn(from: .bot, text: message.text ?? "[attachment]", timestamp: event.timestamp))
            decision.outcome += "reply by \(skill)"
            return
        }
        switch policy.afterResponders(answered: false, state: &decision.state) {
        case .reply:
            break
        case .fallback:
            decision.actions.append(.send(.text(policy.settings.fallbackMessage), purpose: "fallback"))
            decision.outcome += "fallback \(decision.state.consecutiveFallbacks) of \(policy.settings.maxFallbacks)"
        case .escalate(let escalation):
            escalate(escalation, decision: &decision)
        }
    }

    private func escalate(_ escalation: Escalation, decision: inout Decision) {
        decision.state.pendingEscalation = escalation
        decision.actions.append(.send(.text(policy.settings.handoverMessage), purpose: "handover"))
        decision.actions.append(
            .passControl(to: policy.settings.agentAppID, metadata: Self.handoverMetadata(escalation, state: decision.state)))
        let by = escalation.skill.map { " by \($0)" } ?? ""
        decision.outcome += "escalate: \(escalation.reason) (score \(escalation.score)\(by)) to app \(policy.settings.agentAppID)"
    }
}
