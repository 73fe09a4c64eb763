/// A message echo: something the Page sent, reported back (`message.is_echo == true`).
public struct Echo: Sendable, Equatable, Codable {
    /// The sent message's id.
    public var mid: String
    /// The app that sent it: this runtime, another app, or the Page Inbox (a human).
    public var appID: AppID?
    /// The `metadata` the sender attached, if any.
    public var metadata: String?
    /// The text, if any.
    public var text: String?
    /// Whether the echoed message had attachments (templates, images, ...).
    public var hasAttachments: Bool

    /// Creates an echo.
    /// - Parameters:
    ///   - mid: The message id.
    ///   - appID: The sending app.
    ///   - metadata: The sender's metadata.
    ///   - text: The text.
    ///   - hasAttachments: Whether attachments were present.
    public init(
        mid: String, appID: AppID? = nil, metadata: String? = nil, text: String? = nil, hasAttachments: Bool = false
    ) {
        self.mid = mid
        self.appID = appID
        self.metadata = metadata
        self.text = text
        self.hasAttachments = hasAttachments
    }
}
