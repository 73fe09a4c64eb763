/// One message of a thread, from `GET /{page-id}/conversations?fields=messages{message,created_time}`.
public struct ConversationMessage: Sendable, Equatable {
    /// The message id (`mid`).
    public var id: String
    /// The text (`message`); nil when the field is missing.
    public var text: String?
    /// `created_time` as sent, e.g. `2024-11-01T12:00:00+0000`.
    public var createdTime: String

    /// Creates a message record.
    /// - Parameters:
    ///   - id: The message id.
    ///   - text: The text.
    ///   - createdTime: The creation time as sent.
    public init(id: String, text: String?, createdTime: String) {
        (self.id, self.text, self.createdTime) = (id, text, createdTime)
    }
}
