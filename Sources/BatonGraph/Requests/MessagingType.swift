/// The Send API's `messaging_type`.
public enum MessagingType: String, Sendable, Codable, CaseIterable {
    /// A reply inside the 24-hour window.
    case response = "RESPONSE"
    /// A proactive message inside the 24-hour window.
    case update = "UPDATE"
    /// A tagged message outside the window (`tag` required, e.g. `HUMAN_AGENT`).
    case messageTag = "MESSAGE_TAG"
}
