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
    let isDefaultApp: @Sendable (PageID) -> Bool
    /// The hosted app's name, for the pass metadata (`from`).
    let appName: String

    var me: AppID { policy.settings.me }

    /// - Parameters:
    ///   - isDefaultApp: whether this app is the Page's Conversation Routing default app
    ///     (only the default app may speak first into an idle thread).
    public init(
        store: any BatonStore, policy: ConversationPolicy, skills: SkillSet, outbox: OutboxRunner,
        metrics: RuntimeMetrics, logger: Logger, clock: @escaping @Sendable () -> Int64 = ConversationProcessor.wallClock,
        isDefaultApp: @escaping @Sendable (PageID) -> Bool = { _ in true }, appName: String = HostedApp.singleAppName
    ) {
        self.appName = appName
        self.store = store
        self.policy = policy
        self.skills = skills
        self.outbox = outbox
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.isDefaultApp = isDefaultApp
    }

    /// Milliseconds since 1970 by the system clock.
    public static let wallClock: @Sendable () -> Int64 = { Int64(clamping: Date().timeIntervalSince1970 * 1000) }

    /// Process deaths while skills handle one message after which its skills are skipped
    /// and the conversation escalates (reason `skill_crash`).
    public static let maxSkillAttempts = 3

    /// Processing attempts of one event that may begin without finishing (the process died
    /// each time) before the event is quarantined: set aside, so that no event, whatever
    /// the cause, can make a crash loop.
    public static let maxProcessingAttempts = 3

    /// Processes everything pending for a thread: first unfinished Graph calls, then each
    /// unprocessed event in timestamp order, each followed by its Graph calls. A storage
    /// error stops the thread; it resumes with its next event, the sweep or a restart.
    public func processPending(_ thread: ThreadKey) async {
        var logger = logger
        logger[metadataKey: "page"] = "\(thread.page)"
        logger[metadataKey: "thread"] = "\(thread.user)"
        do {
            try await outbox.run(thread)
            while !Task.isCancelled, let stored = try await store.nextPendingEvent(in: thread) {
                // Counted durably before anything else happens to the event: a process that
                // dies on it (in the core or in a skill) cannot do so for ever.
                let attempts = try await store.beginProcessing(stored.id)
                let step =
                    attempts.processing > Self.maxProcessingAttempts
                    ? try await quarantine(stored, attempts: attempts, logger: logger)
                    : try await decide(stored, logger: logger)
                // Cancelled while deciding (a shutdown past its grace period): skill calls
                // may have been cut short, so the event stays pending for the next start.
                if Task.isCancelled {
                    try? await store.abandonProcessing(stored.id)
                    return
                }
                try await store.commit(step)
                metrics.increment(.eventsProcessed, [.kind: stored.event.kind.rawValue])
                logger.debug("event processed", metadata: ["event": "\(stored.event.kind)", "decision": "\(step.outcome)"])
                try await outbox.run(thread)
            }
        } catch {
            logger.error("thread processing stopped; it resumes with the next event, the sweep or a restart", metadata: ["error": "\(error)"])
        }
    }

    /// Sets aside an event whose processing kept killing the process. It is kept (listed by
    /// ``BatonStore/quarantined()``); a user message among them hands the conversation to a
    /// human, the safe side. Uses nothing of the event but its kind, channel and time:
    /// anything more may be what crashes.
    func quarantine(_ stored: StoredEvent, attempts: ProcessingAttempts, logger: Logger) async throws(StoreError) -> ProcessingStep {
        let thread = stored.event.thread
        let state = try await store.threadState(thread) ?? ThreadState(key: thread)
        let deaths = attempts.processing - 1
        let inSkills = attempts.skills >= deaths
        metrics.increment(.eventsQuarantined, [.kind: stored.event.kind.rawValue])
        logger.error(
            "event quarantined: its processing began \(deaths) times without finishing; the thread goes on without it",
            metadata: ["event": "\(stored.id)", "key": "\(stored.event.dedupeKey)", "kind": "\(stored.event.kind)"])
        var decision = Decision(state: state)
        let userMessage = stored.event.kind.isUserMessage
        if userMessage, let channel = stored.event.channel {
            let at = Self.believableTimestamp(stored.event.timestamp, receivedAt: stored.receivedAt ?? clock())
            decision.state.observe(.userEvent(channel: channel, at: at, receivedAt: stored.receivedAt), me: me)
        }
        if userMessage, decision.state.owner.botMaySpeak(isDefaultApp: isDefaultApp(thread.page)) || decision.state.owner == .unknown {
            let escalation =
                inSkills
                ? Escalation(reason: .skillCrash, score: 1, detail: "the process died \(deaths) times while skills ran")
                : Escalation(reason: .quarantined, score: 1, detail: "the process died \(deaths) times handling this message")
            if inSkills { metrics.increment(.skillCrashLoops) }
            escalate(escalation, decision: &decision)
        }
        return ProcessingStep(
            eventID: stored.id, state: decision.state,
            outcome: .quarantined(attempts: deaths, then: decision.actions.isEmpty ? nil : decision.finalOutcome),
            actions: decision.actions, quarantined: true)
    }

    /// The decision being built for one event.
    struct Decision {
        var state: ThreadState
        var actions: [PlannedAction] = []
        var outcome: DecisionOutcome = .recorded
        /// The take-back keyword, when the bot takes control back before answering.
        var tookBack: String?

        /// The outcome with the take-back in front, when there was one.
        var finalOutcome: DecisionOutcome {
            tookBack.map { .tookBack(keyword: $0, then: outcome) } ?? outcome
        }
    }

    func escalate(_ escalation: Escalation, decision: inout Decision, handingOff message: HandOff.Message? = nil) {
        let target: AppID
        switch escalation.target ?? .human {
        case .human:
            target = policy.settings.agentAppID
        case .app(let app):
            target = app
        case .back:
            // The policy offers `back` only when another bot handed the conversation here.
            target = decision.state.handedOffBy ?? policy.settings.agentAppID
        }
        let toHuman = target == policy.settings.agentAppID
        decision.state.pendingEscalation = escalation
        if toHuman { decision.actions.append(.send(.text(policy.settings.handoverMessage), purpose: .handover)) }
        let metadata =
            toHuman
            ? Self.handoverMetadata(escalation, state: decision.state, from: appName)
            : HandOff(from: appName, fromAppID: me, escalation: escalation, message: message, handled: decision.state).metadata
        decision.actions.append(.passControl(to: target, metadata: metadata))
        decision.outcome = .escalated(reason: escalation.reason, score: escalation.score, skill: escalation.skill, target: target)
    }
}
