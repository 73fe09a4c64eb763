import Foundation

/// Finds files installed beside the `baton` executable.
enum SkillLocator {
    /// The folder holding the running executable (`.build/debug`, `.build/release`...).
    static func executableFolder() -> String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if FileManager.default.fileExists(atPath: exe.path) { return exe.deletingLastPathComponent().path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }
}
