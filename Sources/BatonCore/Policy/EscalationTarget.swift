/// Where a detector's escalation sends the conversation (`skills[].escalate_to`).
public enum EscalationTarget: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The live-agent app, `handover.agent_app_id` (the Page Inbox by default): `human`.
    case human
    /// Another app by id: a bot hosted by this Baton (named in the file, resolved to its id) or any app.
    case app(AppID)
    /// Back to the app the conversation came from: `back`. Nothing happens when it did not
    /// come from another app.
    case back

    /// `human`, `back` or the app id, as the file and the pass metadata spell it.
    public var description: String {
        switch self {
        case .human: "human"
        case .app(let id): id.rawValue
        case .back: "back"
        }
    }
}
