import BatonCore
import CBatonSkill
import Logging
import NIOPosix

/// One instance of a skill, made by `create`. `respond` and `detect` run on the
/// loader's thread pool, one at a time unless the skill is thread-safe.
public final class SkillInstance: Sendable {
    /// The skill this is an instance of.
    public let skill: LoadedSkill
    /// What `create` returned; never NULL.
    nonisolated(unsafe) let instance: UnsafeMutableRawPointer
    let gate = CallGate()

    init(skill: LoadedSkill, instance: UnsafeMutableRawPointer) {
        self.skill = skill
        self.instance = instance
    }

    deinit {
        destroy()
    }

    /// Asks the skill for a reply to `input`.
    /// - Parameter input: the message and its conversation.
    /// - Returns: the reply, or nil when the skill has no answer.
    /// - Throws: ``SkillCallError`` when the skill failed or wrote something invalid.
    public func respond(_ input: SkillInput) async throws(SkillCallError) -> ReplyMessage? {
        try await respond(json: input.jsonString(), fields: InputFieldStorage(input))
    }

    /// Asks the skill how much the user of `input` needs a human.
    /// - Parameter input: the message and its conversation.
    /// - Returns: the score, 0 when the skill set none.
    /// - Throws: ``SkillCallError`` when the skill failed or wrote something invalid.
    public func detect(_ input: SkillInput) async throws(SkillCallError) -> SkillScore {
        try await detect(json: input.jsonString(), fields: InputFieldStorage(input))
    }

    /// ``respond(_:)`` with a raw input document, passed to the skill as is.
    /// - Parameter inputJSON: the input document.
    /// - Returns: the reply, or nil when the skill has no answer.
    /// - Throws: ``SkillCallError``.
    public func respond(inputJSON: String) async throws(SkillCallError) -> ReplyMessage? {
        try await respond(json: inputJSON, fields: InputFieldStorage(json: inputJSON))
    }

    /// ``detect(_:)`` with a raw input document, passed to the skill as is.
    /// - Parameter inputJSON: the input document.
    /// - Returns: the score.
    /// - Throws: ``SkillCallError``.
    public func detect(inputJSON: String) async throws(SkillCallError) -> SkillScore {
        try await detect(json: inputJSON, fields: InputFieldStorage(json: inputJSON))
    }

    /// ``respond(_:)`` on the calling thread, without the hop to the thread pool. It
    /// blocks for as long as the skill runs: call it only from a thread that may block
    /// (never an event loop, never Swift's cooperative pool); benchmarks and worker
    /// processes use it to measure or host the bare ABI call.
    /// - Parameter input: the message and its conversation.
    /// - Returns: the reply, or nil when the skill has no answer.
    /// - Throws: ``SkillCallError``.
    public func respondOnCurrentThread(_ input: SkillInput) throws(SkillCallError) -> ReplyMessage? {
        try reply(from: invokeChecked(.respond, json: input.jsonString(), fields: InputFieldStorage(input)))
    }

    /// ``detect(_:)`` on the calling thread; see ``respondOnCurrentThread(_:)``.
    /// - Parameter input: the message and its conversation.
    /// - Returns: the score.
    /// - Throws: ``SkillCallError``.
    public func detectOnCurrentThread(_ input: SkillInput) throws(SkillCallError) -> SkillScore {
        let (status, outcome) = try invokeChecked(.detect, json: input.jsonString(), fields: InputFieldStorage(input))
        try check(.detect, status: status, outcome: outcome)
        return SkillScore(score: outcome.score ?? 0, reason: outcome.reason)
    }

    /// ``respondOnCurrentThread(_:)`` with an input packed by the runtime
    /// (``PackedSkillInput``): the fields and the document are handed to the skill as they
    /// arrived, without parsing the document. Worker processes use it.
    /// - Parameter packed: the packed input.
    /// - Returns: the reply, or nil when the skill has no answer.
    /// - Throws: ``SkillCallError``; `unavailable` when the bytes are not a packed input.
    public func respondOnCurrentThread(_ packed: PackedSkillInput) throws(SkillCallError) -> ReplyMessage? {
        let (fields, document) = try unpack(packed, .respond)
        return try reply(from: invokeChecked(.respond, json: document, fields: fields))
    }

    /// ``detectOnCurrentThread(_:)`` with a packed input; see ``respondOnCurrentThread(_:)-(PackedSkillInput)``.
    /// - Parameter packed: the packed input.
    /// - Returns: the score.
    /// - Throws: ``SkillCallError``.
    public func detectOnCurrentThread(_ packed: PackedSkillInput) throws(SkillCallError) -> SkillScore {
        let (fields, document) = try unpack(packed, .detect)
        let (status, outcome) = try invokeChecked(.detect, json: document, fields: fields)
        try check(.detect, status: status, outcome: outcome)
        return SkillScore(score: outcome.score ?? 0, reason: outcome.reason)
    }

    private func unpack(_ packed: PackedSkillInput, _ operation: CallContext.Operation) throws(SkillCallError) -> (InputFieldStorage, String) {
        guard let unpacked = packed.callInput() else {
            throw failure(operation, .unavailable, BATON_E_INTERNAL, "the packed input is malformed")
        }
        return unpacked
    }

    private func invokeChecked(_ operation: CallContext.Operation, json: String, fields: InputFieldStorage)
        throws(SkillCallError) -> (Int32, CallContext.Outcome)
    {
        let needed: SkillKind = operation == .respond ? .responder : .detector
        guard skill.kind.contains(needed) else {
            throw failure(operation, .unavailable, BATON_E_UNSUPPORTED, "the skill is not a \(needed)")
        }
        let done = try invoke(operation, json: json, fields: fields).get()
        return (done.status, done.outcome)
    }

    /// Releases the instance with the skill's `destroy`, after the calls in flight
    /// end. Idempotent; later `respond`/`detect` fail with "the instance was destroyed".
    public func destroy() {
        destroy(waitingAtMost: nil)
    }

    /// Like ``destroy()``, but waits at most `limit` for calls in flight. When a call is
    /// still running then (a hung skill), `destroy` is never called: the instance's
    /// state is left to the hung call, and new calls are refused.
    /// - Returns: whether the skill's `destroy` ran (or had run before).
    @discardableResult
    public func destroy(waitingAtMost limit: Duration?) -> Bool {
        switch gate.close(waitingAtMost: limit) {
        case .alreadyClosed: return true
        case .busy:
            skill.logger.warning("a call is still running; the instance is left without destroy")
            return false
        case .idle: break
        }
        if let destroy = skill.functions.destroy {
            let instance = self.instance
            ControlThread.run { destroy(instance) }
        }
        skill.logger.debug("destroyed instance")
        return true
    }

    private func respond(json: String, fields: InputFieldStorage) async throws(SkillCallError) -> ReplyMessage? {
        try reply(from: await call(.respond, json: json, fields: fields))
    }

    private func reply(from result: (Int32, CallContext.Outcome)) throws(SkillCallError) -> ReplyMessage? {
        let (status, outcome) = result
        try check(.respond, status: status, outcome: outcome)
        if let body = outcome.body {
            return ReplyMessage(body: body, quickReplies: outcome.quickReplies)
        }
        if !outcome.quickReplies.isEmpty {
            throw failure(.respond, .invalidOutput, BATON_E_STATE, "quick replies were added without a reply text or attachment")
        }
        return nil
    }

    private func detect(json: String, fields: InputFieldStorage) async throws(SkillCallError) -> SkillScore {
        let (status, outcome) = try await call(.detect, json: json, fields: fields)
        try check(.detect, status: status, outcome: outcome)
        return SkillScore(score: outcome.score ?? 0, reason: outcome.reason)
    }

    /// Turns a status and what the builders saw into success or a ``SkillCallError``.
    private func check(_ operation: CallContext.Operation, status: Int32, outcome: CallContext.Outcome)
        throws(SkillCallError)
    {
        let reason = outcome.error.flatMap { $0.isEmpty ? nil : $0 }
        if status < 0 {
            // A skill that passes a builder's refusal on, without a reason of its own, broke a rule.
            let code: SkillCallError.Code = reason == nil && outcome.refusal != nil ? .invalidOutput : .skillFailed
            throw failure(operation, code, status, reason ?? outcome.refusal?.message ?? "no reason given")
        }
        if status > 0 {
            throw failure(operation, .skillFailed, status, reason ?? "returned an unknown status \(status)")
        }
        if let refusal = outcome.refusal {
            throw failure(operation, .invalidOutput, refusal.status, refusal.message)
        }
    }

    private func failure(
        _ operation: CallContext.Operation, _ code: SkillCallError.Code, _ status: Int32, _ message: String
    ) -> SkillCallError {
        SkillCallError(code, skill: skill.name, operation: operation.rawValue, status: status, message: message)
    }

    /// Runs the skill function on the thread pool.
    private func call(_ operation: CallContext.Operation, json: String, fields: InputFieldStorage)
        async throws(SkillCallError) -> (Int32, CallContext.Outcome)
    {
        let needed: SkillKind = operation == .respond ? .responder : .detector
        guard skill.kind.contains(needed) else {
            throw failure(operation, .unavailable, BATON_E_UNSUPPORTED, "the skill is not a \(needed)")
        }
        let result: Result<CallResult, SkillCallError>
        do {
            result = try await skill.threadPool.runIfActive {
                self.invoke(operation, json: json, fields: fields)
            }
        } catch is CancellationError {
            throw failure(operation, .unavailable, BATON_E_INTERNAL, "the call was cancelled before it ran")
        } catch {
            throw failure(operation, .unavailable, BATON_E_INTERNAL, "the thread pool is not running")
        }
        let done = try result.get()
        return (done.status, done.outcome)
    }

    private struct CallResult: Sendable {
        var status: Int32
        var outcome: CallContext.Outcome
    }

    /// The blocking part, on a pool thread.
    private func invoke(_ operation: CallContext.Operation, json: String, fields: InputFieldStorage)
        -> Result<CallResult, SkillCallError>
    {
        let function = operation == .respond ? skill.functions.respond : skill.functions.detect
        guard let function else {
            return .failure(failure(operation, .unavailable, BATON_E_UNSUPPORTED, "the skill has no \(operation.rawValue) function"))
        }
        let exclusive = !skill.isThreadSafe
        guard gate.enter(exclusive: exclusive) else {
            return .failure(failure(operation, .unavailable, BATON_E_STATE, "the instance was destroyed"))
        }
        defer { gate.leave(exclusive: exclusive) }
        let context = CallContext(operation: operation, fields: fields)
        let handle = CallRegistry.register(context)
        var input = json
        let status = input.withUTF8 { bytes in
            function(instance, handle, BatonStr.borrow(bytes))
        }
        CallRegistry.unregister(handle)
        return .success(CallResult(status: status, outcome: context.close()))
    }
}
