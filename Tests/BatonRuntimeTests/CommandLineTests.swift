import BatonTestSupport
import BatonTesting
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
        whileRunning: ((ChildProcess) async throws -> Void)? = nil
    ) async throws -> Run {
        let process = ChildProcess(
            executableURL: URL(fileURLWithPath: TestPaths.buildProducts + "/baton"), arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        let out = Pipe()
        let err = Pipe()
        try process.run(standardOutput: out.fileHandleForWriting.fileDescriptor, standardError: err.fileHandleForWriting.fileDescriptor)
        try out.fileHandleForWriting.close()
        try err.fileHandleForWriting.close()
        // Pipes are drained on their own threads: blocking reads must not starve the
        // cooperative pool the servers under test run on.
        async let stdout = readToEnd(out.fileHandleForReading)
        async let stderr = readToEnd(err.fileHandleForReading)
        if let whileRunning { try await whileRunning(process) }
        do {
            try await waitUntil("baton \(arguments.joined(separator: " ")) finished", timeout: timeout) { !process.isRunning }
        } catch {
            process.terminate()
            Issue.record(error)
            await process.exit()
        }
        return Run(
            status: process.terminationStatus, reason: process.terminationReason,
            stdout: String(decoding: await stdout, as: UTF8.self), stderr: String(decoding: await stderr, as: UTF8.self))
    }

    /// Reads a file handle to its end on a Dispatch thread.
    static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.readAllRetryingInterrupts()) }
        }
    }

    /// Writes `text` as `baton.yaml` in `folder` (where a relative `sqlite:./baton.sqlite` lands).
    /// - Returns: the file's path.
    static func writeConfig(_ text: String, in folder: TemporaryDirectory) throws -> String {
        let path = folder.file("baton.yaml")
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
        #expect(run.stdout.contains("concierge passes control: concierge -> agent"))
        #expect(run.stdout.contains("agent passes control: agent -> concierge"))
        #expect(run.stdout.contains("escalate: fallback"))
        #expect(run.stdout.contains("concierge takes control from agent"))
        // The second bot's round trip: a billing question goes to billing, which answers it
        // and hands the conversation back when the user is done.
        #expect(run.stdout.contains("concierge passes control: concierge -> billing"))
        #expect(run.stdout.contains("Invoices are due 30 days after they are issued."))
        #expect(run.stdout.contains("billing passes control: billing -> concierge"))
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
            let folder = try TemporaryDirectory(prefix: "baton-cli")
            let path = try Self.writeConfig(text, in: folder)
            let run = try await Self.baton(["serve", "--config", path], environment: environment, timeout: .seconds(30))
            #expect(run.status != 0)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(run.stderr)")
            #expect(run.stderr.hasPrefix(expected), "\(run.stderr)")
        }
    }

    @Test func serveDrainsAndExitsZeroOnSIGTERMAndNeverLogsSecrets() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-cli")
        let port = try freePort()
        let path = try Self.writeConfig(Self.config(port: port, extra: "logging:\n  level: debug"), in: folder)
        let run = try await Self.baton(["serve", "--config", path], environment: Self.environment, timeout: .seconds(60)) { process in
            // Wait until it serves, then stop it.
            try await waitUntil("baton serve answers /healthz") {
                (try? await http(.GET, "http://127.0.0.1:\(port)/healthz"))?.status == 200
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
