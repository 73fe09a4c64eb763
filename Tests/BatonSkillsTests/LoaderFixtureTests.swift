import BatonCore
import BatonSkills
import BatonTestSupport
import Foundation
import Logging
import NIOPosix
import Testing

/// A private temporary folder in which fixture skills are compiled.
struct SkillWorkbench: Sendable {
    /// The folder, removed with the last copy of the workbench.
    let folder: TemporaryDirectory
    /// The folder's URL.
    var directory: URL { folder.url }

    /// Makes a new empty folder.
    init() throws {
        folder = try TemporaryDirectory(prefix: "baton-loader-tests")
    }

    /// Compiles `Tests/Fixtures/skills/<source>` into `lib<name>.so`, mode 0755.
    /// - Parameters:
    ///   - source: the fixture's file name.
    ///   - name: the library's base name; the source's by default.
    ///   - flags: extra compiler flags (e.g. `-DSKILL_NAME="x"`).
    /// - Returns: the library's path.
    func compile(_ source: String, as name: String? = nil, flags: [String] = []) throws -> String {
        let output = folder.file("lib\(name ?? (source as NSString).deletingPathExtension).so")
        try compileC(TestPaths.skillFixtures.appendingPathComponent(source).path, to: output, flags: flags)
        return output
    }

    /// Writes a file with `contents` and mode 0644.
    /// - Returns: its path.
    func write(_ name: String, _ contents: String) throws -> String {
        let path = folder.file(name)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        return path
    }
}

/// A loader on a private thread pool, its log lines, and a workbench; torn down after `body`.
struct LoaderHarness: Sendable {
    let loader: SkillLoader
    let logs: LogRecords
    let bench: SkillWorkbench

    /// Runs `body` with a fresh harness.
    static func with<T: Sendable>(
        threads: Int = 2, _ body: (LoaderHarness) async throws -> T
    ) async throws -> T {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        let bench = try SkillWorkbench()
        let logs = LogRecords()
        let logger = logs.logger("baton.skills.test")
        let harness = LoaderHarness(loader: SkillLoader(logger: logger, threadPool: pool), logs: logs, bench: bench)
        do {
            let result = try await body(harness)
            try await pool.shutdownGracefully()
            return result
        } catch {
            try? await pool.shutdownGracefully()
            throw error
        }
    }

    /// Runs `body` with a fresh harness and an instance of the skill built from the fixture `source`,
    /// destroyed after `body`.
    static func withInstance(
        of source: String, _ body: (LoaderHarness, SkillInstance) async throws -> Void
    ) async throws {
        try await with { harness in
            let instance = try harness.loader.load(path: try harness.bench.compile(source)).makeInstance()
            defer { instance.destroy() }
            try await body(harness, instance)
        }
    }

    /// Loads `good.c` built as `name` and checks one respond round trip: the host works.
    func expectHostStillWorks(name: String = "after_failure") async throws {
        let path = try bench.compile("good.c", as: name, flags: ["-DSKILL_NAME=\"\(name)\""])
        let instance = try loader.load(path: path).makeInstance()
        defer { instance.destroy() }
        let reply = try await instance.respond(LoaderInputs.text("still here"))
        #expect(reply?.body == .text("echo: still here"))
    }
}

/// Input documents for the loader tests.
enum LoaderInputs {
    /// A message with `text` from a known user.
    static func text(_ text: String?, mid: String = "m_1") -> SkillInput {
        SkillInput(
            message: .init(mid: mid, timestamp: 1_730_462_400_000, text: text),
            conversation: .init(pageID: "109876543210987", psid: "5012345678901234"))
    }
}
