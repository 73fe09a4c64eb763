/// One saved attachment: an upload through the Attachment Upload API (`POST /me/message_attachments`)
/// or a Send API message with `payload.is_reusable: true`. Encodes in snake_case for
/// `GET /control/attachments`.
public struct AttachmentUpload: Sendable, Hashable, Codable {
    /// How the attachment was saved.
    public enum Source: String, Sendable, Hashable, Codable {
        /// `POST /{page}/message_attachments`.
        case uploadAPI = "message_attachments"
        /// `POST /{page}/messages` with `payload.url` and `is_reusable: true` (saved while sent).
        case sendAPI = "messages"
    }

    /// Position among uploads (starts at 1).
    public var number: Int
    /// The id Meta answered (`attachment_id`, digits).
    public var attachmentID: String
    /// The Page it belongs to.
    public var page: String
    /// The app that uploaded it (the only one that may send it).
    public var appID: String
    /// `image`, `audio`, `video` or `file`.
    public var type: String
    /// The source URL.
    public var url: String
    /// `payload.is_reusable`: only then may it go to more than one recipient.
    public var isReusable: Bool
    /// How it was saved.
    public var source: Source
    /// Simulator clock at the upload, ms since 1970.
    public var timestamp: Int64
    /// When the id stops working (90 days later, as Meta documents), ms since 1970.
    public var expiresAt: Int64
    /// Whether ``MessengerSimulator/forgetAttachments(page:ids:)`` made the platform forget it.
    public var forgotten: Bool
    /// Accepted Send API calls that used the id.
    public var sendCount: Int
    /// The first recipient it was sent to by id (a non-reusable id may go to nobody else).
    public var firstRecipient: String?

    private enum CodingKeys: String, CodingKey {
        case number, page, type, url, source, timestamp, forgotten
        case attachmentID = "attachment_id"
        case appID = "app_id"
        case isReusable = "is_reusable"
        case expiresAt = "expires_at_ms"
        case sendCount = "send_count"
        case firstRecipient = "first_recipient"
    }
}
