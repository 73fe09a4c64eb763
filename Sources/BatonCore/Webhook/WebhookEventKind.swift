/// The content of one webhook event, by its event key.
public enum WebhookEventKind: Sendable, Equatable, Codable {
    /// `message` from the user: text, quick reply, attachments, reply-to.
    case message(UserMessage)
    /// `postback` from a button, Get Started or the persistent menu.
    case postback(Postback)
    /// `message` with `is_echo: true`: something the Page sent (this app, another app or the Inbox).
    case echo(Echo)
    /// `delivery`: every message up to `watermark` reached the user.
    case delivery(mids: [String], watermark: Int64)
    /// `read`: the user has seen every message up to `watermark`.
    case read(watermark: Int64)
    /// `referral` for an existing thread (m.me link, ad, QR code).
    case referral(ref: String?, source: String?, type: String?)
    /// `optin` from a plugin or a notification-messages opt-in.
    case optin(ref: String?)
    /// `pass_thread_control`: control moved to `newOwner` (received by the app that gains it).
    case passThreadControl(newOwner: AppID?, previousOwner: AppID?, metadata: String?)
    /// `take_thread_control`: `newOwner` took control (received by the app that lost it).
    case takeThreadControl(previousOwner: AppID?, newOwner: AppID?, metadata: String?)
    /// `request_thread_control`: another app asks the owner for control.
    case requestThreadControl(requestedOwner: AppID?, metadata: String?)
    /// `app_roles` (handover protocol v1): the roles each app now has on the Page.
    case appRoles([AppID: [String]])
    /// Any other event key: recorded and ignored.
    case unknown(key: String)

    /// The event's name, as a typed value: `message`, `postback`, `echo`, `delivery`, `read`,
    /// `referral`, `optin`, `pass_thread_control`, `take_thread_control`,
    /// `request_thread_control`, `app_roles`, `unknown`.
    public var tag: EventTag {
        switch self {
        case .message: .message
        case .postback: .postback
        case .echo: .echo
        case .delivery: .delivery
        case .read: .read
        case .referral: .referral
        case .optin: .optin
        case .passThreadControl: .passThreadControl
        case .takeThreadControl: .takeThreadControl
        case .requestThreadControl: .requestThreadControl
        case .appRoles: .appRoles
        case .unknown: .unknown
        }
    }

    /// The event's name as text (``tag``'s raw value).
    public var name: String { tag.rawValue }

    /// The message id of a message, echo or postback, when it has one.
    public var mid: String? {
        switch self {
        case .message(let message): return message.mid
        case .echo(let echo): return echo.mid
        case .postback(let postback): return postback.mid
        default: return nil
        }
    }
}
