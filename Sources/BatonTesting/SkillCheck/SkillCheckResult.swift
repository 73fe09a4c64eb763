/// The result of one check of a skill library.
public struct SkillCheckResult: Sendable, Equatable, Codable {
    /// The check's name (`load`, `respond: emoji`...).
    public var name: String
    /// True when the skill passed the check.
    public var passed: Bool
    /// One line: what was found.
    public var detail: String
    /// True when the check could not run for want of a configuration: the skill refused the
    /// empty one (`{}`), with a reason, and none was given. Such a check has not passed, and it
    /// is not a failure either: the report's verdict is ``SkillCheckReport/Verdict/needsConfig``.
    public var needsConfig: Bool { needsConfigFlag == true }
    /// True when the check failed because the call did not return within the budget (the
    /// call still holds the instance). Not part of the report.
    var overran = false
    /// Encoded (as `needsConfig`) only when set, so the JSON of other checks is unchanged.
    private var needsConfigFlag: Bool?

    private enum CodingKeys: String, CodingKey {
        case name, passed, detail
        case needsConfigFlag = "needsConfig"
    }

    /// - Parameters:
    ///   - name: the check's name.
    ///   - passed: true when the skill passed it.
    ///   - detail: one line: what was found.
    public init(name: String, passed: Bool, detail: String) {
        (self.name, self.passed, self.detail) = (name, passed, detail)
    }

    /// A check that could not run because the skill needs a configuration and none was given.
    /// - Parameters:
    ///   - name: the check's name.
    ///   - detail: one line: the skill's reason and what to pass.
    public static func needingConfig(name: String, detail: String) -> SkillCheckResult {
        var result = SkillCheckResult(name: name, passed: false, detail: detail)
        result.needsConfigFlag = true
        return result
    }
}
