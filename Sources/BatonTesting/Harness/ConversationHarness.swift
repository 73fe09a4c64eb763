public import BatonCore
public import BatonRuntime
public import BatonSimulator
import BatonStore
import Foundation
public import Logging

/// A Baton runtime and the Messenger Platform simulator wired together over loopback HTTP:
/// the simulator delivers signed webhooks to the runtime, the runtime calls the
/// simulator's Graph API. For tests, transcripts and `baton demo`.
///
/// ```swift
/// let harness = try await ConversationHarness.start(skills: [.init(path: echoPath)])
/// let user = await harness.simulator.createUser(page: harness.pageID)
/// _ = await harness.simulator.userSends(text: "hello", page: harness.pageID, user: user)
/// try await harness.settle()
/// ```
public final class ConversationHarness: Sendable {
    /// The bot's app id in the simulated world.
    public static let botAppID = "712345678901234"
    /// The page every harness serves.
    public static let defaultPageID = "109876543210987"

    public let simulator: MessengerSimulator
    public let server: BatonServer
    public let configuration: BatonConfiguration
    public let folder: String
    private let runTask: Task<Void, any Error>
    private let logger: Logger

    /// The page id.
    public var pageID: String { configuration.messenger.pages[0].id.rawValue }

    init(
        simulator: MessengerSimulator, server: BatonServer, configuration: BatonConfiguration, folder: String,
        runTask: Task<Void, any Error>, logger: Logger
    ) {
        self.logger = logger
        self.simulator = simulator
        self.server = server
        self.configuration = configuration
        self.folder = folder
        self.runTask = runTask
    }

    /// Starts a simulator and a runtime that talk to each other.
    ///
    /// - Parameters:
    ///   - skills: the skills to load, in order.
    ///   - handover: adjusts the handover settings (agent app, threshold...).
    ///   - knobs: the simulator's fault knobs.
    ///   - pages: page ids to serve (the first is ``pageID``).
    ///   - retry: how the runtime retries transient Graph failures (fast, for tests).
    ///   - configure: last changes to the runtime's configuration.
    ///   - botIsDefaultApp: whether the bot is the Conversation Routing default app (else threads start idle).
    ///   - extraApps: more apps on the pages (a live-agent app that calls the Graph API, say).
    ///   - folder: where the SQLite file goes; a new temporary folder when nil.
    ///   - logger: the runtime's logger.
    public static func start(
        skills: [BatonConfiguration.Skill],
        handover: @Sendable (inout HandoverSettings) -> Void = { _ in },
        knobs: SimulatorConfiguration.Knobs = .init(),
        pages: [String] = [ConversationHarness.defaultPageID],
        extraApps: [SimulatorConfiguration.App] = [],
        botIsDefaultApp: Bool = true,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200)),
        configure: @Sendable (inout BatonConfiguration) -> Void = { _ in },
        folder: String? = nil,
        logger: Logger = Logger(label: "baton.harness")
    ) async throws -> ConversationHarness {
        let folder = try folder ?? makeTemporaryFolder()
        let secret = "harness-secret-\(UInt64.random(in: 0...UInt64.max))"
        let pageConfigs = pages.enumerated().map { index, id in
            SimulatorConfiguration.Page(id: id, name: "Page \(index + 1)", accessToken: "page-token-\(id)")
        }
        return try await onAFreePort { port in
            var simulatorConfiguration = SimulatorConfiguration(
                pages: pageConfigs,
                apps: [.init(id: botAppID, name: "Baton", secret: secret, webhookURL: "http://127.0.0.1:\(port)/webhook")]
                    + extraApps)
            simulatorConfiguration.knobs = knobs
            // Under Conversation Routing the bot is the Page's default app: new threads start
            // with it, and it may take control back from the Inbox.
            simulatorConfiguration.defaultOwnerAppID = botIsDefaultApp ? botAppID : nil
            let simulator = MessengerSimulator(configuration: simulatorConfiguration, logger: logger)
            try await simulator.start()

            var messenger = BatonConfiguration.Messenger(appID: AppID(botAppID), appSecret: secret, verifyToken: "harness-verify")
            messenger.graphAPIURL = await simulator.graphBaseURL
            messenger.pages = pageConfigs.map { .init(id: PageID($0.id), name: $0.name, accessToken: $0.accessToken) }
            var configuration = BatonConfiguration(messenger: messenger)
            handover(&configuration.handover)
            configuration.server.port = port
            configuration.server.shutdownGraceSeconds = 5
            configuration.storage.location = .sqlite(path: folder + "/baton.sqlite")
            configuration.skills = skills
            configure(&configuration)
            return try await startRuntime(configuration, beside: simulator, folder: folder, retry: retry, logger: logger)
        }
    }

    /// Runs `attempt` with up to five free ports until one gives a harness: a port free a moment
    /// ago may be taken by another process before the runtime binds it.
    static func onAFreePort(_ attempt: (Int) async throws -> Result<ConversationHarness, any Error>) async throws -> ConversationHarness {
        var lastError: (any Error)?
        for _ in 0..<5 {
            guard let port = FreePort.next() else { continue }
            switch try await attempt(port) {
            case .success(let harness): return harness
            case .failure(let error): lastError = error
            }
        }
        throw lastError ?? HarnessError("no free port")
    }

    /// Starts the runtime for `configuration` beside a started simulator. When it did not come up
    /// on its port, stops the simulator and returns why.
    static func startRuntime(
        _ configuration: BatonConfiguration, beside simulator: MessengerSimulator, folder: String, retry: RetryPolicy, logger: Logger
    ) async throws -> Result<ConversationHarness, any Error> {
        let server = try await BatonServer(configuration: configuration, logger: logger, retry: retry)
        let task = Task { try await server.run(signals: []) }
        if await server.port == configuration.server.port {
            return .success(
                ConversationHarness(simulator: simulator, server: server, configuration: configuration, folder: folder, runTask: task, logger: logger))
        }
        let failure: any Error
        do {
            try await task.value
            failure = HarnessError("the runtime stopped at start")
        } catch {
            failure = error
        }
        try? await simulator.shutdown()
        return .failure(failure)
    }

    /// Stops the runtime as a crash would leave it (nothing more is processed), lets
    /// `between` change what is on disk, and starts a new runtime on the same database,
    /// port and simulator. This harness is spent afterwards; use the one returned.
    ///
    /// - Parameters:
    ///   - retry: the new runtime's retry policy.
    ///   - between: runs while no runtime is up; gets the SQLite file's path.
    public func restarted(
        retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200)),
        between: @Sendable (String) async throws -> Void = { _ in }
    ) async throws -> ConversationHarness {
        await server.shutdown()
        _ = try? await runTask.value
        try await between(configuration.storage.location.sqlitePath ?? folder + "/baton.sqlite")
        let server = try await BatonServer(configuration: configuration, logger: logger, retry: retry)
        let task = Task { try await server.run(signals: []) }
        guard await server.port == configuration.server.port else {
            let reason: String
            do {
                try await task.value
                reason = "it stopped without an error"
            } catch {
                reason = "\(error)"
            }
            throw HarnessError("the restarted runtime could not listen on port \(configuration.server.port): \(reason)")
        }
        return ConversationHarness(
            simulator: simulator, server: server, configuration: configuration, folder: folder, runTask: task, logger: logger)
    }

    /// Waits until every webhook was delivered and every event processed, twice in a row.
    public func settle(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        var calmRounds = 0
        while calmRounds < 2 {
            guard ContinuousClock.now < deadline else { throw HarnessError("did not settle within \(timeout)") }
            try await simulator.waitUntilQuiet(timeout: deadline - ContinuousClock.now)
            if await server.isIdle() {
                calmRounds += 1
            } else {
                calmRounds = 0
            }
            try await Task.sleep(for: .milliseconds(15))
        }
    }

    /// Shuts the runtime down gracefully and stops the simulator.
    public func stop() async {
        await server.shutdown()
        _ = try? await runTask.value
        try? await simulator.shutdown()
    }

    /// Who owns the thread according to Baton.
    public func batonOwner(user: String) async -> ThreadOwner? {
        try? await server.store.threadState(ThreadKey(page: PageID(pageID), user: UserID(user)))?.owner
    }

    static func makeTemporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A harness failure with one line of explanation.
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
