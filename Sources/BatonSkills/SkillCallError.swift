/// A failed `create`, `respond` or `detect` call. Its `description` is one line,
/// e.g. `skill echo: respond failed (-7): <the skill's set_error text>`.
public struct SkillCallError: Error, CustomStringConvertible, Equatable {
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
    ///   - skill: the skill's name.
    ///   - operation: `"respond"`, `"detect"` or `"create"`.
    ///   - status: the status code.
    ///   - message: why, one line.
    public init(skill: String, operation: String, status: Int32, message: String) {
        self.skill = skill
        self.operation = operation
        self.status = status
        self.message = message
    }

    /// `skill <name>: <operation> failed (<status>): <message>`.
    public var description: String { "skill \(skill): \(operation) failed (\(status)): \(message)" }
}
