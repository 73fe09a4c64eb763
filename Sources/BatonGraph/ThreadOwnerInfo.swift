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
