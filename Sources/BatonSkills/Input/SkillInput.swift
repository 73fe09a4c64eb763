import BatonCore

/// The input document of `respond` and `detect` (schema `BATON_SKILL_INPUT_SCHEMA`, 1).
///
/// ``jsonString()`` writes it exactly as `baton/skill.h` shows: snake_case keys,
/// `"schema": 1` first. It never holds a token or secret.
public struct SkillInput: Sendable, Equatable {
    /// The schema version this type reads and writes.
    public static let schema = 1

    /// The user's message.
    public var message: Message
    /// The conversation around it.
    public var conversation: Conversation

    /// Creates an input document.
    /// - Parameters:
    ///   - message: the user's message.
    ///   - conversation: the conversation around it.
    public init(message: Message, conversation: Conversation) {
        self.message = message
        self.conversation = conversation
    }
}

extension SkillInput {
    /// The user's message (`message`).
    public struct Message: Sendable, Equatable {
        /// Messenger's message id (`mid`).
        public var mid: String
        /// Milliseconds since 1970 (`timestamp`).
        public var timestamp: Int64
        /// The text; nil when the message has none (`text`).
        public var text: String?
        /// The payload of a tapped quick reply (`quick_reply_payload`).
        public var quickReplyPayload: String?
        /// A tapped button (`postback`).
        public var postback: Postback?
        /// Attachments (`attachments`).
        public var attachments: [Attachment]

        /// Creates a message.
        /// - Parameters:
        ///   - mid: Messenger's message id.
        ///   - timestamp: milliseconds since 1970.
        ///   - text: the text, if any.
        ///   - quickReplyPayload: the payload of a tapped quick reply, if any.
        ///   - postback: a tapped button, if any.
        ///   - attachments: attachments, possibly none.
        public init(
            mid: String,
            timestamp: Int64,
            text: String? = nil,
            quickReplyPayload: String? = nil,
            postback: Postback? = nil,
            attachments: [Attachment] = []
        ) {
            self.mid = mid
            self.timestamp = timestamp
            self.text = text
            self.quickReplyPayload = quickReplyPayload
            self.postback = postback
            self.attachments = attachments
        }
    }

    /// A tapped button (`postback`).
    public struct Postback: Sendable, Equatable, Codable {
        /// The button's title.
        public var title: String
        /// The button's payload.
        public var payload: String

        /// Creates a postback.
        /// - Parameters:
        ///   - title: the button's title.
        ///   - payload: the button's payload.
        public init(title: String, payload: String) {
            self.title = title
            self.payload = payload
        }
    }

    /// One attachment of the message.
    public struct Attachment: Sendable, Equatable, Codable {
        /// `image`, `video`, `audio`, `file`, `location`, `fallback`...
        public var type: String
        /// The media URL, when there is one.
        public var url: String?

        /// Creates an attachment.
        /// - Parameters:
        ///   - type: the attachment type.
        ///   - url: the media URL, if any.
        public init(type: String, url: String? = nil) {
            self.type = type
            self.url = url
        }
    }

    /// The conversation around the message (`conversation`).
    public struct Conversation: Sendable, Equatable {
        /// The Page's id (`page_id`).
        public var pageID: String
        /// The user's page-scoped id (`psid`).
        public var psid: String
        /// The last turns, oldest first (`recent_turns`).
        public var recentTurns: [Turn]
        /// How many fallbacks the bot gave in a row (`consecutive_fallbacks`).
        public var consecutiveFallbacks: Int
        /// Seconds since the user's previous message; nil for a first message
        /// (`seconds_since_last_user_message`, written as `null`).
        public var secondsSinceLastUserMessage: Double?

        /// Creates a conversation.
        /// - Parameters:
        ///   - pageID: the Page's id.
        ///   - psid: the user's page-scoped id.
        ///   - recentTurns: the last turns, oldest first.
        ///   - consecutiveFallbacks: fallbacks in a row.
        ///   - secondsSinceLastUserMessage: seconds since the previous user message, if any.
        public init(
            pageID: String,
            psid: String,
            recentTurns: [Turn] = [],
            consecutiveFallbacks: Int = 0,
            secondsSinceLastUserMessage: Double? = nil
        ) {
            self.pageID = pageID
            self.psid = psid
            self.recentTurns = recentTurns
            self.consecutiveFallbacks = consecutiveFallbacks
            self.secondsSinceLastUserMessage = secondsSinceLastUserMessage
        }
    }

    /// One earlier turn of the conversation: BatonCore's ``BatonCore/Turn`` (who, what, when),
    /// written as `{"from","text","timestamp"}`.
    public typealias Turn = BatonCore.Turn
}
