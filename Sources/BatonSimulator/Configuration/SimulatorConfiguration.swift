/// Everything the simulator needs to know about the Meta side: Pages, apps, routing and fault knobs.
///
/// The Page Inbox (`pageInboxAppID`) is always a known app, even when `apps` does not list it; it has
/// no secret (it never calls the Graph API over HTTP) and the scripted agent acts as it.
public struct SimulatorConfiguration: Sendable {
    /// A Facebook Page served by the simulator.
    public struct Page: Sendable, Hashable, Codable {
        private enum CodingKeys: String, CodingKey {
            case id, name
            case accessToken = "access_token"
        }

        /// The Page ID (digits, as a string).
        public var id: String
        /// The display name.
        public var name: String
        /// The Page access token a caller must present as `access_token`.
        public var accessToken: String

        /// Creates a Page.
        /// - Parameters:
        ///   - id: The Page ID.
        ///   - name: The display name.
        ///   - accessToken: The Page access token.
        public init(id: String, name: String, accessToken: String) {
            (self.id, self.name, self.accessToken) = (id, name, accessToken)
        }
    }

    /// The Pages.
    public var pages: [Page]
    /// The apps (the Page Inbox need not be listed).
    public var apps: [App]
    /// The Conversation Routing default app: owner of new threads and of released or expired ones.
    /// `nil` means threads start, and fall back to, idle.
    public var defaultOwnerAppID: String?
    /// The Page Inbox app ID (Meta's constant by default).
    public var pageInboxAppID: String
    /// The app the scripted human agent acts as; `nil` means the Page Inbox.
    public var agentAppID: String?
    /// Inactivity after which a thread owner's control lapses.
    public var idleTimeout: Duration
    /// Fault injection and delivery tuning.
    public var knobs: Knobs
    /// The simulator clock's start in ms since 1970; `nil` follows the wall clock (plus `advanceClock`).
    public var clockStartMilliseconds: Int64?

    /// Creates a configuration.
    /// - Parameters:
    ///   - pages: The Pages.
    ///   - apps: The apps.
    ///   - defaultOwnerAppID: The default app, or `nil` for idle-start threads.
    ///   - pageInboxAppID: The Page Inbox app ID.
    ///   - agentAppID: The app the scripted agent acts as (default: the Page Inbox).
    ///   - idleTimeout: Inactivity after which control lapses (default 24 h).
    ///   - knobs: Fault and delivery knobs.
    ///   - clockStartMilliseconds: A fixed clock start, or `nil` for the wall clock.
    public init(
        pages: [Page],
        apps: [App],
        defaultOwnerAppID: String? = nil,
        pageInboxAppID: String = "263902037430900",
        agentAppID: String? = nil,
        idleTimeout: Duration = .seconds(24 * 3600),
        knobs: Knobs = Knobs(),
        clockStartMilliseconds: Int64? = nil
    ) {
        self.pages = pages
        self.apps = apps
        self.defaultOwnerAppID = defaultOwnerAppID
        self.pageInboxAppID = pageInboxAppID
        self.agentAppID = agentAppID
        self.idleTimeout = idleTimeout
        self.knobs = knobs
        self.clockStartMilliseconds = clockStartMilliseconds
    }

    /// The app the scripted agent acts as.
    public var effectiveAgentAppID: String { agentAppID ?? pageInboxAppID }

    /// Every known app ID: the configured apps plus the Page Inbox.
    public var knownAppIDs: Set<String> { Set(apps.map(\.id)).union([pageInboxAppID]) }
}
