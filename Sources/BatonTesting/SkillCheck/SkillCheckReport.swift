import Foundation

/// The report of `baton skill check`: every check of one library, for people or as JSON.
public struct SkillCheckReport: Sendable, Codable {
    /// What the checks add up to, and the exit status of `baton skill check`.
    public enum Verdict: String, Sendable, Codable {
        /// Every check passed (exit 0).
        case pass
        /// A check failed (exit 1).
        case fail
        /// Nothing failed, but the skill refused the empty configuration with a reason and no
        /// `--config` was given, so its calls were not checked (exit 3).
        case needsConfig = "needs_config"

        /// The exit status of `baton skill check`: 0, 1 or 3.
        public var exitStatus: Int32 {
            switch self {
            case .pass: 0
            case .fail: 1
            case .needsConfig: 3
            }
        }
    }

    /// What to do about a ``Verdict/needsConfig`` verdict.
    public static let passConfigAdvice = "pass --config FILE.json (or a JSON string) to check it"

    /// The library, as given.
    public var library: String
    /// True when every check passed.
    public var passed: Bool
    /// What the checks add up to.
    public var verdict: Verdict
    /// The checks, in the order they ran.
    public var checks: [SkillCheckResult]

    /// - Parameters:
    ///   - library: the library, as given.
    ///   - checks: the checks, in the order they ran.
    public init(library: String, checks: [SkillCheckResult]) {
        self.library = library
        self.passed = checks.allSatisfy(\.passed)
        let failed = checks.contains { !$0.passed && !$0.needsConfig }
        self.verdict = failed ? .fail : (passed ? .pass : .needsConfig)
        self.checks = checks
    }

    /// One `PASS  name: detail`, `FAIL  name: detail` or `NEEDS CONFIG  name: detail` line a
    /// check, then `N checks passed`, `M of N checks failed`, or for a skill that needs a
    /// configuration `NEEDS CONFIG: N checks passed; this skill needs a configuration: pass --config ...`.
    public var text: String {
        var lines = checks.map { "\($0.passed ? "PASS" : $0.needsConfig ? "NEEDS CONFIG" : "FAIL")  \($0.name): \($0.detail)" }
        let failed = checks.filter { !$0.passed && !$0.needsConfig }.count
        let passedCount = checks.filter(\.passed).count
        switch verdict {
        case .pass: lines.append("\(checks.count) checks passed")
        case .fail: lines.append("\(failed) of \(checks.count) checks failed")
        case .needsConfig:
            lines.append("NEEDS CONFIG: \(passedCount) checks passed; this skill needs a configuration "
                + "(respond and detect were not checked): \(Self.passConfigAdvice)")
        }
        return lines.joined(separator: "\n")
    }

    /// Pretty-printed JSON with sorted keys: `library`, `passed`, `verdict` (`pass`, `fail` or
    /// `needs_config`) and `checks` (a check that could not run for want of a configuration
    /// has `"needsConfig": true`).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
