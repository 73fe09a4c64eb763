/// A `postback` event: the user tapped a postback button, Get Started or a menu item.
public struct Postback: Sendable, Equatable, Codable {
    /// The postback's message id (since v11.0).
    public var mid: String?
    /// The button title.
    public var title: String?
    /// The button payload. Missing on standby: only the app that sent the button gets it.
    public var payload: String?
    /// The referral that brought the user in (m.me link, ad, ...), with Get Started.
    public var referral: Referral?

    /// Creates a postback.
    /// - Parameters:
    ///   - mid: The message id.
    ///   - title: The button title.
    ///   - payload: The button payload.
    ///   - referral: The entry-point referral.
    public init(mid: String? = nil, title: String? = nil, payload: String? = nil, referral: Referral? = nil) {
        (self.mid, self.title, self.payload, self.referral) = (mid, title, payload, referral)
    }
}

/// A `referral` object: where the user came from.
public struct Referral: Sendable, Equatable, Codable {
    /// The `ref` parameter of the link or ad.
    public var ref: String?
    /// `SHORTLINK`, `ADS`, `CUSTOMER_CHAT_PLUGIN`, ...
    public var source: String?
    /// `OPEN_THREAD`, ...
    public var type: String?

    /// Creates a referral.
    /// - Parameters:
    ///   - ref: The ref parameter.
    ///   - source: The source.
    ///   - type: The type.
    public init(ref: String? = nil, source: String? = nil, type: String? = nil) {
        (self.ref, self.source, self.type) = (ref, source, type)
    }
}
