/// One quick-reply button under a message (`quick_replies[]` of content type `text`).
///
/// The one declaration of a quick reply: a skill's builders make it, the outbox stores it
/// inside ``ReplyMessage`` and the Graph client sends it.
public struct QuickReply: Sendable, Equatable, Hashable, Codable {
    /// The button's label (1 to 20 characters).
    public var title: String
    /// What comes back as `message.quick_reply_payload` when tapped (1 to 1000 characters).
    public var payload: String

    /// Creates a button.
    /// - Parameters:
    ///   - title: The label.
    ///   - payload: The payload returned when tapped.
    public init(title: String, payload: String) {
        self.title = title
        self.payload = payload
    }
}
