import Dispatch
import Foundation
import Testing

/// The `baton` executable as operators and harnesses run it.
@Suite("baton command line")
struct CommandLineTests {
    struct Run {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String
    }

    /// Runs `baton` with arguments; `whileRunning` gets the process to signal it.
    static func baton(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120),
        whileRunning: ((Process) async throws -> Void)? = nil
    ) async throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuildProducts.folder + "/baton")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Pipes are drained on their own threads: blocking reads must not starve the
        // cooperative pool the servers under test run on.
        async let stdout = readToEnd(out.fileHandleForReading)
        async let stderr = readToEnd(err.fileHandleForReading)
        if let whileRunning { try await whileRunning(process) }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                Issue.record("baton \(arguments.joined(separator: " ")) did not finish within \(timeout)")
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Run(
            status: process.terminationStatus, reason: process.terminationReason,
            stdout: String(decoding: await stdout, as: UTF8.self), stderr: String(decoding: await stderr, as: UTF8.self))
    }

    /// Reads a file handle to its end on a Dispatch thread.
    static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }

    static func writeConfig(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("baton.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func config(port: Int = 0, secret: String = "${BATON_APP_SECRET}", extra: String = "") -> String {
        """
        server:
          host: 127.0.0.1
          port: \(port)
        messenger:
          app_id: "712345678901234"
          app_secret: \(secret)
          verify_token: ${BATON_VERIFY_TOKEN}
          graph_api_url: http://127.0.0.1:9/v25.0
          pages:
            - id: "109876543210987"
              name: My Page
              access_token: ${BATON_PAGE_TOKEN}
        handover:
          agent_app_id: "263902037430900"
          escalation_threshold: 0.5
          max_fallbacks: 2
          take_back_keywords: [bot]
        storage:
          url: sqlite:./baton.sqlite
        \(extra)
        """
    }

    static let environment = ["BATON_APP_SECRET": "s3cret-value-123", "BATON_VERIFY_TOKEN": "verify-me", "BATON_PAGE_TOKEN": "page-token-xyz"]

    @Test func demoPrintsTheTranscriptAndTheThreadControlTimeline() async throws {
        let run = try await Self.baton(["demo"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Transcript"))
        #expect(run.stdout.contains("Thread-control timeline"))
        #expect(run.stdout.contains("\"You said: hello\""))
        #expect(run.stdout.contains("We are open 9:00-17:00"))
        #expect(run.stdout.contains("bot passes control: bot -> agent"))
        #expect(run.stdout.contains("agent passes control: agent -> bot"))
        #expect(run.stdout.contains("escalate: fallback"))
        #expect(run.stdout.contains("bot takes control from agent"))
    }

    @Test func serveRefusesABrokenConfigWithOneLineNamingTheKey() async throws {
        let cases: [(String, [String: String], String)] = [
            (Self.config(), [:], "config messenger.app_secret: environment variable BATON_APP_SECRET is not set"),
            (Self.config(secret: "\"\""), Self.environment, "config messenger.app_secret: is required"),
            (Self.config(extra: "skills:\n  - path: ./missing.so"), Self.environment, "config skills[0]: skill "),
            (Self.config().replacingOccurrences(of: "escalation_threshold: 0.5", with: "escalation_threshold: 7"), Self.environment,
             "config handover.escalation_threshold: must be between 0 and 1, got 7.0"),
            (Self.config().replacingOccurrences(of: "max_fallbacks: 2", with: "max_falbacks: 2"), Self.environment,
             "config handover.max_falbacks: unknown key"),
            ("server: [", Self.environment, "config <file>: not valid YAML"),
        ]
        for (text, environment, expected) in cases {
            let path = try Self.writeConfig(text)
            let run = try await Self.baton(["serve", "--config", path], environment: environment, timeout: .seconds(30))
            #expect(run.status != 0)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(run.stderr)")
            #expect(run.stderr.hasPrefix(expected), "\(run.stderr)")
        }
    }

    @Test func serveDrainsAndExitsZeroOnSIGTERMAndNeverLogsSecrets() async throws {
        let path = try Self.writeConfig(Self.config(extra: "logging:\n  level: debug"))
        let run = try await Self.baton(["serve", "--config", path], environment: Self.environment, timeout: .seconds(60)) { process in
            // Wait until it listens, then stop it.
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                if FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path + "/baton.sqlite") {
                    try await Task.sleep(for: .milliseconds(500))
                    break
                }
            }
            process.terminate()  // SIGTERM
        }
        #expect(run.reason == .exit)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("baton listening"))
        #expect(run.stderr.contains("baton stopped"))
        for secret in Self.environment.values {
            #expect(!run.stderr.contains(secret) && !run.stdout.contains(secret), "a secret reached the logs")
        }
    }

    @Test func everyCommandHasHelp() async throws {
        for command in [[], ["serve"], ["demo"], ["simulate"], ["skill"], ["skill", "check"], ["skill", "test"], ["skill", "new"]] {
            let run = try await Self.baton(command + ["--help"], timeout: .seconds(30))
            #expect(run.status == 0)
            #expect(run.stdout.contains("USAGE"), "\(command)")
        }
    }
}
