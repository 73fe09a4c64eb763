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
    public let store: any BatonStore
    public let metrics: RuntimeMetrics
    public let skills: SkillSet
    public let gate: IntakeGate
    let processor: ConversationProcessor
    let scheduler: ThreadScheduler
    /// Pages paused by Meta's throttles, shared by every thread's Graph calls.
    let throttle = PageThrottle()
    let httpClient: HTTPClient
    /// Runs skill calls: a pool of its own, so hung calls cannot starve anything else.
    let skillPool: NIOThreadPool
    /// Open HTTP connections, for `/metrics`.
    let connections = ConnectionLimit.Counts()
    let logger: Logger
    private let portBox = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))
    private let runningGroup = Mutex<ServiceGroup?>(nil)

    /// Opens storage, loads every skill and prepares the services. Fails with one clear
    /// error when the configuration cannot work (no secret, a skill that will not load...).
    ///
    /// - Parameter retry: overrides `configuration.retry` (the `outbox:` section) when given.
    public init(configuration: BatonConfiguration, logger: Logger, retry: RetryPolicy? = nil) async throws {
        let retry = retry ?? configuration.retry
        guard !configuration.messenger.appSecret.isEmpty else {
            throw ConfigurationError(key: "messenger.app_secret", "is required: Baton will not start without it")
        }
        guard !configuration.messenger.verifyToken.isEmpty else {
            throw ConfigurationError(key: "messenger.verify_token", "is required: Baton will not start without it")
        }
        self.configuration = configuration
        self.logger = logger
        let metrics = RuntimeMetrics()
        self.metrics = metrics
        self.gate = IntakeGate()

        let store = try await Self.openStore(configuration.storage.location)
        self.store = store

        let skillPool = NIOThreadPool(numberOfThreads: configuration.server.skillThreads)
        skillPool.start()
        self.skillPool = skillPool
        let skills = try await Self.loadSkills(configuration, pool: skillPool, store: store, metrics: metrics, logger: logger)
        self.skills = skills

        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let graph = Self.makeGraphClient(configuration.messenger, httpClient: httpClient, logger: logger)
        let notDefault = Set(configuration.messenger.pages.filter { !$0.defaultApp }.map(\.id))
        let isDefaultApp: @Sendable (PageID) -> Bool = { !notDefault.contains($0) }
        let waker = ThreadWaker()
        let outbox = OutboxRunner(
            store: store, graph: graph, pages: Self.pageTokens(configuration.messenger), me: configuration.messenger.appID, retry: retry,
            limits: Self.outboxLimits(configuration), throttle: throttle, waker: waker, metrics: metrics, logger: logger,
            isDefaultApp: isDefaultApp)
        let processor = ConversationProcessor(
            store: store, policy: ConversationPolicy(settings: configuration.handover), skills: skills, outbox: outbox,
            metrics: metrics, logger: logger, isDefaultApp: isDefaultApp)
        self.processor = processor
        let scheduler = Self.makeScheduler(configuration.server, store: store, processor: processor, logger: logger)
        self.scheduler = scheduler
        waker.connect { scheduler.notify($0) }
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
    private func makeServiceGroup(_ app: some Service, signals: [UnixSignal]) -> ServiceGroup {
        ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app),
                    .init(service: StopAcceptingService(connections: connections)),
                    .init(service: scheduler),
                    .init(service: GateService(gate: gate, logger: logger)),
                ],
                gracefulShutdownSignals: signals,
                cancellationSignals: [],
                logger: logger))
    }

    /// Runs until a graceful shutdown: by one of `signals`, or by cancelling the task.
    public func run(signals: [UnixSignal] = [.sigterm, .sigint]) async throws {
        let router = Router()
        let scheduler = self.scheduler
        WebhookController(
            verifyToken: configuration.messenger.verifyToken,
            signature: WebhookSignature(appSecret: configuration.messenger.appSecret),
            maxBodyBytes: configuration.server.maxBodyBytes,
            bodyTimeout: .milliseconds(Int64(clamping: configuration.server.bodyTimeoutSeconds * 1000)), connections: connections, store: store, gate: gate, metrics: metrics, logger: logger,
            onRecorded: { scheduler.notify($0) }, throttle: throttle
        ).addRoutes(to: router)
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
        let group = makeServiceGroup(app, signals: signals)
        runningGroup.withLock { $0 = group }
        defer {
            skills.destroyAll()
            // Not awaited: a hung skill call keeps its thread until it returns, and must not
            // hold up the exit.
            skillPool.shutdownGracefully { _ in }
            publishPort(nil)
        }
        do {
            try await group.run()
        } catch {
            try? await httpClient.shutdown()
            await store.close()
            throw error
        }
        try? await httpClient.shutdown()
        await store.close()
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
        guard scheduler.activeThreads == 0, let backlog = try? await store.backlog() else { return false }
        return backlog.inboxPending == 0 && backlog.outboxPending == backlog.outboxDeferred
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
