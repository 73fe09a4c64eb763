/// The result of a detector: how much the user needs a human.
public struct SkillScore: Sendable, Equatable {
    /// In [0, 1]; 0 when the skill set no score.
    public var score: Double
    /// A short reason, possibly empty.
    public var reason: String

    /// Creates a score.
    /// - Parameters:
    ///   - score: in [0, 1].
    ///   - reason: a short reason.
    public init(score: Double, reason: String = "") {
        self.score = score
        self.reason = reason
    }
}
