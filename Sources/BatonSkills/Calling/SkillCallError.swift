public import BatonCore

/// A failed `create`, `respond` or `detect` call. Its `description` is one line,
/// e.g. `skill echo: respond failed (-7): <the skill's set_error text>`.
public struct SkillCallError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure; an extensible set.
    public typealias Code = ErrorCode<SkillCallError>

    /// The kind of failure.
    public var code: Code
    /// The skill's name.
    public var skill: String
    /// `"respond"`, `"detect"` or `"create"`.
    public var operation: String
    /// The status: the skill's negative return value, or the `BATON_E_*` code of the
    /// host check that failed.
    public var status: Int32
    /// Why, one line: the skill's `set_error` text or the host's reason.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - skill: the skill's name.
    ///   - operation: `"respond"`, `"detect"` or `"create"`.
    ///   - status: the status code.
    ///   - message: why, one line.
    public init(_ code: Code, skill: String, operation: String, status: Int32, message: String) {
        self.code = code
        self.skill = skill
        self.operation = operation
        self.status = status
        self.message = message
    }

    /// `skill <name>: <operation> failed (<status>): <message>`.
    public var description: String { "skill \(skill): \(operation) failed (\(status)): \(message)" }
}

extension ErrorCode where Domain == SkillCallError {
    /// The skill returned a failure status (its `set_error` text, if any, is the message):
    /// fix the skill, or its configuration.
    public static var skillFailed: Self { Self("skillFailed") }
    /// The skill returned success but wrote something a builder refused (too long, not
    /// UTF-8, a reply set twice, quick replies without a reply): fix the skill.
    public static var invalidOutput: Self { Self("invalidOutput") }
    /// The call could not run: the skill lacks the function, the instance was destroyed,
    /// or the thread pool stopped. Nothing reached the skill.
    public static var unavailable: Self { Self("unavailable") }
}
