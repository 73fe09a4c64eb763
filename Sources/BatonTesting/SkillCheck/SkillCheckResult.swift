/// The result of one check of a skill library.
public struct SkillCheckResult: Sendable, Equatable, Codable {
    /// The check's name (`load`, `respond: emoji`...).
    public var name: String
    /// True when the skill passed the check.
    public var passed: Bool
    /// One line: what was found.
    public var detail: String
    /// True when the check failed because the call did not return within the budget (the
    /// call still holds the instance). Not part of the report.
    var overran = false

    private enum CodingKeys: String, CodingKey { case name, passed, detail }

    /// - Parameters:
    ///   - name: the check's name.
    ///   - passed: true when the skill passed it.
    ///   - detail: one line: what was found.
    public init(name: String, passed: Bool, detail: String) {
        (self.name, self.passed, self.detail) = (name, passed, detail)
    }
}
