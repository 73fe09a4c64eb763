import ArgumentParser
import BatonTesting
import Foundation

/// `baton skill check --ffi PROTOTYPE LIB.so`: a plain C function against its prototype.
extension SkillCheck {
    /// Runs ``FFISkillChecker`` in a child process and prints its report; exit 0 when every
    /// check passed, 1 otherwise.
    func checkFunction(prototype: String) async throws {
        let checker = FFISkillChecker(path: library, prototype: prototype, budget: .milliseconds(budgetMs))
        if child {
            await SkillCheckProcess.serve(checker)
            return
        }
        let arguments = ["skill", "check", "--child", "--ffi", prototype, "--budget-ms", "\(budgetMs)", library]
        let results = try SkillCheckProcess.run(
            executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(), arguments: arguments)
        let report = SkillCheckReport(library: library, checks: results)
        print(json ? report.json : report.text)
        if !report.passed { throw ExitCode(1) }
    }
}
