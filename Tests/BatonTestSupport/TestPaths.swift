import Foundation

/// Where the package's files and the built products are, for tests.
public enum TestPaths {
    /// The package's root, from this file's path.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `include/`, holding `baton/skill.h`.
    public static let include = packageRoot.appendingPathComponent("include").path

    /// `Tests/Fixtures/messenger/`: webhook bodies and Graph requests as Meta documents them.
    public static let messengerFixtures = packageRoot.appendingPathComponent("Tests/Fixtures/messenger")

    /// `Tests/Fixtures/skills/`: C skills, broken on purpose or gated.
    public static let skillFixtures = packageRoot.appendingPathComponent("Tests/Fixtures/skills")

    /// The folder holding the running test binary, where `swift build` also puts the `baton`
    /// executable and the example skills (`lib<Name>.so`).
    public static var buildProducts: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    /// The path of the example skill `lib<name>.so` in the build folder.
    /// - Parameter name: the library's base name, e.g. `EchoSkill`.
    public static func library(_ name: String) -> String { buildProducts + "/lib\(name).so" }
}
