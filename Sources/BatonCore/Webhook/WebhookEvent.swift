/// One event of a Messenger webhook body, with its envelope resolved.
public struct WebhookEvent: Sendable, Equatable, Codable {
    /// The Page the event belongs to (`entry[].id`).
    public var page: PageID
    /// Whether the event came in `messaging` or `standby`.
    public var channel: WebhookChannel
    /// The non-Page party: `sender.id` normally, `recipient.id` for echoes.
    /// Empty for Page-wide events that name no user (`app_roles`).
    public var user: UserID
    /// Milliseconds since the epoch, as sent (`timestamp`, else the entry's `time`).
    public var timestamp: Int64
    /// What happened.
    public var kind: WebhookEventKind
    /// This one event object re-serialised as compact JSON with sorted keys.
    /// For the inbox and for logs; never for signature checks (use the raw body).
    public var rawJSON: String
    /// A key that is equal for redeliveries of the same event: `mid:<mid>` for messages,
    /// echoes and postbacks that carry a `mid`, else `<page>:<user>:<timestamp>:<kind name>`.
    public var dedupeKey: String

    /// The conversation the event belongs to.
    public var thread: ThreadKey { ThreadKey(page: page, user: user) }

    /// Creates an event; ``dedupeKey`` is derived unless given.
    /// - Parameters:
    ///   - page: The Page id of the entry.
    ///   - channel: `messaging` or `standby`.
    ///   - user: The non-Page party.
    ///   - timestamp: Milliseconds since the epoch.
    ///   - kind: The event's content.
    ///   - rawJSON: The event object as JSON text.
    ///   - dedupeKey: An explicit key; nil derives it with ``defaultDedupeKey(page:user:timestamp:kind:)``.
    public init(
        page: PageID, channel: WebhookChannel, user: UserID, timestamp: Int64,
        kind: WebhookEventKind, rawJSON: String, dedupeKey: String? = nil
    ) {
        self.page = page
        self.channel = channel
        self.user = user
        self.timestamp = timestamp
        self.kind = kind
        self.rawJSON = rawJSON
        self.dedupeKey =
            dedupeKey ?? Self.defaultDedupeKey(page: page, user: user, timestamp: timestamp, kind: kind, content: rawJSON)
    }

    /// The dedupe key rule: `mid:<mid>` when the event has a message id, else
    /// `<page>:<user>:<timestamp>:<kind name>` (`unknown.<key>` for unknown kinds), followed by
    /// `:<digest>` of the event's canonical JSON when `content` is given. Meta stamps events in
    /// milliseconds, and two different events without a message id can share one (two passes of
    /// one thread, back and forth): keyed on the time alone, the second was dropped as a
    /// duplicate of the first. A redelivery repeats the same event object, so it still matches.
    /// - Parameters:
    ///   - page: The Page id.
    ///   - user: The non-Page party.
    ///   - timestamp: Milliseconds since the epoch.
    ///   - kind: The event's content.
    ///   - content: The event object as canonical JSON (sorted keys), if known.
    /// - Returns: The key.
    public static func defaultDedupeKey(
        page: PageID, user: UserID, timestamp: Int64, kind: WebhookEventKind, content: String? = nil
    ) -> String {
        if let mid = kind.mid, !mid.isEmpty { return "mid:\(mid)" }
        let name: String
        if case .unknown(let key) = kind { name = "unknown.\(key)" } else { name = kind.name }
        let key = "\(page.rawValue):\(user.rawValue):\(timestamp):\(name)"
        guard let content else { return key }
        return key + ":" + Turn.digest(of: content)
    }
}
