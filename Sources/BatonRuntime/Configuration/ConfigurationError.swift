/// A configuration problem: one line naming the key and what is wrong.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The dotted key (`messenger.app_secret`, `skills[1].path`), or `<file>` for the whole file.
    public var key: String
    public var problem: String
    public init(key: String, _ problem: String) {
        self.key = key
        self.problem = problem
    }
    public var description: String { "config \(key): \(problem)" }
}
