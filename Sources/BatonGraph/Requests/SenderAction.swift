/// The Send API's `sender_action`, always sent in a request of its own.
public enum SenderAction: String, Sendable, Codable, CaseIterable {
    /// Show the typing bubble.
    case typingOn = "typing_on"
    /// Hide the typing bubble.
    case typingOff = "typing_off"
    /// Mark the user's last message as seen.
    case markSeen = "mark_seen"
}
