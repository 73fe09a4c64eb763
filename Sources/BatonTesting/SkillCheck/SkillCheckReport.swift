import Foundation

/// The report of `baton skill check`: every check of one library, for people or as JSON.
public struct SkillCheckReport: Sendable, Codable {
    /// The library, as given.
    public var library: String
    /// True when every check passed.
    public var passed: Bool
    /// The checks, in the order they ran.
    public var checks: [SkillCheckResult]

    /// - Parameters:
    ///   - library: the library, as given.
    ///   - checks: the checks, in the order they ran.
    public init(library: String, checks: [SkillCheckResult]) {
        self.library = library
        self.passed = checks.allSatisfy(\.passed)
        self.checks = checks
    }

    /// One `PASS  name: detail` or `FAIL  name: detail` line a check, then
    /// `N checks passed` or `M of N checks failed`.
    public var text: String {
        var lines = checks.map { "\($0.passed ? "PASS" : "FAIL")  \($0.name): \($0.detail)" }
        let failed = checks.filter { !$0.passed }.count
        lines.append(failed == 0 ? "\(checks.count) checks passed" : "\(failed) of \(checks.count) checks failed")
        return lines.joined(separator: "\n")
    }

    /// Pretty-printed JSON with sorted keys: `library`, `passed` and `checks`.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
