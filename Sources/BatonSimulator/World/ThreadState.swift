/// Everything the simulator knows about one (Page, PSID) thread.
struct ThreadState: Sendable {
    /// A message as the Conversations API lists it.
    struct StoredMessage: Sendable {
        var mid: String
        var text: String
        var createdAt: Int64
        /// The sending app, or `nil` for the user.
        var appID: String?
    }

    let page: String
    let psid: String
    let threadID: String
    /// What the User Profile API answers about the user.
    var profile: UserProfile
    /// The thread owner; `nil` is idle.
    var owner: String?
    /// When the owner's control lapses (ms).
    var expiresAt: Int64?
    /// The user's last message (opens the 24 h window).
    var lastUserMessageAt: Int64?
    var messages: [StoredMessage] = []
    var timeline: [TimelineEntry] = []
}

/// Which array of a webhook entry an event goes into.
enum WebhookChannel: String, Sendable {
    case messaging
    case standby
}

/// An event waiting in an app's delivery queue.
struct PendingEvent: Sendable {
    var page: String
    var channel: WebhookChannel
    var event: JSONValue
}
