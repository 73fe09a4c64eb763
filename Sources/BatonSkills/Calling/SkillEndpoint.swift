public import BatonCore

/// Something the runtime can ask to respond or detect, whatever runs it: a skill instance
/// in this process (``SkillInstance``), a pool of worker processes, or a plain C function
/// bound through libffi. The runtime's deadlines, circuit breakers and metrics work on this.
public protocol SkillEndpoint: Sendable {
    /// The name in logs and metrics.
    var name: String { get }
    /// Whether it responds, detects, or both.
    var kind: SkillKind { get }
    /// A reply to `input`, or nil when it has none.
    func respond(_ input: SkillInput) async throws(SkillCallError) -> ReplyMessage?
    /// How much the user of `input` needs a hand-over.
    func detect(_ input: SkillInput) async throws(SkillCallError) -> SkillScore
    /// Releases it, waiting at most `limit` for calls in flight (nil: as long as they take).
    /// - Returns: whether it was released (false: a call still runs and keeps it).
    @discardableResult
    func destroy(waitingAtMost limit: Duration?) -> Bool
}

extension SkillInstance: SkillEndpoint {
    /// The skill's own name.
    public var name: String { skill.name }
    /// The skill's kind.
    public var kind: SkillKind { skill.kind }
}
