/// The answer a responder wrote through the host builders.
public struct SkillReply: Sendable, Equatable {
    /// The message itself.
    public enum Body: Sendable, Equatable {
        /// A text message (1 to 2000 characters).
        case text(String)
        /// An attachment or template: the JSON object of Messenger's `message.attachment`.
        case attachment(json: String)
    }

    /// The message itself.
    public var body: Body
    /// Quick reply buttons under the message (at most 13).
    public var quickReplies: [QuickReply]

    /// Creates a reply.
    /// - Parameters:
    ///   - body: the text or attachment.
    ///   - quickReplies: the buttons, possibly none.
    public init(body: Body, quickReplies: [QuickReply] = []) {
        self.body = body
        self.quickReplies = quickReplies
    }
}

/// One quick reply button.
public struct QuickReply: Sendable, Equatable, Hashable {
    /// The button's label (1 to 20 characters).
    public var title: String
    /// What comes back as `message.quick_reply_payload` when tapped (1 to 1000 characters).
    public var payload: String

    /// Creates a button.
    /// - Parameters:
    ///   - title: the label.
    ///   - payload: the payload returned when tapped.
    public init(title: String, payload: String) {
        self.title = title
        self.payload = payload
    }
}
