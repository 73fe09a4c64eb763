/// A message a user sent to the Page (`message` without `is_echo`).
public struct UserMessage: Sendable, Equatable, Codable {
    /// The message id (`mid`).
    public var mid: String
    /// The text, if any.
    public var text: String?
    /// `quick_reply.payload` when the user tapped a quick reply.
    public var quickReplyPayload: String?
    /// Images, stickers, files, locations, ...
    public var attachments: [Attachment]
    /// `reply_to.mid` when the user replied to a specific message.
    public var replyToMID: String?

    /// Creates a user message.
    /// - Parameters:
    ///   - mid: The message id.
    ///   - text: The text, if any.
    ///   - quickReplyPayload: The tapped quick reply's payload, if any.
    ///   - attachments: The attachments.
    ///   - replyToMID: The id of the message replied to, if any.
    public init(
        mid: String, text: String? = nil, quickReplyPayload: String? = nil,
        attachments: [Attachment] = [], replyToMID: String? = nil
    ) {
        self.mid = mid
        self.text = text
        self.quickReplyPayload = quickReplyPayload
        self.attachments = attachments
        self.replyToMID = replyToMID
    }
}

/// One attachment of a user message (`message.attachments[]`).
public struct Attachment: Sendable, Equatable, Codable {
    /// `image`, `audio`, `video`, `file`, `location`, `fallback`, `template`, ...
    public var type: String
    /// `payload.url`, when given.
    public var url: String?
    /// `payload.sticker_id` as a decimal string, for stickers.
    public var stickerID: String?

    /// Creates an attachment.
    /// - Parameters:
    ///   - type: The attachment type.
    ///   - url: The payload URL, if any.
    ///   - stickerID: The sticker id, if any.
    public init(type: String, url: String? = nil, stickerID: String? = nil) {
        (self.type, self.url, self.stickerID) = (type, url, stickerID)
    }
}
