public import BatonCore

/// One entry of `GET /{page-id}/subscribed_apps`: an app installed on the Page and the webhook
/// fields it receives.
public struct SubscribedApp: Sendable, Equatable {
    /// The app's id.
    public var id: AppID
    /// The app's name, when Meta gave one.
    public var name: String?
    /// The webhook fields (`messages`, `standby`...), in Meta's order.
    public var fields: [String]

    /// - Parameters:
    ///   - id: The app's id.
    ///   - name: The app's name.
    ///   - fields: Its subscribed fields.
    public init(id: AppID, name: String?, fields: [String]) {
        (self.id, self.name, self.fields) = (id, name, fields)
    }
}
