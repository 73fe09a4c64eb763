public import BatonCore
import CBatonSkill
import CLibFFI
public import Logging
public import NIOPosix

/// A plain C function bound as a skill through libffi: a detector such as
/// `double refund_score(const char *text, size_t length)` or a responder such as
/// `int refund_reply(const char *text, size_t length, char *out, size_t out_capacity)`.
///
/// The prototype is checked against the kind when binding, and one `ffi_cif` is prepared then
/// and reused by every call. Calls run on the skill thread pool, never on the caller's thread
/// or an event loop, and may run on several threads at once: the function must be safe to call
/// concurrently. What it returns is validated like a builder's input: a score must be finite
/// and in [0, 1], a reply valid UTF-8 of at most `BATON_LIMIT_TEXT_CHARS` characters that fits
/// its buffer.
public final class FFISkill: SkillEndpoint {
    /// The bytes a responder may write: enough for the longest reply text.
    public static let replyCapacity = Int(BATON_LIMIT_TEXT_CHARS) * 4

    /// The name in logs and metrics: the configured name, or the function's.
    public let name: String
    /// Exactly `.responder` or exactly `.detector`.
    public let kind: SkillKind
    /// The function's prototype.
    public let prototype: FFIPrototype
    /// The library, as given.
    public let library: String

    let plan: FFICallPlan
    let interface: FFICallInterface
    let threadPool: NIOThreadPool
    let gate = CallGate()

    private init(
        name: String, kind: SkillKind, prototype: FFIPrototype, library: String, plan: FFICallPlan, interface: FFICallInterface,
        threadPool: NIOThreadPool
    ) {
        (self.name, self.kind, self.prototype, self.library) = (name, kind, prototype, library)
        (self.plan, self.interface, self.threadPool) = (plan, interface, threadPool)
    }

    /// Binds a function: checks its prototype against `kind`, opens the library, finds the
    /// symbol and prepares the call interface.
    /// - Parameters:
    ///   - library: the shared library's path.
    ///   - prototype: the function's prototype.
    ///   - kind: `.responder` or `.detector`.
    ///   - name: the name in logs and metrics (nil or empty: the function's name).
    ///   - threadPool: the started pool calls run on.
    ///   - logger: where the binding is logged.
    /// - Returns: the skill, ready to call.
    /// - Throws: ``FFISkillError`` with a one-line message.
    public static func bind(
        library: String, prototype: FFIPrototype, kind: SkillKind, name: String? = nil, threadPool: NIOThreadPool, logger: Logger
    ) throws(FFISkillError) -> FFISkill {
        let plan = try prototype.plan(for: kind)
        let address = try FFILibrary.function(prototype.name, in: library)
        let interface = try FFICallInterface(address: address, prototype: prototype)
        let skillName = name.flatMap { $0.isEmpty ? nil : $0 } ?? prototype.name
        logger.info(
            "bound plain function",
            metadata: ["skill": "\(skillName)", "function": "\(prototype)", "kind": "\(kind)", "path": "\(library)"])
        return FFISkill(
            name: skillName, kind: kind, prototype: prototype, library: library, plan: plan, interface: interface, threadPool: threadPool)
    }

    /// ``bind(library:prototype:kind:name:threadPool:logger:)`` with the prototype's text.
    /// - Parameters:
    ///   - library: the shared library's path.
    ///   - function: the prototype, e.g. `double refund_score(const char *text, size_t length)`.
    ///   - kind: `.responder` or `.detector`.
    ///   - name: the name in logs and metrics (nil: the function's name).
    ///   - threadPool: the started pool calls run on.
    ///   - logger: where the binding is logged.
    /// - Returns: the skill.
    /// - Throws: ``FFISkillError``.
    public static func bind(
        library: String, function: String, kind: SkillKind, name: String? = nil, threadPool: NIOThreadPool, logger: Logger
    ) throws(FFISkillError) -> FFISkill {
        try bind(
            library: library, prototype: FFIPrototype(parsing: function), kind: kind, name: name, threadPool: threadPool, logger: logger)
    }

    /// Asks the function for a reply to the text of `input`.
    /// - Parameter input: the message; its text (empty when it has none) is what the function gets.
    /// - Returns: the reply, or nil when the function returned 0.
    /// - Throws: ``SkillCallError``: a negative return (`skillFailed`), a length past the buffer,
    ///   invalid UTF-8 or a reply too long (`invalidOutput`).
    public func respond(_ input: SkillInput) async throws(SkillCallError) -> ReplyMessage? {
        let text = input.message.text ?? ""
        return try await onPool(.respond) { () throws(SkillCallError) in try self.respond(text: text) }
    }

    /// Asks the function for a score of the text of `input`.
    /// - Parameter input: the message; its text (empty when it has none) is what the function gets.
    /// - Returns: the score (an `int` or `bool` function scores 1 when it returns non-zero).
    /// - Throws: ``SkillCallError`` with code `invalidOutput` for a score that is not finite or
    ///   outside [0, 1].
    public func detect(_ input: SkillInput) async throws(SkillCallError) -> SkillScore {
        let text = input.message.text ?? ""
        return try await onPool(.detect) { () throws(SkillCallError) in try self.detect(text: text) }
    }

    /// ``respond(_:)`` on the calling thread, without the hop to the thread pool: call it only
    /// from a thread that may block (benchmarks and worker processes do).
    /// - Parameter text: the message text.
    /// - Returns: the reply, or nil.
    /// - Throws: ``SkillCallError``.
    public func respond(text: String) throws(SkillCallError) -> ReplyMessage? {
        try admitted(.respond) { () throws(SkillCallError) in try reply(text) }
    }

    /// ``detect(_:)`` on the calling thread; see ``respond(text:)``.
    /// - Parameter text: the message text.
    /// - Returns: the score.
    /// - Throws: ``SkillCallError``.
    public func detect(text: String) throws(SkillCallError) -> SkillScore {
        try admitted(.detect) { () throws(SkillCallError) in try score(text) }
    }

    /// Refuses new calls and waits at most `limit` for the calls in flight. The library stays
    /// loaded (it is never closed).
    /// - Returns: false when a call still runs after `limit`.
    @discardableResult
    public func destroy(waitingAtMost limit: Duration?) -> Bool {
        gate.close(waitingAtMost: limit) != .busy
    }

    // MARK: - Calling

    /// The operations, as ``SkillCallError`` names them.
    enum Operation: String {
        case respond, detect
    }

    func failure(_ operation: Operation, _ code: SkillCallError.Code, _ status: Int32, _ message: String) -> SkillCallError {
        SkillCallError(code, skill: name, operation: operation.rawValue, status: status, message: message)
    }

    /// Runs `body` if the kind allows `operation` and the skill was not destroyed.
    private func admitted<T>(_ operation: Operation, _ body: () throws(SkillCallError) -> T) throws(SkillCallError) -> T {
        let needed: SkillKind = operation == .respond ? .responder : .detector
        guard kind.contains(needed) else {
            throw failure(operation, .unavailable, BATON_E_UNSUPPORTED, "the skill is not a \(needed)")
        }
        guard gate.enter(exclusive: false) else {
            throw failure(operation, .unavailable, BATON_E_STATE, "the skill was destroyed")
        }
        defer { gate.leave(exclusive: false) }
        return try body()
    }

    /// Runs `body` on the thread pool.
    private func onPool<T: Sendable>(_ operation: Operation, _ body: @escaping @Sendable () throws(SkillCallError) -> T)
        async throws(SkillCallError) -> T
    {
        let result: Result<T, SkillCallError>
        do {
            result = try await threadPool.runIfActive { Result { () throws(SkillCallError) in try body() } }
        } catch is CancellationError {
            throw failure(operation, .unavailable, BATON_E_INTERNAL, "the call was cancelled before it ran")
        } catch {
            throw failure(operation, .unavailable, BATON_E_INTERNAL, "the thread pool is not running")
        }
        return try result.get()
    }
}
