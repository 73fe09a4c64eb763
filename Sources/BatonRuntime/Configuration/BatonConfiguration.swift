public import BatonCore

/// Everything `baton serve` needs, read from the YAML file of CONTRACT.md.
public struct BatonConfiguration: Sendable, Equatable {
    /// `server:`
    public struct Server: Sendable, Equatable {
        public var host: String = "127.0.0.1"
        public var port: Int = 8080
        /// Webhook bodies over this many bytes get 413.
        public var maxBodyBytes: Int = 1 << 20
        /// How long a graceful shutdown waits for in-flight work.
        public var shutdownGraceSeconds: Double = 10
        /// Threads that run skill calls (their own pool: a hung call holds one of these,
        /// never an event loop or the Swift concurrency pool).
        public var skillThreads: Int = 32
        /// Open connections at most; more clients wait in the listen backlog.
        public var maxConnections: Int = 512
        /// A connection with nothing read for this long is closed (a stalled client).
        public var idleTimeoutSeconds: Double = 30
        /// A request body not fully received within this time gets 408 (a trickling client).
        public var bodyTimeoutSeconds: Double = 15
        /// How often storage is swept for threads with unfinished work nobody is on.
        public var sweepIntervalSeconds: Double = 30
        public init() {}
    }

    /// One Facebook Page this runtime serves.
    public struct Page: Sendable, Equatable {
        public var id: PageID
        public var name: String
        public var accessToken: String
        /// Whether this app is the Page's Conversation Routing default app (Page Settings >
        /// Advanced Messaging). Only the default app may speak first into an idle thread.
        public var defaultApp: Bool
        public init(id: PageID, name: String, accessToken: String, defaultApp: Bool = true) {
            self.id = id
            self.name = name
            self.accessToken = accessToken
            self.defaultApp = defaultApp
        }
    }

    /// `messenger:`
    public struct Messenger: Sendable, Equatable {
        public var appID: AppID
        public var appSecret: String
        public var verifyToken: String
        public var graphAPIURL: String = "https://graph.facebook.com/v25.0"
        /// How long one Graph API call may take before it counts as lost (its change may
        /// still have been applied: control changes are then confirmed with `thread_owner`).
        public var graphTimeoutSeconds: Double = 10
        public var pages: [Page] = []
        public init(appID: AppID, appSecret: String, verifyToken: String) {
            self.appID = appID
            self.appSecret = appSecret
            self.verifyToken = verifyToken
        }
    }

    /// `storage:`
    public struct Storage: Sendable, Equatable {
        /// `sqlite:PATH` (resolved to an absolute path) or `postgres://...`.
        public var url: String = "sqlite:./baton.sqlite"
        public init() {}
    }

    /// One entry of `skills:`.
    public struct Skill: Sendable, Equatable {
        /// Absolute path of the library.
        public var path: String
        /// The skill's configuration as a JSON object.
        public var configJSON: String
        /// How long one respond or detect call may take.
        public var timeoutMilliseconds: Int
        public init(path: String, configJSON: String = "{}", timeoutMilliseconds: Int = 2000) {
            self.path = path
            self.configJSON = configJSON
            self.timeoutMilliseconds = timeoutMilliseconds
        }
    }

    public var server = Server()
    public var messenger: Messenger
    public var handover: HandoverSettings
    public var storage = Storage()
    /// `outbox:`: how transient Graph failures are retried.
    public var retry = RetryPolicy()
    /// `outbox.max_age_seconds`: a planned Graph call older than this is a dead letter.
    public var outboxMaxAgeSeconds: Int64 = 24 * 3600
    public var skills: [Skill] = []
    /// Log level name (`trace`...`critical`).
    public var logLevel: String = "info"

    public init(messenger: Messenger, handover: HandoverSettings? = nil) {
        self.messenger = messenger
        self.handover = handover ?? HandoverSettings(me: messenger.appID)
    }

    /// The page with this id, if configured.
    public func page(_ id: PageID) -> Page? { messenger.pages.first { $0.id == id } }
}
