/// A message to send with the Send API: text or an attachment, quick replies, metadata.
public struct OutgoingMessage: Sendable, Equatable, Codable {
    /// One `quick_replies[]` button of content type `text`.
    public struct QuickReply: Sendable, Equatable, Codable {
        /// The button title (20 characters show).
        public var title: String
        /// The payload sent back in the user's message.
        public var payload: String

        /// Creates a quick reply.
        /// - Parameters:
        ///   - title: The button title.
        ///   - payload: The payload sent back.
        public init(title: String, payload: String) {
            self.title = title
            self.payload = payload
        }
    }

    /// The text (under 2000 characters).
    public var text: String?
    /// An attachment as JSON object text, sent verbatim as `message.attachment`.
    public var attachmentJSON: String?
    /// Quick replies shown under the message.
    public var quickReplies: [QuickReply]
    /// `message.metadata`, returned in the echo (under 1000 characters).
    public var metadata: String?

    /// Creates a message; give `text` or `attachmentJSON`.
    /// - Parameters:
    ///   - text: The text.
    ///   - attachmentJSON: The attachment object as JSON text.
    ///   - quickReplies: Quick replies.
    ///   - metadata: Metadata for the echo.
    public init(
        text: String? = nil, attachmentJSON: String? = nil, quickReplies: [QuickReply] = [], metadata: String? = nil
    ) {
        self.text = text
        self.attachmentJSON = attachmentJSON
        self.quickReplies = quickReplies
        self.metadata = metadata
    }
}
