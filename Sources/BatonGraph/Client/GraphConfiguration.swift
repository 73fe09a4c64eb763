/// Where the Graph API is and how to call it.
public struct GraphConfiguration: Sendable, CustomStringConvertible {
    /// The versioned API root, e.g. `https://graph.facebook.com/v25.0` (a simulator's URL in tests).
    public var baseURL: String
    /// The app secret: key of every `appsecret_proof`. Never logged or printed.
    public var appSecret: String
    /// The time one request may take, connection included.
    public var timeout: Duration

    /// Creates a configuration.
    /// - Parameters:
    ///   - baseURL: The versioned API root; a trailing `/` is ignored.
    ///   - appSecret: The app secret.
    ///   - timeout: The per-request time limit (10 s by default).
    public init(baseURL: String, appSecret: String, timeout: Duration = .seconds(10)) {
        (self.baseURL, self.appSecret, self.timeout) = (baseURL, appSecret, timeout)
    }

    /// The base URL and timeout; the secret is shown as `<redacted>`.
    public var description: String {
        "GraphConfiguration(baseURL: \(baseURL), appSecret: <redacted>, timeout: \(timeout))"
    }
}
