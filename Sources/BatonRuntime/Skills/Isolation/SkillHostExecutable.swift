import Foundation

/// Where the `baton` executable that runs skill workers (`baton skill host`) is.
///
/// In order: the environment variable `BATON_SKILL_HOST`; this process when it is `baton`;
/// a `baton` beside this process's executable (tests run the runtime inside their test binary,
/// which `swift build` puts beside `baton`). Nil when none exists.
public enum SkillHostExecutable {
    /// The environment variable that names the executable.
    public static let environmentVariable = "BATON_SKILL_HOST"

    /// The executable, or nil.
    public static var path: String? { resolve(environment: ProcessInfo.processInfo.environment) }

    /// The executable for an environment.
    /// - Parameter environment: the process environment.
    static func resolve(environment: [String: String]) -> String? {
        if let named = environment[environmentVariable], !named.isEmpty { return named }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if me.lastPathComponent == "baton" { return me.path }
        let beside = me.deletingLastPathComponent().appendingPathComponent("baton").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : nil
    }
}
