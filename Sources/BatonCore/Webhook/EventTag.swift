/// What kind of thing an inbox record holds: an event's kind, or `ignored` for a part of a
/// webhook body the parser set aside. Stored as its raw value; shown in metrics and decisions.
public enum EventTag: String, Sendable, Hashable, Codable, CaseIterable {
    case message
    case postback
    case echo
    case delivery
    case read
    case referral
    case optin
    case passThreadControl = "pass_thread_control"
    case takeThreadControl = "take_thread_control"
    case requestThreadControl = "request_thread_control"
    case appRoles = "app_roles"
    case unknown
    /// A part of a body that was not an event (recorded, processed as ignored).
    case ignored

    /// Whether the user wrote it: a message or a postback.
    public var isUserMessage: Bool { self == .message || self == .postback }
}
