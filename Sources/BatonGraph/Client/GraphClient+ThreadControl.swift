import BatonCore

extension GraphClient {
    /// Passes control: `POST {base}/me/pass_thread_control` with `recipient.id`, `target_app_id`, `metadata`.
    /// - Parameters:
    ///   - user: The user's PSID.
    ///   - page: The Page (for logs).
    ///   - token: The Page access token.
    ///   - targetApp: The app to pass to, e.g. ``AppID/pageInbox``; sent as a number when numeric.
    ///   - metadata: A free string for the receiving app, left out when nil.
    /// - Throws: ``GraphError``.
    public func passThreadControl(
        user: UserID, page: PageID, token: String, targetApp: AppID, metadata: String?
    ) async throws(GraphError) {
        try await control(
            .passThreadControl(user: user, targetApp: targetApp, metadata: metadata), page: page, token: token)
    }

    /// Takes control: `POST {base}/me/take_thread_control` with `recipient.id` and `metadata`.
    /// Accepts both answers: `{"success":true}` and `{"data":[{"thread_owner":...}]}`.
    /// - Parameters:
    ///   - user: The user's PSID.
    ///   - page: The Page (for logs).
    ///   - token: The Page access token.
    ///   - metadata: A free string, left out when nil.
    /// - Throws: ``GraphError``.
    public func takeThreadControl(user: UserID, page: PageID, token: String, metadata: String?) async throws(GraphError)
    {
        try await control(metadataCall("take_thread_control", user: user, metadata: metadata), page: page, token: token)
    }

    /// Asks the owner for control: `POST {base}/me/request_thread_control`.
    /// - Parameters:
    ///   - user: The user's PSID.
    ///   - page: The Page (for logs).
    ///   - token: The Page access token.
    ///   - metadata: A free string, left out when nil.
    /// - Throws: ``GraphError``.
    public func requestThreadControl(user: UserID, page: PageID, token: String, metadata: String?)
        async throws(GraphError)
    {
        try await control(
            metadataCall("request_thread_control", user: user, metadata: metadata), page: page, token: token)
    }

    /// Gives control up: `POST {base}/me/release_thread_control`.
    /// - Parameters:
    ///   - user: The user's PSID.
    ///   - page: The Page (for logs).
    ///   - token: The Page access token.
    ///   - metadata: A free string, left out when nil.
    /// - Throws: ``GraphError``.
    public func releaseThreadControl(user: UserID, page: PageID, token: String, metadata: String?)
        async throws(GraphError)
    {
        try await control(
            metadataCall("release_thread_control", user: user, metadata: metadata), page: page, token: token)
    }

    /// Extends control: `POST {base}/me/extend_thread_control` with `duration` in whole seconds.
    /// - Parameters:
    ///   - user: The user's PSID.
    ///   - page: The Page (for logs).
    ///   - token: The Page access token.
    ///   - duration: How long to extend (Meta allows up to 7 days).
    /// - Throws: ``GraphError``.
    public func extendThreadControl(user: UserID, page: PageID, token: String, duration: Duration)
        async throws(GraphError)
    {
        try await control(.extendThreadControl(user: user, duration: duration), page: page, token: token)
    }

    /// A thread-control call whose only extra member is `metadata`.
    private func metadataCall(_ edge: String, user: UserID, metadata: String?) -> GraphRequest {
        GraphRequest.threadControl(edge, user: user, members: [("metadata", metadata.map(JSONString.quoted))])
    }

    /// Performs a thread-control call and checks its success answer.
    private func control(_ request: GraphRequest, page: PageID, token: String) async throws(GraphError) {
        let response = try await perform(request, page: page, token: token)
        try GraphResponses.success(response.body, status: response.status)
    }
}
