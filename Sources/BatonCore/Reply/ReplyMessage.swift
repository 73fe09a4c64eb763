/// A message Baton sends to a user: a text or an attachment, with optional quick replies.
///
/// The one reply type of the pipeline: a skill's builders make it (BatonSkills), the outbox
/// stores it inside ``PlannedAction/send(_:purpose:)`` (BatonStore) and the Graph client sends
/// it (BatonGraph). "Exactly one of text or attachment" holds by construction (``Body``), so
/// no later stage checks it again. The send's idempotency `metadata` is not part of the
/// message: the Graph request adds it.
public struct ReplyMessage: Sendable, Equatable, Hashable {
    /// What the message says: a text or an attachment, never both, never neither.
    public enum Body: Sendable, Equatable, Hashable {
        /// A text message (1 to 2000 characters).
        case text(String)
        /// An attachment or template, checked to be a JSON object with a string `"type"`.
        case attachment(ReplyAttachment)
    }

    /// The text or the attachment.
    public var body: Body
    /// Quick-reply buttons under the message (at most 13), possibly none.
    public var quickReplies: [QuickReply]

    /// Creates a message.
    /// - Parameters:
    ///   - body: The text or attachment.
    ///   - quickReplies: The buttons, possibly none.
    public init(body: Body, quickReplies: [QuickReply] = []) {
        self.body = body
        self.quickReplies = quickReplies
    }

    /// A plain text message without quick replies.
    /// - Parameter text: The text.
    public static func text(_ text: String) -> ReplyMessage { ReplyMessage(body: .text(text)) }

    /// The text, when the message is a text.
    public var text: String? {
        if case .text(let text) = body { return text }
        return nil
    }

    /// The attachment, when the message is an attachment.
    public var attachment: ReplyAttachment? {
        if case .attachment(let attachment) = body { return attachment }
        return nil
    }
}
