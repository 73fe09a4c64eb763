/// A message Baton sends to a user: text or an attachment, with optional quick replies.
public struct ReplyMessage: Sendable, Equatable, Codable {
    /// A quick-reply button.
    public struct QuickReply: Sendable, Equatable, Codable {
        public var title: String
        public var payload: String
        public init(title: String, payload: String) {
            self.title = title
            self.payload = payload
        }
    }
    /// The text, when the message is text.
    public var text: String?
    /// Messenger's `message.attachment` object as JSON, when the message is an attachment.
    public var attachmentJSON: String?
    public var quickReplies: [QuickReply]

    public init(text: String? = nil, attachmentJSON: String? = nil, quickReplies: [QuickReply] = []) {
        self.text = text
        self.attachmentJSON = attachmentJSON
        self.quickReplies = quickReplies
    }

    /// A plain text message.
    public static func text(_ text: String) -> ReplyMessage { ReplyMessage(text: text) }
}

/// A Graph API call Baton has decided to make for a thread. Recorded in the outbox in the
/// same transaction as the decision, then carried out in order.
public enum PlannedAction: Sendable, Equatable, Codable {
    /// Send a message; `purpose` says why (`reply`, `fallback`, `handover`).
    case send(ReplyMessage, purpose: String)
    /// Pass control to another app with metadata.
    case passControl(to: AppID?, metadata: String)
    /// Take control from another app.
    case takeControl(metadata: String)
    /// Release control (the thread goes idle).
    case releaseControl
    /// Extend this app's control of the thread (`extend_thread_control`), in seconds.
    case extendControl(seconds: Int64)

    /// A short name for logs and metrics.
    public var name: String {
        switch self {
        case .send(_, let purpose): "send_\(purpose)"
        case .passControl: "pass_thread_control"
        case .takeControl: "take_thread_control"
        case .releaseControl: "release_thread_control"
        case .extendControl: "extend_thread_control"
        }
    }
}
