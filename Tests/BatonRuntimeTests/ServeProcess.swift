import BatonCore
import BatonRuntime
import BatonSimulator
import BatonTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `baton serve` child process on a fixed port, for tests that kill it: its log
/// (stderr and stdout) is appended to one file across restarts.
final class ServeProcess: @unchecked Sendable {
    let configPath: String
    let port: Int
    let logPath: String
    let environment: [String: String]
    private var process: ChildProcess?
    /// How many times it was started.
    private(set) var starts = 0

    init(configPath: String, port: Int, logPath: String, environment: [String: String] = [:]) {
        self.configPath = configPath
        self.port = port
        self.logPath = logPath
        self.environment = environment
    }

    /// Starts the process and waits until `/healthz` answers 200.
    func start(timeout: Duration = .seconds(60)) async throws {
        let process = try launch()
        do {
            try await waitUntil("baton serve answers /healthz", timeout: timeout) {
                guard process.isRunning else {
                    throw ServeProcessError("baton serve exited at start (status \(process.terminationStatus))")
                }
                return await isHealthy()
            }
        } catch {
            throw ServeProcessError("\(error); log: \(logTail())")
        }
    }

    /// Whether the last process launched still runs.
    var isRunning: Bool { process?.isRunning ?? false }

    /// How the last process ended, once it has.
    var terminationReason: Process.TerminationReason? {
        guard let process, !process.isRunning else { return nil }
        return process.terminationReason
    }

    /// Starts the process without waiting for it to serve (it may die at once).
    @discardableResult
    func launch() throws -> ChildProcess {
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try log.seekToEnd()
        let process = ChildProcess(
            executableURL: URL(fileURLWithPath: TestPaths.buildProducts + "/baton"), arguments: ["serve", "--config", configPath],
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        defer { try? log.close() }
        try process.run(standardOutput: log.fileDescriptor, standardError: log.fileDescriptor)
        self.process = process
        starts += 1
        return process
    }

    /// `GET /healthz` answered 200.
    func isHealthy() async -> Bool {
        (try? await http(.GET, "http://127.0.0.1:\(port)/healthz", timeout: .seconds(1)))?.status == 200
    }

    /// The `/metrics` text.
    func metrics() async throws -> String {
        let answer = try await http(.GET, "http://127.0.0.1:\(port)/metrics")
        return answer.body
    }

    /// One gauge or counter line's value from `/metrics` (nil when absent).
    func metric(_ series: String) async throws -> Double? {
        let text = try await metrics()
        // Compared by name, labels and number: a gauge shows `1.0`, a counter `1`.
        guard let wanted = MetricSample.parse(line: Substring(series + " 0")) else { return nil }
        return MetricSample.parse(text).first { $0.name == wanted.name && $0.labels == wanted.labels }?.value
    }

    /// SIGKILL: no handler runs, nothing is flushed. Waits until the process is gone.
    /// - Returns: whether a signal ended it (rather than an exit of its own).
    @discardableResult
    func kill9() async throws -> Bool {
        guard let process else { return false }
        kill(process.processIdentifier, SIGKILL)
        try await waitForExit(process)
        return process.terminationReason == .uncaughtSignal
    }

    /// Sends `signal` (SIGHUP, say) to the running process, without waiting for anything.
    func send(signal: Int32) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
    }

    /// SIGTERM, then waits for the exit; returns the exit status.
    func terminate(timeout: Duration = .seconds(60)) async throws -> Int32 {
        guard let process else { return -1 }
        process.terminate()
        try await waitForExit(process, timeout: timeout)
        return process.terminationStatus
    }

    private func waitForExit(_ process: ChildProcess, timeout: Duration = .seconds(30)) async throws {
        try await waitUntil("baton serve exited", timeout: timeout) { !process.isRunning }
    }

    /// The last lines of the log, for failure messages.
    func logTail(_ lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

struct ServeProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A simulator in this process and a `baton serve` child process wired to it (not yet
/// started), on SQLite in a temporary folder: the simulated Meta outlives every death of
/// the process under test.
struct ServeWorld {
    static let bot = "712345678901234"
    static let page = "109876543210987"

    let folder: TemporaryDirectory
    let simulator: MessengerSimulator
    let baton: ServeProcess
    /// The app secret both sides share (to sign webhooks by hand).
    let secret: String
    var databasePath: String { folder.path + "/baton.sqlite" }

    /// - Parameters:
    ///   - knobs: the simulator's knobs.
    ///   - sections: more of the YAML configuration (`outbox:`, `skills:`, `logging:`...).
    ///   - environment: for the `baton serve` process.
    static func make(
        knobs: SimulatorConfiguration.Knobs, sections: String, environment: [String: String] = [:]
    ) async throws -> ServeWorld {
        let folder = try TemporaryDirectory()
        let port = try freePort()
        let secret = "serve-secret-\(UInt64.random(in: 1...UInt64.max))"
        let token = "serve-page-token"
        var configuration = SimulatorConfiguration(
            pages: [.init(id: page, name: "Page", accessToken: token)],
            apps: [.init(id: bot, name: "Baton", secret: secret, webhookURL: "http://127.0.0.1:\(port)/webhook")],
            defaultOwnerAppID: bot)
        configuration.knobs = knobs
        let simulator = MessengerSimulator(configuration: configuration, logger: testLogger("serve.simulator"))
        try await simulator.start()
        let configPath = folder.path + "/baton.yaml"
        try """
        server:
          host: 127.0.0.1
          port: \(port)
          shutdown_grace_seconds: 10
        messenger:
          app_id: "\(bot)"
          app_secret: \(secret)
          verify_token: serve-verify
          graph_api_url: \(await simulator.graphBaseURL)
          pages:
            - id: "\(page)"
              access_token: \(token)
        storage:
          url: sqlite:./baton.sqlite
        \(sections)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let baton = ServeProcess(
            configPath: configPath, port: port, logPath: folder.path + "/baton.log", environment: environment)
        return ServeWorld(folder: folder, simulator: simulator, baton: baton, secret: secret)
    }
}

extension ServeWorld {
    /// Makes a victim and a bystander on the page, starts `baton serve` and has the victim send `text`.
    /// - Parameter text: the victim's message, the one that kills the process.
    /// - Returns: the two users' PSIDs.
    func startWithVictimSending(_ text: String) async throws -> (victim: String, bystander: String) {
        let victim = await simulator.createUser(page: Self.page)
        let bystander = await simulator.createUser(page: Self.page)
        try await baton.start()
        _ = await simulator.userSends(text: text, page: Self.page, user: victim)
        return (victim, bystander)
    }

    /// Plays a supervisor while the victim's message keeps killing `baton serve`: relaunches
    /// it after every death, until the victim's thread is handed to the Page Inbox or the
    /// process died more than `maxDeaths` times. After the first relaunch the bystander says
    /// "hi", to be answered all the same.
    /// - Returns: how each death ended (a signal, an exit), in order.
    func superviseUntilHandedOver(victim: String, bystander: String, maxDeaths: Int) async throws -> [Process.TerminationReason?] {
        var deaths: [Process.TerminationReason?] = []
        try await waitUntil("the victim's thread was handed over", timeout: .seconds(90)) {
            if await simulator.threadOwner(page: Self.page, user: victim) == AppID.pageInbox.rawValue { return true }
            guard deaths.count <= maxDeaths else { return true }
            if !baton.isRunning {
                deaths.append(baton.terminationReason)
                try baton.launch()
                if deaths.count == 1 { _ = await simulator.userSends(text: "hi", page: Self.page, user: bystander) }
            }
            return false
        }
        return deaths
    }
}
