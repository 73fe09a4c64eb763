/// What one skill reload (SIGHUP, or ``BatonServer/reloadSkills(from:)``) did.
public struct SkillReloadSummary: Sendable, Equatable, CustomStringConvertible {
    /// How one `skills:` entry came out of a reload.
    public enum Result: String, Sendable, Equatable, CaseIterable {
        /// A new or changed library (or a changed entry) was checked, loaded and now serves.
        case loaded
        /// Neither the entry nor its library's content changed: the same instance serves.
        case unchanged
        /// The new version failed its checks: it was not loaded, and the old one (if any) serves.
        case refused
    }

    /// One entry of the new `skills:` sections.
    public struct Outcome: Sendable, Equatable {
        /// The hosted app (`main` for the single-app form).
        public var app: String
        /// The entry's key, `skills[0]` or `apps[1].skills[0]`.
        public var key: String
        /// The skill's name (for a refused new entry, its library's file name).
        public var skill: String
        /// What happened.
        public var result: Result
        /// The version serving for this entry now (nil: none, a refused new entry).
        public var version: String?
        /// Why it was refused, one line.
        public var reason: String?

        /// - Parameters:
        ///   - app: the hosted app.
        ///   - key: the entry's key.
        ///   - skill: the skill's name.
        ///   - result: what happened.
        ///   - version: the version serving for this entry now.
        ///   - reason: why it was refused.
        public init(app: String, key: String, skill: String, result: Result, version: String?, reason: String? = nil) {
            (self.app, self.key, self.skill, self.result, self.version, self.reason) = (app, key, skill, result, version, reason)
        }
    }

    /// Every entry of the new configuration's `skills:` sections, app by app, in file order.
    public var outcomes: [Outcome] = []
    /// Skills that stopped serving because their entry left the configuration.
    public var removed: [String] = []
    /// Sections outside `skills:` that changed in the file and take effect only after a restart.
    public var needsRestart: [String] = []

    /// The outcomes with `result`.
    public func count(_ result: Result) -> Int { outcomes.filter { $0.result == result }.count }

    /// `1 loaded, 2 unchanged, 0 refused, 0 removed`.
    public var description: String {
        "\(count(.loaded)) loaded, \(count(.unchanged)) unchanged, \(count(.refused)) refused, \(removed.count) removed"
    }
}
