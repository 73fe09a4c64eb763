import BatonCore

/// The answer of `GET /me/thread_owner`, when it names an app.
public struct ThreadOwnerInfo: Sendable, Equatable {
    /// The app that controls the thread.
    public var appID: AppID
    /// When control lapses (Unix seconds, as sent), when given.
    public var expiration: Int64?

    /// Creates an owner record.
    /// - Parameters:
    ///   - appID: The owning app.
    ///   - expiration: The expiry, when given.
    public init(appID: AppID, expiration: Int64? = nil) {
        self.appID = appID
        self.expiration = expiration
    }
}

/// What `GET /me/thread_owner` says, read by Conversation Routing's rules.
public enum ThreadOwnerAnswer: Sendable, Equatable {
    /// The owner, named (Meta names it to the owner and to the Page's default app).
    /// `expiration` is in Unix seconds, as sent.
    case app(AppID, expiration: Int64?)
    /// `expiration` without `app_id`: another app owns the thread, which one is not said.
    case anotherApp(expiration: Int64?)
    /// Nobody owns the thread.
    case idle

    /// The same answer with times in milliseconds, for the thread-control state.
    public var lookup: ThreadOwnerLookup {
        switch self {
        case .app(let app, let expiration):
            return .app(app, expiresAt: expiration.map { $0.multipliedSaturated(by: 1000) })
        case .anotherApp(let expiration):
            return .anotherApp(expiresAt: expiration.map { $0.multipliedSaturated(by: 1000) })
        case .idle:
            return .idle
        }
    }
}
