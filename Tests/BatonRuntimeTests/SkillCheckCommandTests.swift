import BatonTestSupport
import Foundation
import Testing

/// `baton skill check` as skill teams run it: the real executable, the example skills and
/// every broken fixture skill, each with its precise FAIL line.
@Suite("baton skill check")
struct SkillCheckCommandTests {
    /// A broken skill and the FAIL line the checker must print for it.
    struct Broken: Sendable, CustomTestStringConvertible {
        var source: String
        var flags: [String] = []
        var budgetMs: Int?
        /// The failing check's name.
        var check: String
        /// Text the FAIL line must contain (`LIB` stands for the library's path).
        var message: String
        var testDescription: String { "\(source) \(flags.joined(separator: " "))" }
    }

    static let broken: [Broken] = [
        .init(source: "no_entry.c", check: "load", message: "missing entry symbol baton_skill_entry_v1"),
        .init(source: "wrong_major.c", check: "load", message: "skill ABI major 2 is not supported (host ABI 1.0)"),
        .init(source: "newer_minor.c", check: "load", message: "skill ABI 1.1 is newer than the host ABI 1.0"),
        .init(source: "null_descriptor.c", check: "load", message: "baton_skill_entry_v1 returned NULL (the skill refused to load)"),
        .init(source: "small_struct.c", check: "load", message: "descriptor struct_size 16 is smaller than the ABI 1.0 size 88"),
        .init(source: "create_null.c", check: "create with empty config",
              message: "create returned NULL without a reason (explain with set_error)"),
        .init(source: "checker_cases.c", flags: ["-DCASE_FAIL"], check: "respond: plain text",
              message: "skill checker_cases: respond failed (-7): upstream timed out"),
        .init(source: "checker_cases.c", flags: ["-DCASE_UTF8"], check: "respond: plain text",
              message: "skill checker_cases: respond failed (-2): reply is not valid UTF-8"),
        .init(source: "checker_cases.c", flags: ["-DCASE_LONG"], check: "respond: plain text",
              message: "skill checker_cases: respond failed (-3): reply text is longer than 2000 characters"),
        .init(source: "checker_cases.c", flags: ["-DCASE_SCORE"], check: "detect: plain text",
              message: "skill checker_cases: detect failed (-1): score 1.5 is outside [0, 1]"),
        .init(source: "checker_cases.c", flags: ["-DCASE_EXPORT"], check: "exports",
              message: "exports 1 function besides baton_skill_entry_v1: helper_exported"),
        .init(source: "crash.c", check: "no crash",
              message: "the skill crashed the process with signal 11 (SIGSEGV) during 'respond: plain text'"),
        .init(source: "checker_cases.c", flags: ["-DCASE_SLEEP"], budgetMs: 200, check: "respond: plain text",
              message: "no answer within the 200.0 ms budget"),
    ]

    /// Compiles a fixture skill into `folder`.
    static func compile(_ source: String, flags: [String], into folder: TemporaryDirectory) throws -> String {
        let output = folder.file("lib\((source as NSString).deletingPathExtension).so")
        try compileC(TestPaths.skillFixtures.appendingPathComponent(source).path, to: output, flags: flags)
        return output
    }

    /// Runs any tool, its pipes drained on Dispatch threads.
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = ChildProcess(
            executableURL: URL(fileURLWithPath: executable), arguments: arguments, currentDirectoryURL: directory.map { URL(fileURLWithPath: $0) })
        let out = Pipe()
        let err = Pipe()
        try process.run(standardOutput: out.fileHandleForWriting.fileDescriptor, standardError: err.fileHandleForWriting.fileDescriptor)
        try out.fileHandleForWriting.close()
        try err.fileHandleForWriting.close()
        async let stdout = CommandLineTests.readToEnd(out.fileHandleForReading)
        async let stderr = CommandLineTests.readToEnd(err.fileHandleForReading)
        await process.exit()
        return (process.terminationStatus, String(decoding: await stdout, as: UTF8.self), String(decoding: await stderr, as: UTF8.self))
    }

    /// The report lines (`PASS  name: detail` / `FAIL  name: detail`), without the summary.
    static func checkLines(_ stdout: String) -> [Substring] {
        stdout.split(separator: "\n").filter { $0.hasPrefix("PASS  ") || $0.hasPrefix("FAIL  ") }
    }

    /// Checks that `skill check` exits 1 with one failed check, the load, for `reason`.
    static func expectRefused(_ library: String, because reason: String) async throws {
        let run = try await CommandLineTests.baton(["skill", "check", library], timeout: .seconds(60))
        #expect(run.status == 1)
        #expect(checkLines(run.stdout) == ["FAIL  load: \(reason)"], "\(run.stdout)")
    }

    @Test("an example skill passes every check", arguments: ["EchoSkill", "KeywordEscalation", "FAQSkill"])
    func exampleSkillPasses(_ name: String) async throws {
        let library = TestPaths.library(name)
        // FAQSkill needs entries (it refuses an empty configuration, with a reason).
        // A generous budget: debug builds on a busy 2-core machine (the budget has its own test).
        let config = ["--budget-ms", "20000"]
            + (name == "FAQSkill" ? ["--config", #"{"entries":[{"question":"opening hours","answer":"9 to 5"}]}"#] : [])
        let run = try await CommandLineTests.baton(["skill", "check"] + config + [library], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let lines = Self.checkLines(run.stdout)
        #expect(lines.count >= 10, "\(run.stdout)")
        #expect(lines.allSatisfy { $0.hasPrefix("PASS  ") }, "\(run.stdout)")
        #expect(lines.contains { $0.hasPrefix("PASS  exports: only baton_skill_entry_v1") }, "\(run.stdout)")
        #expect(run.stdout.hasSuffix("\(lines.count) checks passed\n"), "\(run.stdout)")

        let json = try await CommandLineTests.baton(["skill", "check", "--json"] + config + [library], timeout: .seconds(60))
        #expect(json.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["passed"] as? Bool == true)
        #expect(report["library"] as? String == library)
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(checks.count == lines.count)
        #expect(checks.allSatisfy { $0["passed"] as? Bool == true && $0["name"] is String && $0["detail"] is String })
    }

    @Test("a broken skill exits 1 with a precise FAIL line", arguments: broken)
    func brokenSkillFails(_ broken: Broken) async throws {
        let folder = try TemporaryDirectory(prefix: "baton-skill-check")
        let library = try Self.compile(broken.source, flags: broken.flags, into: folder)
        let budget = broken.budgetMs.map { ["--budget-ms", "\($0)"] } ?? []
        let run = try await CommandLineTests.baton(["skill", "check"] + budget + [library], timeout: .seconds(60))
        #expect(run.reason == .exit)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let expected = "FAIL  \(broken.check): "
        let line = Self.checkLines(run.stdout).first { $0.hasPrefix(expected) }
        #expect(line?.contains(broken.message) == true, "\(run.stdout)")
        #expect(run.stdout.contains(" checks failed\n"))
        if broken.budgetMs != nil || broken.check == "no crash" {
            // Nothing is checked after a hung call or a crash: the failing check is the last one.
            #expect(Self.checkLines(run.stdout).last?.hasPrefix(expected) == true, "\(run.stdout)")
        }
        let json = try await CommandLineTests.baton(["skill", "check", "--json"] + budget + [library], timeout: .seconds(60))
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["passed"] as? Bool == false)
        let checks = report["checks"] as? [[String: Any]] ?? []
        #expect(checks.contains {
            $0["name"] as? String == broken.check && $0["passed"] as? Bool == false
                && ($0["detail"] as? String)?.contains(broken.message) == true
        }, "\(json.stdout)")
    }

    @Test func aFileThatIsNotELFIsRefused() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-skill-check")
        let path = folder.file("libtext.so")
        try Data(String(repeating: "just text, not a library\n", count: 40).utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try await Self.expectRefused(path, because: "dlopen failed: \(path): invalid ELF header")
    }

    @Test func aWorldWritableLibraryIsRefused() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-skill-check")
        let library = try Self.compile("good.c", flags: [], into: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: library)
        try await Self.expectRefused(library, because: "refusing a group- or world-writable file (mode 0666)")
    }

    @Test func aWellBehavedFixturePassesSoTheBrokenCasesAreTheCause() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-skill-check")
        let library = try Self.compile("checker_cases.c", flags: [], into: folder)
        let run = try await CommandLineTests.baton(["skill", "check", library], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.stdout)")
        #expect(Self.checkLines(run.stdout).allSatisfy { $0.hasPrefix("PASS  ") })
    }
}
