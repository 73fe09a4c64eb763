import AsyncHTTPClient
import BatonCore
import BatonStore
import Logging

/// One hosted app's part of a ``BatonServer``: its own store, skills, outbox, conversation
/// processor and thread scheduler, and the webhook path Meta posts this app's copy of every
/// event to. Each app decides only as the thread's owner; on `standby` it listens.
public final class HostedAppRuntime: Sendable {
    /// The app as configured.
    public let app: HostedApp
    /// The configuration this app runs with (``BatonConfiguration/running(_:)``).
    public let configuration: BatonConfiguration
    /// `/webhook/<name>`, or `/webhook` for the single app.
    public let webhookPath: String
    /// This app's events, decisions, outbox and thread states.
    public let store: any BatonStore
    /// This app's skills.
    public let skills: SkillSet
    let processor: ConversationProcessor
    let scheduler: ThreadScheduler
    /// This app's Pages paused by Meta's throttles.
    let throttle = PageThrottle()

    /// Opens the app's store and loads its skills; closes what it opened when it fails.
    ///
    /// - Parameters:
    ///   - app: the hosted app.
    ///   - file: the whole configuration.
    ///   - keyPrefix: where the app's keys live in the file (`apps[1].`, or "" for `messenger:`).
    ///   - retry: the outbox's retry policy.
    ///   - libraries: the libraries loaded so far (each is loaded once, its instances are per entry).
    ///   - httpClient: the shared Graph API HTTP client.
    ///   - metrics: the shared metrics.
    ///   - logger: the server's logger.
    init(
        app: HostedApp, file: BatonConfiguration, keyPrefix: String, retry: RetryPolicy, libraries: SkillLibraries,
        httpClient: HTTPClient, metrics: RuntimeMetrics, logger: Logger
    ) async throws {
        let configuration = file.running(app)
        guard !app.messenger.appSecret.isEmpty else {
            throw ConfigurationError(key: "\(keyPrefix.isEmpty ? "messenger." : keyPrefix)app_secret", "is required: Baton will not start without it")
        }
        guard !app.messenger.verifyToken.isEmpty else {
            throw ConfigurationError(key: "\(keyPrefix.isEmpty ? "messenger." : keyPrefix)verify_token", "is required: Baton will not start without it")
        }
        var logger = logger
        if file.hostsSeveralApps { logger[metadataKey: "app"] = "\(app.name)" }
        self.app = app
        self.configuration = configuration
        self.webhookPath = file.webhookPath(for: app)
        let store = try await BatonServer.openStore(configuration.storage.location)
        let skills: SkillSet
        do {
            // Loading checks each library in a child process and waits for it: off the concurrency pool.
            let loggerCopy = logger
            skills = try await runBlocking { () throws(ConfigurationError) in
                try BatonServer.loadSkills(configuration, keyPrefix: keyPrefix, libraries: libraries, metrics: metrics, logger: loggerCopy)
            }
        } catch {
            await store.close()
            throw error
        }
        self.store = store
        self.skills = skills
        let messenger = configuration.messenger
        let graph = BatonServer.makeGraphClient(messenger, httpClient: httpClient, logger: logger)
        let notDefault = Set(messenger.pages.filter { !$0.defaultApp }.map(\.id))
        let isDefaultApp: @Sendable (PageID) -> Bool = { !notDefault.contains($0) }
        let waker = ThreadWaker()
        let outbox = OutboxRunner(
            store: store, graph: graph, pages: BatonServer.pageTokens(messenger), me: messenger.appID, retry: retry,
            limits: BatonServer.outboxLimits(configuration), throttle: throttle, waker: waker, metrics: metrics, logger: logger,
            isDefaultApp: isDefaultApp)
        let processor = ConversationProcessor(
            store: store, policy: ConversationPolicy(settings: configuration.handover), skills: skills, outbox: outbox,
            metrics: metrics, logger: logger, isDefaultApp: isDefaultApp, appName: app.name)
        self.processor = processor
        let scheduler = BatonServer.makeScheduler(configuration.server, store: store, processor: processor, logger: logger)
        self.scheduler = scheduler
        waker.connect { scheduler.notify($0) }
    }
}
