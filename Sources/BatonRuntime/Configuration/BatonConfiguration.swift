public import BatonCore
public import BatonSkills
public import Logging

/// Everything `baton serve` needs, read from its YAML file (README's "Configuration reference";
/// ``keys`` lists every key with its type, default and a line of documentation).
public struct BatonConfiguration: Sendable, Equatable {
    /// `server:`
    public struct Server: Sendable, Equatable {
        /// The address to listen on.
        public var host: String = "127.0.0.1"
        /// The port to listen on (0: any free port).
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
        /// The address Meta reaches this server at (`https://bots.example.com`): the webhook
        /// URLs `baton pages add` prints and `baton doctor` checks start here.
        public var publicURL: String?
        /// Every default.
        public init() {}
    }

    /// One Facebook Page this runtime serves.
    public struct Page: Sendable, Equatable {
        /// The Page's id.
        public var id: PageID
        /// For logs and the simulator.
        public var name: String
        /// The Page access token every Graph call for this Page carries.
        public var accessToken: String
        /// Whether this app is the Page's Conversation Routing default app (Page Settings >
        /// Advanced Messaging). Only the default app may speak first into an idle thread.
        public var defaultApp: Bool
        /// - Parameters:
        ///   - id: the Page's id.
        ///   - name: for logs and the simulator.
        ///   - accessToken: the Page access token.
        ///   - defaultApp: whether this app is the Page's default app.
        public init(id: PageID, name: String, accessToken: String, defaultApp: Bool = true) {
            (self.id, self.name, self.accessToken, self.defaultApp) = (id, name, accessToken, defaultApp)
        }
    }

    /// `messenger:`
    public struct Messenger: Sendable, Equatable {
        /// This runtime's Facebook app.
        public var appID: AppID
        /// Signs webhooks (`X-Hub-Signature-256`) and `appsecret_proof`.
        public var appSecret: String
        /// What `GET /webhook` expects in `hub.verify_token`.
        public var verifyToken: String
        /// The Graph API's base URL, without a trailing slash (a simulator's in tests).
        public var graphAPIURL: String = "https://graph.facebook.com/v25.0"
        /// How long one Graph API call may take before it counts as lost (its change may
        /// still have been applied: control changes are then confirmed with `thread_owner`).
        public var graphTimeoutSeconds: Double = 10
        /// The Pages this runtime serves.
        public var pages: [Page] = []
        /// - Parameters:
        ///   - appID: this runtime's Facebook app.
        ///   - appSecret: the app's secret.
        ///   - verifyToken: the webhook verification token.
        public init(appID: AppID, appSecret: String, verifyToken: String) {
            (self.appID, self.appSecret, self.verifyToken) = (appID, appSecret, verifyToken)
        }
    }

    /// `storage:`
    public struct Storage: Sendable, Equatable {
        /// `storage.url`: a SQLite file (a relative path starts at the configuration file's folder).
        public var location: StorageLocation = .sqlite(path: "./baton.sqlite")
        /// The default location.
        public init() {}
    }

    /// `simulator:`: read by `baton simulate` when it plays Meta for this configuration.
    public struct Simulator: Sendable, Equatable {
        /// Where the simulator posts webhooks; nil: `http://server.host:server.port/webhook`.
        public var webhookURL: String?
        /// The Pages' Conversation Routing default app; nil: none.
        public var defaultOwnerAppID: AppID?
        /// The simulator's knobs as a JSON object (snake_case keys), if any.
        public var knobsJSON: String?
        /// No settings: the simulator's defaults.
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
        /// `escalate_to` as the file spells it: `human`, `back`, a hosted app's name or an app id.
        public var escalateTo: String?
        /// Where this detector's escalation goes, resolved from ``escalateTo`` (nil: `human`).
        public var escalation: EscalationTarget?
        /// This detector's own threshold (nil: `handover.escalation_threshold`).
        public var threshold: Double?
        /// `isolation`: in this process (the default) or in worker processes of its own.
        public var isolation: SkillIsolation = .inProcess
        /// `workers`: worker processes under `isolation: process`, each serving one call at a time.
        public var workers: Int = 1
        /// `memory_limit_mb`: the address space a worker's skill may add (`RLIMIT_AS`); nil: no limit.
        public var memoryLimitMB: Int?
        /// `worker_spin_us`: how long (µs) a worker checks for the next call without sleeping after
        /// answering one; nil: 100. Longer keeps a worker awake between calls that come close together.
        public var workerSpinMicroseconds: Int?
        /// `worker_cpu`: the CPU every worker of this skill is bound to; nil: not bound.
        public var workerCPU: Int?
        /// `skills_optional`: start without this skill when it crashes or fails its checks at start-up.
        public var isOptional: Bool = false
        /// `ffi`: a plain C function bound through libffi instead of a library (``path`` is then empty).
        public var ffi: Function?
        /// `kind`: what an `ffi` entry is, `.responder` or `.detector` (a library's descriptor says it).
        public var kind: SkillKind?
        /// `name`: an `ffi` entry's name in logs and metrics (nil: the function's name).
        public var name: String?
        /// - Parameters:
        ///   - path: the library's absolute path.
        ///   - configJSON: the skill's configuration, a JSON object.
        ///   - timeoutMilliseconds: how long one call may take.
        ///   - escalation: where this detector's escalation goes (nil: a human).
        ///   - threshold: this detector's own threshold (nil: the handover section's).
        public init(
            path: String, configJSON: String = "{}", timeoutMilliseconds: Int = 2000, escalation: EscalationTarget? = nil,
            threshold: Double? = nil
        ) {
            (self.path, self.configJSON, self.timeoutMilliseconds) = (path, configJSON, timeoutMilliseconds)
            (self.escalation, self.threshold) = (escalation, threshold)
            self.escalateTo = escalation?.description
        }
    }

    /// `server:`
    public var server = Server()
    /// `messenger:`
    public var messenger: Messenger
    /// `handover:`
    public var handover: HandoverSettings
    /// `storage:`
    public var storage = Storage()
    /// `outbox:`: how transient Graph failures are retried.
    public var retry = RetryPolicy()
    /// `outbox.max_age_seconds`: a planned Graph call older than this is a dead letter.
    public var outboxMaxAgeSeconds: Int64 = 24 * 3600
    /// `skills:`, in the order responders are asked.
    public var skills: [Skill] = []
    /// `logging.level`.
    public var logLevel: Logger.Level = .info
    /// `simulator:`
    public var simulator = Simulator()
    /// `apps:`: the apps this Baton hosts when there are several (empty in the single-app
    /// form; ``hostedApps`` covers both).
    public var apps: [HostedApp] = []
    /// `graph_api_url` at the top level: the Graph API of every app that names none.
    public var graphAPIURL: String?
    /// `apps:` as read, before ``HostedAppResolution`` fills in the top-level defaults.
    var appEntries: [HostedApp.Entry] = []

    /// Every default but `messenger:`.
    ///
    /// - Parameters:
    ///   - messenger: this app and its Pages.
    ///   - handover: the handover rules; nil: the defaults, for `messenger.appID`.
    public init(messenger: Messenger, handover: HandoverSettings? = nil) {
        self.messenger = messenger
        self.handover = handover ?? HandoverSettings(me: messenger.appID)
    }

    /// The page with this id, if configured.
    public func page(_ id: PageID) -> Page? { messenger.pages.first { $0.id == id } }
}
