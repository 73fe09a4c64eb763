import BatonCore

extension GraphClient {
    /// Reads the thread owner: `GET {base}/me/thread_owner?recipient=PSID`.
    /// Accepts `app_id` as a string or number, wrapped in `data[]` or not.
    /// - Parameters:
    ///   - user: The user's PSID.
    ///   - page: The Page (for logs).
    ///   - token: The Page access token.
    /// - Returns: The owner, or nil when the answer names no app (idle thread, empty `data`,
    ///   or an expiration-only answer for a thread another app owns).
    /// - Throws: ``GraphError``.
    public func threadOwner(user: UserID, page: PageID, token: String) async throws(GraphError) -> ThreadOwnerInfo? {
        let response = try await perform(GraphRequest.threadOwner(user: user), page: page, token: token)
        return try GraphResponses.threadOwner(response.body, status: response.status)
    }

    /// Asks who owns a thread and reads the answer by Conversation Routing's rules
    /// (`expiration` without `app_id` means another app owns it).
    /// - Parameters:
    ///   - user: The user's PSID.
    ///   - page: The Page.
    ///   - token: The Page access token.
    /// - Returns: The owner, another (unnamed) app, or idle.
    /// - Throws: ``GraphError``.
    public func threadOwnerAnswer(user: UserID, page: PageID, token: String) async throws(GraphError) -> ThreadOwnerAnswer {
        let response = try await perform(GraphRequest.threadOwner(user: user), page: page, token: token)
        return try GraphResponses.threadOwnerAnswer(response.body, status: response.status)
    }

    /// Lists what a thread holds:
    /// `GET {base}/{page-id}/conversations?user_id=PSID&fields=messages{message,created_time}`.
    /// Only the first page of results is read.
    /// - Parameters:
    ///   - user: The user's PSID.
    ///   - page: The Page whose conversation is read.
    ///   - token: The Page access token.
    /// - Returns: The messages as Meta lists them (newest first).
    /// - Throws: ``GraphError``.
    public func conversationMessages(user: UserID, page: PageID, token: String) async throws(GraphError)
        -> [ConversationMessage]
    {
        let response = try await perform(
            GraphRequest.conversationMessages(user: user, page: page), page: page, token: token)
        return try GraphResponses.conversationMessages(response.body, status: response.status)
    }
}
