import BatonCore
import BatonSkills
import Logging
import Synchronization

/// The skills a runtime routes messages through: detectors run side by side, responders
/// are asked in configured order. Every call has a deadline; a skill that keeps failing is
/// circuit-broken so a broken library costs nothing but its fallback.
///
/// The members can be replaced while calls run (a reload, ``replaceMembers(with:)``): each
/// ``detect(_:)`` or ``respond(_:)`` works on the members of the moment it began, so calls in
/// flight finish on the old ones and new calls go to the new ones.
public final class SkillSet: Sendable {
    /// One loaded skill instance with its deadline and health.
    public struct Member: Sendable {
        public let instance: any SkillEndpoint
        public let timeout: Duration
        let breaker: CircuitBreaker
        /// Calls of this skill abandoned at their deadline whose native code still runs.
        let abandoned: AbandonedCalls
        /// Where this detector's escalation goes (nil: a human).
        public let escalation: EscalationTarget?
        /// This detector's own threshold (nil: the handover section's).
        public let threshold: Double?
        /// The `skills:` entry and library it was made from (nil: made by hand), for reloads.
        let origin: SkillOrigin?
        public var name: String { instance.name }
    }

    /// How one configured skill takes part: its instance, call deadline and, for a
    /// detector, where its escalation goes and at what score.
    public struct Entry: Sendable {
        public var instance: any SkillEndpoint
        public var timeout: Duration
        public var escalation: EscalationTarget?
        public var threshold: Double?
        /// The `skills:` entry and library it was made from, for reloads.
        var origin: SkillOrigin?
        /// - Parameters:
        ///   - instance: the loaded instance.
        ///   - timeout: one call's deadline.
        ///   - escalation: where a detection goes (nil: a human).
        ///   - threshold: the detector's own threshold (nil: the handover section's).
        public init(_ instance: any SkillEndpoint, timeout: Duration, escalation: EscalationTarget? = nil, threshold: Double? = nil) {
            (self.instance, self.timeout, self.escalation, self.threshold) = (instance, timeout, escalation, threshold)
        }
    }

    /// The responders now, in configured order.
    public var responders: [Member] { current.withLock { $0 }.responders }
    /// The detectors now, in configured order.
    public var detectors: [Member] { current.withLock { $0 }.detectors }
    /// Every member now, in configured order.
    var members: [Member] { current.withLock { $0 }.all }
    let current: Mutex<Snapshot>
    let maxAbandonedCalls: Int
    private let metrics: RuntimeMetrics
    private let logger: Logger

    /// - Parameters:
    ///   - members: instances in configured order with their call deadlines.
    /// - Parameter maxAbandonedCalls: calls of one skill that may be past their deadline
    ///   and still running (each holds a pool thread) before the skill is skipped: a skill
    ///   whose calls hang cannot take every thread of the pool.
    public convenience init(
        members: [(SkillInstance, Duration)], maxAbandonedCalls: Int = 16, metrics: RuntimeMetrics, logger: Logger
    ) {
        self.init(entries: members.map { Entry($0.0, timeout: $0.1) }, maxAbandonedCalls: maxAbandonedCalls, metrics: metrics, logger: logger)
    }

    /// - Parameters:
    ///   - entries: the skills in configured order.
    ///   - maxAbandonedCalls: as in ``init(members:maxAbandonedCalls:metrics:logger:)``.
    public init(entries: [Entry], maxAbandonedCalls: Int = 16, metrics: RuntimeMetrics, logger: Logger) {
        self.maxAbandonedCalls = maxAbandonedCalls
        self.current = Mutex(Snapshot(entries.map { Self.member($0, maxAbandonedCalls: maxAbandonedCalls) }))
        self.metrics = metrics
        self.logger = logger
    }

    /// A new member for `entry`, with a closed circuit and no abandoned calls.
    static func member(_ entry: Entry, maxAbandonedCalls: Int) -> Member {
        Member(
            instance: entry.instance, timeout: entry.timeout, breaker: CircuitBreaker(), abandoned: AbandonedCalls(limit: maxAbandonedCalls),
            escalation: entry.escalation, threshold: entry.threshold, origin: entry.origin)
    }

    /// Whether any skill's circuit is open now.
    public var brokenSkills: [String] { members.filter { $0.breaker.isOpen }.map(\.name) }

    /// Runs every detector on the input at once; failed or late ones are counted and left out.
    public func detect(_ input: SkillInput) async -> [DetectorVerdict] {
        let snapshot = enter()
        defer { snapshot.leave() }
        return await withTaskGroup(of: (Int, DetectorVerdict?).self) { group in
            for (index, member) in snapshot.detectors.enumerated() {
                group.addTask {
                    let score = await self.call(member, .detect) { try await member.instance.detect(input) }
                    return (
                        index,
                        score.map {
                            DetectorVerdict(
                                skill: member.name, score: $0.score, reason: $0.reason, target: member.escalation, threshold: member.threshold)
                        }
                    )
                }
            }
            var verdicts: [(Int, DetectorVerdict)] = []
            for await (index, verdict) in group {
                if let verdict { verdicts.append((index, verdict)) }
            }
            return verdicts.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Asks the responders in order and returns the first answer.
    public func respond(_ input: SkillInput) async -> (skill: String, reply: ReplyMessage)? {
        let snapshot = enter()
        defer { snapshot.leave() }
        for member in snapshot.responders {
            if let reply = await call(member, .respond, { try await member.instance.respond(input) }) ?? nil {
                return (member.name, reply)
            }
        }
        return nil
    }

    /// Destroys every instance, waiting at most `limit` for calls in flight: an instance
    /// whose call hangs is left alone (see ``SkillInstance/destroy(waitingAtMost:)``).
    public func destroyAll(waitingAtMost limit: Duration = .seconds(2)) {
        for member in members { member.instance.destroy(waitingAtMost: limit) }
    }

    /// The members now, counted in use until ``Snapshot/leave()``.
    private func enter() -> Snapshot {
        current.withLock { snapshot in
            snapshot.enter()
            return snapshot
        }
    }

    /// Counts one call in `baton_skill_calls_total`.
    private func count(_ member: Member, _ operation: SkillOperation, _ result: SkillCallResult) {
        metrics.increment(.skillCalls, [.skill: member.name, .op: operation.rawValue, .result: result.rawValue])
    }

    /// Calls a skill with its deadline and circuit breaker; nil when it failed, was late or is broken.
    private func call<T: Sendable>(
        _ member: Member, _ operation: SkillOperation, _ body: @escaping @Sendable () async throws -> T
    ) async -> T? {
        guard member.breaker.allowsCall() else {
            count(member, operation, .circuitOpen)
            return nil
        }
        guard member.abandoned.hasRoom else {
            // Earlier calls hang past their deadline, each holding a thread: skip the skill
            // for this message rather than give it one more. Not the breaker's business: it
            // says nothing new about the skill's health.
            count(member, operation, .busy)
            return nil
        }
        let ticket = AbandonedCalls.Ticket(member.abandoned)
        let outcome: Result<T, any Error>? = await abandoning(after: member.timeout) { () async -> Result<T, any Error> in
            defer { ticket.finished() }
            do { return .success(try await body()) } catch { return .failure(error) }
        }
        if outcome == nil { ticket.abandoned() }
        if outcome == nil, Task.isCancelled {
            // A shutdown past its grace period, not the skill's fault: the event stays
            // pending and is decided again at the next start.
            count(member, operation, .abandonedAtShutdown)
            return nil
        }
        switch outcome {
        case .success(let value)?:
            member.breaker.recordSuccess()
            count(member, operation, .ok)
            return value
        case .failure(let error)?:
            let opened = member.breaker.recordFailure()
            count(member, operation, .error)
            logger.warning("skill call failed", metadata: ["skill": "\(member.name)", "op": "\(operation.rawValue)", "error": "\(error)"])
            if opened { logger.error("skill circuit opened after repeated failures", metadata: ["skill": "\(member.name)"]) }
            return nil
        case nil:
            let opened = member.breaker.recordFailure()
            count(member, operation, .timeout)
            logger.warning(
                "skill call abandoned past its deadline",
                metadata: ["skill": "\(member.name)", "op": "\(operation.rawValue)", "timeout": "\(member.timeout)"])
            if opened { logger.error("skill circuit opened after repeated failures", metadata: ["skill": "\(member.name)"]) }
            return nil
        }
    }
}

/// Stops calling a skill after `threshold` failures in a row, for `cooldown`, then lets
/// one call through to probe it.
final class CircuitBreaker: Sendable {
    private struct State {
        var failures = 0
        var openUntil: ContinuousClock.Instant?
    }
    private let state = Mutex(State())
    let threshold: Int
    let cooldown: Duration

    init(threshold: Int = 5, cooldown: Duration = .seconds(30)) {
        self.threshold = threshold
        self.cooldown = cooldown
    }

    func allowsCall() -> Bool {
        state.withLock { state in
            guard let until = state.openUntil else { return true }
            if ContinuousClock.now >= until {
                state.openUntil = nil  // half-open: one probe
                state.failures = threshold - 1
                return true
            }
            return false
        }
    }

    func recordSuccess() { state.withLock { $0 = State() } }

    /// Returns true when this failure opened the circuit.
    func recordFailure() -> Bool {
        state.withLock { state in
            state.failures += 1
            if state.failures >= threshold, state.openUntil == nil {
                state.openUntil = ContinuousClock.now + cooldown
                return true
            }
            return false
        }
    }

    var isOpen: Bool { state.withLock { $0.openUntil != nil } }
}

/// Counts one skill's calls that were abandoned at their deadline and still run.
final class AbandonedCalls: Sendable {
    private let count = Mutex(0)
    let limit: Int

    init(limit: Int) { self.limit = max(1, limit) }

    /// Whether another call may be made.
    var hasRoom: Bool { count.withLock { $0 < limit } }

    /// One call: counted while it is abandoned and not yet finished.
    final class Ticket: Sendable {
        private let state = Mutex<(finished: Bool, abandoned: Bool)>((false, false))
        private let calls: AbandonedCalls
        init(_ calls: AbandonedCalls) { self.calls = calls }

        /// The caller stopped waiting.
        func abandoned() {
            state.withLock { state in
                guard !state.finished, !state.abandoned else { return }
                state.abandoned = true
                calls.count.withLock { $0 += 1 }
            }
        }

        /// The native call returned.
        func finished() {
            state.withLock { state in
                guard !state.finished else { return }
                state.finished = true
                if state.abandoned { calls.count.withLock { $0 -= 1 } }
            }
        }
    }
}
