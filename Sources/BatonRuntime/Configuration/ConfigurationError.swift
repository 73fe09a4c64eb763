/// A configuration problem: one line naming the key and what is wrong.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The dotted key (`messenger.app_secret`, `skills[1].path`), or `<file>` for the whole file.
    public var key: String
    /// What is wrong, and what would be right: `must be 0...65535, got 70000`.
    public var problem: String
    /// - Parameters:
    ///   - key: the dotted key, or `<file>`.
    ///   - problem: what is wrong.
    public init(key: String, _ problem: String) {
        self.key = key
        self.problem = problem
    }
    /// `config KEY: PROBLEM`, the one line `baton serve` prints before it exits 2.
    public var description: String { "config \(key): \(problem)" }
}
