import AsyncHTTPClient
import Logging

/// A stand-in for Meta's Messenger Platform under Conversation Routing: the Graph API (Send API,
/// thread control, thread owner, conversations), signed webhooks delivered over real HTTP with
/// retries and fault knobs, a scriptable user and human agent, a test clock, and a control API.
///
/// ```swift
/// let sim = MessengerSimulator(configuration: config)
/// try await sim.start()
/// let psid = await sim.createUser(page: pageID)
/// _ = await sim.userSends(text: "hi", page: pageID, user: psid)
/// try await sim.waitUntilQuiet(timeout: .seconds(5))
/// try await sim.shutdown()
/// ```
public actor MessengerSimulator {
    /// The configuration the simulator was created with.
    public let configuration: SimulatorConfiguration
    let logger: Logger

    var clock: SimulatorClock
    var rng: SeededGenerator
    var threads: [String: ThreadState] = [:]
    var sequence = 0
    /// The live knobs: start as the configuration's, changed at run time by the setters
    /// (``setTransientSendFailureRate(_:)`` and the others) and `POST /control/faults`.
    var knobs: SimulatorConfiguration.Knobs
    /// Users whose sends fail with the given transient code, whatever the rate.
    var failingRecipients: [String: Int] = [:]
    /// Endpoints (`pass_thread_control`...) refused with this error, whoever calls them.
    var refusedEndpoints: [String: SimulatedGraphError] = [:]
    /// Page throttles in force, by Page ID.
    var throttles: [String: PageThrottle] = [:]
    /// Graph calls refused because of a Page throttle, by Page ID (kept after the throttle ends).
    var throttleRefusals: [String: Int] = [:]
    /// Every Send API and thread-control call, in order.
    var callLog: [GraphCallRecord] = []
    /// `subscribed_apps`: each app's webhook fields, by app ID, by Page ID.
    var subscriptions: [String: [String: [String]]]
    /// Every saved attachment, in order (``uploads``).
    var uploadLog: [AttachmentUpload] = []
    /// Position in `uploadLog` by attachment ID.
    var uploadIndex: [String: Int] = [:]

    // Server.
    /// The HTTP server, shut down gracefully at ``shutdown()``.
    var server: GracefulServer?
    var boundPort: Int?
    var httpClient: HTTPClient?
    var isShutDown = false

    // Delivery.
    var queues: [String: [PendingEvent]] = [:]
    var queueWaiters: [String: CheckedContinuation<Bool, Never>] = [:]
    var deliveryTasks: [Task<Void, Never>] = []
    var outstanding = 0
    var quietWaiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    var entryWaiters: [Int: EntryWaiter] = [:]
    var nextWaiterID = 0
    var deliveries: [DeliveryAttempt] = []

    // Observation.
    var subscribers: [Int: AsyncStream<TimelineEntry>.Continuation] = [:]
    /// Every timeline entry of every thread, as it happens (one consumer; use `makeEventStream()` for more).
    public nonisolated let events: AsyncStream<TimelineEntry>
    let eventsContinuation: AsyncStream<TimelineEntry>.Continuation

    struct EntryWaiter {
        var after: Int
        var predicate: @Sendable (TimelineEntry) -> Bool
        var continuation: CheckedContinuation<TimelineEntry, any Error>
    }

    /// Creates a simulator; nothing listens until `start()`.
    /// - Parameters:
    ///   - configuration: Pages, apps, routing and knobs.
    ///   - logger: Where the simulator logs.
    public init(configuration: SimulatorConfiguration, logger: Logger = Logger(label: "baton.simulator")) {
        self.configuration = configuration
        self.logger = logger
        self.clock = SimulatorClock(fixedStart: configuration.clockStartMilliseconds)
        self.rng = SeededGenerator(seed: configuration.knobs.seed)
        self.knobs = configuration.knobs
        self.subscriptions = Self.initialSubscriptions(configuration)
        (events, eventsContinuation) = AsyncStream.makeStream(of: TimelineEntry.self, bufferingPolicy: .unbounded)
    }

    /// The bound port (0 before `start()`).
    public var port: Int { boundPort ?? 0 }

    /// The Graph API base URL to give the bot, e.g. `http://127.0.0.1:PORT/v25.0`.
    public var graphBaseURL: String { "http://127.0.0.1:\(port)/v25.0" }

    /// The simulator clock in ms since 1970.
    public var now: Int64 { clock.now }

    /// Moves the test clock forward; control that lapses on the way is expired (without webhook).
    /// - Parameter duration: How far to move.
    public func advanceClock(by duration: Duration) {
        clock.advance(by: duration)
        for psid in threads.keys.sorted() { lapseIfExpired(psid) }
    }

    // MARK: Helpers shared by the extensions

    /// Apps with a webhook URL (each has a delivery queue; `subscriptions` says what it gets).
    var appsWithWebhook: [SimulatorConfiguration.App] { configuration.apps.filter { $0.webhookURL != nil } }

    func page(withID id: String) -> SimulatorConfiguration.Page? { configuration.pages.first { $0.id == id } }

    func newMID() -> String { "m_" + rng.token(64) }
}
