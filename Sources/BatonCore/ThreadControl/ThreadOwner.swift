/// Who controls a conversation, as far as Baton knows.
///
/// Local ownership is a cache of Meta's truth: it is updated from every event and every
/// Graph answer, and looked up with `thread_owner` when it is ``unknown``.
public enum ThreadOwner: Sendable, Equatable, Codable, CustomStringConvertible {
    /// This app owns the thread: it may send.
    case thisApp
    /// Another app owns the thread (its id, when known): the bot must stay silent.
    case otherApp(AppID?)
    /// Nobody owns the thread: any app may take it, and a send takes it.
    case idle
    /// Not known: look it up before speaking.
    case unknown

    public var description: String {
        switch self {
        case .thisApp: "this app"
        case .otherApp(let app?): "app \(app)"
        case .otherApp(nil): "another app"
        case .idle: "idle"
        case .unknown: "unknown"
        }
    }

    /// Whether the bot may speak in the thread without taking control first: when it owns
    /// the thread, or the thread is idle and this app is the Page's default app (under
    /// Conversation Routing only the default app may send into an idle thread).
    public func botMaySpeak(isDefaultApp: Bool) -> Bool {
        switch self {
        case .thisApp: true
        case .idle: isDefaultApp
        case .otherApp, .unknown: false
        }
    }

    /// Whether the bot may speak, for an app that is the Page's default app.
    public var botMaySpeak: Bool {
        switch self {
        case .thisApp, .idle: true
        case .otherApp, .unknown: false
        }
    }
}
