import BatonRuntime
import BatonSimulator
import BatonTestSupport
import Foundation
import Testing

/// No skill can kill `baton serve` at start-up: a library that crashes in its entry or in
/// `create` is first loaded in a child process, and `serve` exits 2 with one line naming the
/// file and the signal (or, with `skills_optional: true`, starts without it).
@Suite("A skill that crashes at start-up")
struct StartupCrashTests {
    /// Builds `entry_crash.c` into `folder` (crashing in `create` when `inCreate`).
    static func crashingSkill(in folder: String, inCreate: Bool = false) throws -> String {
        let library = folder + (inCreate ? "/libcreate_crash.so" : "/libentry_crash.so")
        try compileC(
            TestPaths.skillFixtures.appendingPathComponent("entry_crash.c").path, to: library, flags: inCreate ? ["-DCRASH_IN_CREATE"] : [])
        return library
    }

    /// Runs `baton serve` on `sections` until it exits; returns its status and output lines.
    static func serveUntilExit(_ sections: String) async throws -> (status: Int32, lines: [String]) {
        let world = try await ServeWorld.make(knobs: .init(), sections: sections)
        let process = try world.baton.launch()
        try await world.killingServeOnError {
            try await waitUntil("baton serve exited", timeout: .seconds(60)) { !process.isRunning }
        }
        let log = try String(contentsOfFile: world.baton.logPath, encoding: .utf8)
        try await world.simulator.shutdown()
        return (process.terminationStatus, log.split(separator: "\n").map(String.init))
    }

    @Test(.timeLimit(.minutes(2)))
    func aSkillThatCrashesInItsEntryMakesServeExit2WithOneLine() async throws {
        let folder = try TemporaryDirectory()
        let library = try Self.crashingSkill(in: folder.path)
        let (status, lines) = try await Self.serveUntilExit("skills:\n  - path: \(TestPaths.library("EchoSkill"))\n  - path: \(library)")
        #expect(status == 2)
        let expected = "config skills[1]: skill \(library) crashed while loading (SIGSEGV); baton serve will not start with it"
        #expect(lines.last == expected, "\(lines)")
        #expect(lines.filter { !$0.contains(" info ") } == [expected], "one line, besides the echo skill's 'loaded skill'")
    }

    @Test(.timeLimit(.minutes(2)), arguments: ["in_process", "process"])
    func aSkillThatCrashesInCreateMakesServeExit2NamingTheFile(_ isolation: String) async throws {
        let folder = try TemporaryDirectory()
        let library = try Self.crashingSkill(in: folder.path, inCreate: true)
        let (status, lines) = try await Self.serveUntilExit("skills:\n  - path: \(library)\n    isolation: \(isolation)")
        #expect(status == 2)
        let expected = "config skills[0]: skill \(library) crashed while loading (SIGSEGV); baton serve will not start with it"
        #expect(lines.last == expected, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("config ") } == [expected], "one line says why")
        #expect(!lines.contains { $0.contains("Fatal error") || $0.contains("Backtrace") || $0.contains("Segmentation") }, "\(lines)")
    }

    @Test(.timeLimit(.minutes(2)))
    func withSkillsOptionalServeStartsWithoutTheSkillAndSaysWhyOnce() async throws {
        let folder = try TemporaryDirectory()
        let library = try Self.crashingSkill(in: folder.path)
        let world = try await ServeWorld.make(
            knobs: .init(),
            sections: "skills:\n  - path: \(library)\n    skills_optional: true\n  - path: \(TestPaths.library("EchoSkill"))")
        try await world.killingServeOnError { try await startWithout(library, world) }
    }

    /// The body of ``withSkillsOptionalServeStartsWithoutTheSkillAndSaysWhyOnce()``.
    func startWithout(_ library: String, _ world: ServeWorld) async throws {
        let (simulator, baton) = (world.simulator, world.baton)
        let user = await simulator.createUser(page: ServeWorld.page)
        try await baton.start()
        _ = await simulator.userSends(text: "hi", page: ServeWorld.page, user: user)
        try await waitUntil("the echo skill answered") {
            await simulator.sentMessages(page: ServeWorld.page, user: user, byApp: ServeWorld.bot).compactMap(\.text) == ["You said: hi"]
        }
        let log = try String(contentsOfFile: baton.logPath, encoding: .utf8).split(separator: "\n")
        let warnings = log.filter { $0.contains(library) }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.contains("warning") == true)
        #expect(
            warnings.first?.contains(
                "config skills[0]: skill \(library) crashed while loading (SIGSEGV); starting without it (skills_optional: true)") == true,
            "\(warnings)")
        #expect(try await baton.terminate() == 0)
        try await simulator.shutdown()
    }
}
