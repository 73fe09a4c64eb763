/// Where a skill's calls run: `isolation:` of a `skills:` entry.
public enum SkillIsolation: String, Sendable, Equatable, CaseIterable {
    /// In the runtime's own process, on its skill threads (the default, for trusted skills).
    case inProcess = "in_process"
    /// In worker processes (`baton skill host`): a crash, a hang or a runaway allocation costs
    /// the one call and the worker, never the runtime.
    case process
}

extension ConfigType where Value == SkillIsolation {
    /// `in_process` or `process`.
    static var skillIsolation: ConfigType {
        let names = SkillIsolation.allCases.map(\.rawValue)
        return .scalar("one of \(names.joined(separator: ", "))", show: \.rawValue) { reader, raw, key throws(ConfigurationError) in
            guard let isolation = SkillIsolation(rawValue: try reader.string(raw, key)) else {
                throw ConfigurationError(key: key, "must be one of \(names.joined(separator: ", "))")
            }
            return isolation
        }
    }
}
