import BatonSkills
import Foundation
import Logging
import NIOPosix
import Synchronization
import Testing

/// Where the loader tests find the header and the C fixture skills.
enum LoaderPaths {
    /// The package root, from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `include/`, holding `baton/skill.h`.
    static let include = packageRoot.appendingPathComponent("include").path
    /// `Tests/Fixtures/skills/`.
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/skills")
}

/// A command-line tool that failed.
struct ToolFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs compilers and other tools, returning their combined output.
enum Tool {
    /// Runs `tool` (found on PATH) with `arguments`.
    /// - Returns: exit status and combined stdout + stderr.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs `tool` and throws when it does not exit with 0.
    @discardableResult
    static func check(_ tool: String, _ arguments: [String]) throws -> String {
        let (status, output) = try run(tool, arguments)
        guard status == 0 else {
            throw ToolFailure(description: "\(tool) \(arguments.joined(separator: " ")) exited \(status): \(output)")
        }
        return output
    }
}

/// A private temporary folder in which fixture skills are compiled.
struct SkillWorkbench: Sendable {
    /// The folder.
    let directory: URL

    /// Makes a new empty folder.
    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-loader-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Compiles `Tests/Fixtures/skills/<source>` into `lib<name>.so`, mode 0755.
    /// - Parameters:
    ///   - source: the fixture's file name.
    ///   - name: the library's base name; the source's by default.
    ///   - flags: extra compiler flags (e.g. `-DSKILL_NAME="x"`).
    /// - Returns: the library's path.
    func compile(_ source: String, as name: String? = nil, flags: [String] = []) throws -> String {
        let base = name ?? (source as NSString).deletingPathExtension
        let output = directory.appendingPathComponent("lib\(base).so").path
        let input = LoaderPaths.fixtures.appendingPathComponent(source).path
        try Tool.check(
            "cc",
            ["-shared", "-fPIC", "-fvisibility=hidden", "-Wall", "-Wextra", "-Werror", "-I", LoaderPaths.include]
                + flags + [input, "-o", output])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: output)
        return output
    }

    /// Writes a file with `contents` and mode 0644.
    /// - Returns: its path.
    func write(_ name: String, _ contents: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        return path
    }

    /// Deletes the folder (the libraries stay mapped if loaded).
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Log lines captured by ``RecordingLogHandler``.
final class LogRecords: Sendable {
    /// One captured line.
    struct Entry: Sendable, Equatable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    /// Everything captured so far.
    var all: [Entry] { entries.withLock { $0 } }

    func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }
}

/// A real swift-log handler that keeps every line in memory.
struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        records.append(
            .init(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
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
        let logger = Logger(label: "baton.skills.test") { _ in RecordingLogHandler(records: logs) }
        let harness = LoaderHarness(loader: SkillLoader(logger: logger, threadPool: pool), logs: logs, bench: bench)
        do {
            let result = try await body(harness)
            try await pool.shutdownGracefully()
            bench.remove()
            return result
        } catch {
            try? await pool.shutdownGracefully()
            bench.remove()
            throw error
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
