import BatonCore

extension GraphClient {
    /// Whom a token belongs to: `GET {base}/me?fields=id,name`. For a Page access token, the Page.
    /// The call carries `appsecret_proof` like every other, so a wrong app secret fails it too
    /// (code 100, "Invalid appsecret_proof"; see ``GraphError/isInvalidAppSecretProof``).
    /// - Parameters:
    ///   - page: The Page the token is configured for (for logs).
    ///   - token: The access token.
    /// - Returns: The node's id and name.
    /// - Throws: ``GraphError``.
    public func tokenOwner(page: PageID, token: String) async throws(GraphError) -> TokenOwner {
        let response = try await perform(GraphRequest.me(fields: "id,name"), page: page, token: token)
        return try GraphResponses.tokenOwner(response.body, status: response.status)
    }

    /// The apps installed on a Page and their webhook fields: `GET {base}/{page-id}/subscribed_apps`.
    /// - Parameters:
    ///   - page: The Page.
    ///   - token: The Page access token.
    /// - Returns: Every app Meta lists, in its order.
    /// - Throws: ``GraphError``.
    public func subscribedApps(page: PageID, token: String) async throws(GraphError) -> [SubscribedApp] {
        let response = try await perform(GraphRequest.subscribedApps(page: page), page: page, token: token)
        return try GraphResponses.subscribedApps(response.body, status: response.status)
    }

    /// Subscribes the calling app to a Page's webhook fields:
    /// `POST {base}/{page-id}/subscribed_apps?subscribed_fields=a,b`. The app is the one the token
    /// and `appsecret_proof` name; Meta replaces its fields with these.
    /// - Parameters:
    ///   - fields: The webhook fields, e.g. `messages`, `standby`.
    ///   - page: The Page.
    ///   - token: The Page access token.
    /// - Throws: ``GraphError``.
    public func subscribeApp(fields: [String], page: PageID, token: String) async throws(GraphError) {
        let response = try await perform(GraphRequest.subscribeApp(page: page, fields: fields), page: page, token: token)
        try GraphResponses.success(response.body, status: response.status)
    }
}
