/// One thing that happened in a thread, in order: a user input, a send, a control change or a refused call.
/// Encodes to JSON in snake_case (that is what `GET /control/users/{psid}/timeline` returns).
public struct TimelineEntry: Sendable, Hashable, Codable {
    /// What kind of entry this is; exactly the matching optional field is set.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The user sent a message (text, quick reply, attachment): `user` is set.
        case userMessage = "user_message"
        /// The user tapped a postback button: `user` is set.
        case userPostback = "user_postback"
        /// An app (or the agent) sent a message or sender action: `sent` is set.
        case send
        /// Thread control changed (or a request was made): `control` is set.
        case control
        /// A Graph API call about this thread was refused: `refused` is set.
        case refused
    }

    /// Position in the simulator-wide order (starts at 1).
    public var sequence: Int
    /// Simulator clock in ms since 1970.
    public var timestamp: Int64
    /// The Page.
    public var page: String
    /// The user's PSID.
    public var psid: String
    /// The kind.
    public var kind: Kind
    /// Set for `userMessage` and `userPostback`.
    public var user: UserInput?
    /// Set for `send`.
    public var sent: SentMessage?
    /// Set for `control`.
    public var control: ControlChange?
    /// Set for `refused`.
    public var refused: RefusedCall?

    private enum CodingKeys: String, CodingKey {
        case sequence, timestamp, page, psid, kind, user, sent, control, refused
    }
}

/// What a user did.
public struct UserInput: Sendable, Hashable, Codable {
    /// The message (or postback) id.
    public var mid: String
    /// The text, if any.
    public var text: String?
    /// The quick reply payload, if the user tapped one.
    public var quickReplyPayload: String?
    /// The attachment type (`image`, `file`, ...), if any.
    public var attachmentType: String?
    /// The attachment URL, if any.
    public var attachmentURL: String?
    /// The postback title, for postbacks.
    public var postbackTitle: String?
    /// The postback payload, for postbacks.
    public var postbackPayload: String?

    private enum CodingKeys: String, CodingKey {
        case mid, text
        case quickReplyPayload = "quick_reply_payload"
        case attachmentType = "attachment_type"
        case attachmentURL = "attachment_url"
        case postbackTitle = "postback_title"
        case postbackPayload = "postback_payload"
    }
}

/// A message (or sender action) the Page sent on behalf of an app.
public struct SentMessage: Sendable, Hashable, Codable {
    /// The message id (`nil` for sender actions).
    public var mid: String?
    /// The app that sent it.
    public var appID: String
    /// The Page.
    public var page: String
    /// The recipient PSID.
    public var psid: String
    /// Simulator clock in ms.
    public var timestamp: Int64
    /// `RESPONSE`, `UPDATE` or `MESSAGE_TAG` (nil for sender actions).
    public var messagingType: String?
    /// The message tag, if any.
    public var tag: String?
    /// The text, if any.
    public var text: String?
    /// Quick reply titles and payloads.
    public var quickReplies: [QuickReply]
    /// The attachment type, if any.
    public var attachmentType: String?
    /// The attachment payload as JSON text, if any.
    public var attachmentPayload: String?
    /// The `metadata` the sender set, if any.
    public var metadata: String?
    /// `typing_on`, `typing_off` or `mark_seen` for sender actions.
    public var senderAction: String?
    /// The `thread_control.control_type` carried by the send, if any.
    public var threadControl: String?
    /// The `payload.attachment_id` the attachment was sent by, if any.
    public var attachmentID: String? = nil
    /// The attachment's URL: `payload.url`, or the saved attachment's URL for a send by id.
    public var attachmentURL: String? = nil

    /// One quick reply.
    public struct QuickReply: Sendable, Hashable, Codable {
        /// `text`, `user_phone_number` or `user_email`.
        public var contentType: String
        /// The title.
        public var title: String?
        /// The payload.
        public var payload: String?

        private enum CodingKeys: String, CodingKey {
            case title, payload
            case contentType = "content_type"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case mid, page, psid, timestamp, tag, text, metadata
        case appID = "app_id"
        case messagingType = "messaging_type"
        case quickReplies = "quick_replies"
        case attachmentType = "attachment_type"
        case attachmentPayload = "attachment_payload"
        case senderAction = "sender_action"
        case threadControl = "thread_control"
        case attachmentID = "attachment_id"
        case attachmentURL = "attachment_url"
    }
}

/// A change of thread ownership, or a request for it.
public struct ControlChange: Sendable, Hashable, Codable {
    /// What happened.
    public enum Action: String, Sendable, Hashable, Codable {
        /// `pass_thread_control` (API or Send-API `thread_control`), or the agent passing.
        case pass
        /// `take_thread_control`, or the agent taking over to reply.
        case take
        /// `request_thread_control` (no change unless the thread was idle).
        case request
        /// `release_thread_control` (API or Send-API `thread_control`).
        case release
        /// `extend_thread_control`.
        case extend
        /// A send on an idle thread made the sender the owner.
        case claimBySend = "claim_by_send"
        /// Control lapsed after the idle timeout.
        case expire
    }

    /// What happened.
    public var action: Action
    /// The owner before (nil = idle).
    public var from: String?
    /// The owner after (nil = idle).
    public var to: String?
    /// The app that made the call (nil for `expire`).
    public var by: String?
    /// The metadata string, if any.
    public var metadata: String?
    /// The owner's control expiry after the change, ms since 1970.
    public var expiresAt: Int64?

    private enum CodingKeys: String, CodingKey {
        case action, from, to, by, metadata
        case expiresAt = "expires_at"
    }
}

/// A Graph API call about a thread that the simulator refused.
public struct RefusedCall: Sendable, Hashable, Codable {
    /// The calling app.
    public var appID: String?
    /// The endpoint (`messages`, `pass_thread_control`, ...).
    public var endpoint: String
    /// The error code.
    public var code: Int
    /// The error subcode, if any.
    public var subcode: Int?
    /// The error message.
    public var message: String

    private enum CodingKeys: String, CodingKey {
        case endpoint, code, subcode, message
        case appID = "app_id"
    }
}
