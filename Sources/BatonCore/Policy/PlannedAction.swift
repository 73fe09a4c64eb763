/// A Graph API call Baton has decided to make for a thread. Recorded in the outbox in the
/// same transaction as the decision, then carried out in order.
public enum PlannedAction: Sendable, Equatable, Codable {
    /// Send a message; `purpose` says why.
    case send(ReplyMessage, purpose: SendPurpose)
    /// Pass control to another app with metadata.
    case passControl(to: AppID?, metadata: String)
    /// Take control from another app.
    case takeControl(metadata: String)
    /// Release control (the thread goes idle).
    case releaseControl
    /// Extend this app's control of the thread (`extend_thread_control`), in seconds.
    case extendControl(seconds: Int64)

    /// A short name for logs and metrics.
    public var name: String {
        switch self {
        case .send(_, let purpose): "send_\(purpose.rawValue)"
        case .passControl: "pass_thread_control"
        case .takeControl: "take_thread_control"
        case .releaseControl: "release_thread_control"
        case .extendControl: "extend_thread_control"
        }
    }
}

/// Why Baton sends a message. Stored as its raw value (outbox rows written before it was a
/// type hold the same strings); an unknown stored value keeps its text.
public struct SendPurpose: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws { self.rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// A skill's answer.
    public static let reply: SendPurpose = "reply"
    /// The fallback message: no responder answered.
    public static let fallback: SendPurpose = "fallback"
    /// The handover message, just before control passes to a human.
    public static let handover: SendPurpose = "handover"
}
