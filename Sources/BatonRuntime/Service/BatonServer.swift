import AsyncHTTPClient
import BatonCore
import BatonGraph
import BatonSkills
import BatonStore
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals
import Synchronization

/// A whole Baton runtime: webhook intake, the thread scheduler, skills, storage and the
/// Graph client, composed as services that shut down gracefully.
public final class BatonServer: Sendable {
    public let configuration: BatonConfiguration
    /// Every hosted app's runtime, in the file's order (one for the single-app form).
    public let apps: [HostedAppRuntime]
    public let metrics: RuntimeMetrics
    public let gate: IntakeGate
    let httpClient: HTTPClient
    /// Runs skill calls: a pool of its own, so hung calls cannot starve anything else.
    let skillPool: NIOThreadPool
    /// Open HTTP connections, for `/metrics`.
    let connections = ConnectionLimit.Counts()
    let logger: Logger
    /// Applies the `skills:` sections again (SIGHUP, ``reloadSkills(from:)``).
    let reloader: SkillReloader
    private let portBox = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))
    private let runningGroup = Mutex<ServiceGroup?>(nil)

    /// The first hosted app's store (the only one in the single-app form).
    public var store: any BatonStore { apps[0].store }
    /// The first hosted app's skills (the only ones in the single-app form).
    public var skills: SkillSet { apps[0].skills }
    var processor: ConversationProcessor { apps[0].processor }

    /// The hosted app with this name, if any.
    public func app(named name: String) -> HostedAppRuntime? { apps.first { $0.app.name == name } }

    /// Opens storage, loads every skill and prepares the services. Fails with one clear
    /// error when the configuration cannot work (no secret, a skill that will not load...).
    ///
    /// - Parameter retry: overrides `configuration.retry` (the `outbox:` section) when given.
    public init(configuration: BatonConfiguration, logger: Logger, retry: RetryPolicy? = nil) async throws {
        let retry = retry ?? configuration.retry
        self.configuration = configuration
        self.logger = logger
        let metrics = RuntimeMetrics()
        self.metrics = metrics
        self.gate = IntakeGate()

        let skillPool = NIOThreadPool(numberOfThreads: configuration.server.skillThreads)
        skillPool.start()
        self.skillPool = skillPool
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.httpClient = httpClient

        let libraries = SkillLibraries(loader: SkillLoader(logger: logger, threadPool: skillPool))
        let copies = LibraryCopies(storage: configuration.storage.location)
        let leftovers = copies.removeLeftovers()
        if !leftovers.isEmpty {
            logger.debug("removed the skill copies of an earlier run", metadata: ["folder": "\(copies.folder)", "count": "\(leftovers.count)"])
        }
        var apps: [HostedAppRuntime] = []
        do {
            for (index, app) in configuration.hostedApps.enumerated() {
                apps.append(
                    try await HostedAppRuntime(
                        app: app, file: configuration, keyPrefix: configuration.hostsSeveralApps ? "apps[\(index)]." : "", retry: retry,
                        libraries: libraries, httpClient: httpClient, metrics: metrics, logger: logger))
            }
        } catch {
            for app in apps { await app.store.close() }
            try? await httpClient.shutdown()
            skillPool.shutdownGracefully { _ in }
            throw error
        }
        self.apps = apps
        self.reloader = SkillReloader(
            libraries: libraries, copies: copies, metrics: metrics, logger: logger)
    }

    /// The port the HTTP server listens on, once it does; 0 when the server stopped
    /// without ever listening (the port was taken, say).
    public var port: Int {
        get async {
            await withCheckedContinuation { continuation in
                portBox.withLock { box in
                    if let port = box.port { continuation.resume(returning: port) } else { box.waiters.append(continuation) }
                }
            }
        }
    }

    /// Wakes everyone waiting for ``port``: with the port the server listens on, or with 0
    /// (`nil`) when it stops, unless it listened before.
    private func publishPort(_ port: Int?) {
        let waiters = portBox.withLock { box in
            if let port { box.port = port } else if box.port == nil { box.port = 0 }
            defer { box.waiters = [] }
            return box.waiters
        }
        // Waiters exist only while no port was published, so a stop hands them 0.
        for waiter in waiters { waiter.resume(returning: port ?? 0) }
    }

    /// The services of one run. Graceful shutdown runs them down in reverse order: the gate
    /// closes (new webhooks get 503), the scheduler drains within its grace period, new
    /// connections stop being accepted, and only then does the HTTP server close.
    private func makeServiceGroup(_ app: some Service, signals: [UnixSignal], reload: SkillReloadService?) -> ServiceGroup {
        ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app),
                    .init(service: StopAcceptingService(connections: connections)),
                ] + apps.map { .init(service: $0.scheduler) } + [
                    .init(service: GateService(gate: gate, logger: logger)),
                ] + (reload.map { [.init(service: $0, successTerminationBehavior: .ignore)] } ?? []),
                gracefulShutdownSignals: signals,
                cancellationSignals: [],
                logger: logger))
    }

    /// Runs until a graceful shutdown: by one of `signals`, or by cancelling the task.
    ///
    /// - Parameters:
    ///   - signals: the signals that start a graceful shutdown.
    ///   - reloadConfiguration: reads the configuration file again; when given, SIGHUP reloads
    ///     its skills (``reloadSkills(from:)``).
    public func run(
        signals: [UnixSignal] = [.sigterm, .sigint], reloadConfiguration: (@Sendable () throws(ConfigurationError) -> BatonConfiguration)? = nil
    ) async throws {
        let router = Router()
        for hosted in apps {
            let scheduler = hosted.scheduler
            WebhookController(
                verifyToken: hosted.app.messenger.verifyToken,
                signature: WebhookSignature(appSecret: hosted.app.messenger.appSecret),
                maxBodyBytes: configuration.server.maxBodyBytes,
                bodyTimeout: .milliseconds(Int64(clamping: configuration.server.bodyTimeoutSeconds * 1000)), connections: connections,
                store: hosted.store, gate: gate, metrics: metrics, logger: logger,
                onRecorded: { scheduler.notify($0) }, throttle: hosted.throttle
            ).addWebhookRoutes(to: router, path: hosted.webhookPath)
        }
        let endpoint = MetricsEndpoint(metrics: metrics, stores: apps.map(\.store), connections: connections, throttles: apps.map(\.throttle))
        addServerRoutes(to: router, gate: gate, metrics: endpoint)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(clamping: configuration.server.idleTimeoutSeconds * 1000)))),
            configuration: .init(
                address: .hostname(configuration.server.host, port: configuration.server.port), serverName: "Baton",
                availableConnectionsDelegate: ConnectionLimit(maximum: configuration.server.maxConnections, counts: connections)),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("baton listening", metadata: ["port": "\(port)"])
                publishPort(port)
            },
            logger: logger)
        // Trapped before the server listens: once it answers, a SIGHUP reloads and cannot end it.
        var reload: SkillReloadService?
        if let reloadConfiguration {
            reload = SkillReloadService(signals: await UnixSignalsSequence(trapping: .sighup), server: self, load: reloadConfiguration)
        }
        let group = makeServiceGroup(app, signals: signals, reload: reload)
        runningGroup.withLock { $0 = group }
        defer {
            for app in apps { app.skills.destroyAll() }
            // Not awaited: a hung skill call keeps its thread until it returns, and must not
            // hold up the exit.
            skillPool.shutdownGracefully { _ in }
            publishPort(nil)
        }
        do {
            try await group.run()
        } catch {
            try? await httpClient.shutdown()
            for app in apps { await app.store.close() }
            throw error
        }
        try? await httpClient.shutdown()
        for app in apps { await app.store.close() }
        logger.info("baton stopped")
    }
}

extension BatonServer {
    /// Starts a graceful shutdown, as SIGTERM does: intake closes (503), in-flight work
    /// finishes within the grace period, and ``run(signals:)`` returns.
    public func shutdown() async {
        let group = runningGroup.withLock { $0 }
        await group?.triggerGracefulShutdown()
    }

    /// Whether every recorded event is processed and every planned Graph call finished,
    /// but for deferred ones (refused escalation passes waiting for their next try).
    public func isIdle() async -> Bool {
        for app in apps {
            guard app.scheduler.activeThreads == 0, let backlog = try? await app.store.backlog() else { return false }
            guard backlog.inboxPending == 0 && backlog.outboxPending == backlog.outboxDeferred else { return false }
        }
        return true
    }
}

/// Closes the intake gate first thing in a graceful shutdown.
struct GateService: Service {
    let gate: IntakeGate
    let logger: Logger
    func run() async throws {
        try? await gracefulShutdown()
        gate.close()
        logger.info("intake closed: new webhooks get 503 until the next start")
    }
}

/// Stops accepting connections a moment before the HTTP server closes: a connection
/// accepted in the very tick the listener closes would be dropped half-set-up (which NIO
/// treats as a fatal error); left in the backlog, it is simply reset.
struct StopAcceptingService: Service {
    let connections: ConnectionLimit.Counts
    func run() async throws {
        try? await gracefulShutdown()
        connections.stopAccepting()
        try? await Task.sleep(for: .milliseconds(100))
    }
}
