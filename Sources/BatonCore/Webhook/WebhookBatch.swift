/// Everything one webhook body held: the events to handle and what was set aside.
public struct WebhookBatch: Sendable, Equatable {
    /// The events, in body order (entries in order, `messaging` before `standby` within an entry).
    public var events: [WebhookEvent]
    /// Parts of the body that are not events: dashboard `changes`, malformed entries or events.
    public var ignored: [IgnoredItem]

    /// Creates a batch.
    /// - Parameters:
    ///   - events: The events.
    ///   - ignored: The items set aside.
    public init(events: [WebhookEvent] = [], ignored: [IgnoredItem] = []) {
        self.events = events
        self.ignored = ignored
    }
}

/// A part of a webhook body that was not turned into an event, and why.
public struct IgnoredItem: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Where it was, e.g. `entry[0].messaging[1]` or `entry[2].changes[0]`.
    public var location: String
    /// Why it was set aside, one line.
    public var reason: String
    /// The Page id of its entry, when known.
    public var page: PageID?
    /// The item re-serialised as compact JSON (sorted keys).
    public var rawJSON: String

    /// Creates an ignored item.
    /// - Parameters:
    ///   - location: Where in the body it was.
    ///   - reason: Why it was set aside.
    ///   - page: The entry's Page id, when known.
    ///   - rawJSON: The item as JSON text.
    public init(location: String, reason: String, page: PageID? = nil, rawJSON: String) {
        (self.location, self.reason, self.page, self.rawJSON) = (location, reason, page, rawJSON)
    }

    /// `location: reason`.
    public var description: String { "\(location): \(reason)" }
}
