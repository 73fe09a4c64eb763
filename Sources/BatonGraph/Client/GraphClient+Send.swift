import BatonCore

extension GraphClient {
    /// Sends a message: `POST {base}/me/messages` with `recipient.id`, `messaging_type` and `message`.
    /// - Parameters:
    ///   - message: Text or attachment, and quick replies.
    ///   - metadata: `message.metadata`, returned in the echo (under 1000 characters), or nil.
    ///   - user: The recipient's PSID.
    ///   - page: The Page sending (for logs; the token selects the Page).
    ///   - token: The Page access token.
    ///   - messagingType: `RESPONSE` (default), `UPDATE` or `MESSAGE_TAG`.
    ///   - tag: The message tag, e.g. `HUMAN_AGENT`, sent when not nil.
    /// - Returns: The recipient and the new message id.
    /// - Throws: ``GraphError``.
    public func send(
        _ message: ReplyMessage, metadata: String? = nil, to user: UserID, page: PageID, token: String,
        messagingType: MessagingType = .response, tag: String? = nil
    ) async throws(GraphError) -> SendResult {
        let request = GraphRequest.send(message, metadata: metadata, to: user, messagingType: messagingType, tag: tag)
        let response = try await perform(request, page: page, token: token)
        return try GraphResponses.sendResult(response.body, status: response.status)
    }

    /// Sends a sender action (`typing_on`, `typing_off`, `mark_seen`) in a request of its own.
    /// - Parameters:
    ///   - action: The action.
    ///   - user: The recipient's PSID.
    ///   - page: The Page (for logs).
    ///   - token: The Page access token.
    /// - Throws: ``GraphError``.
    public func senderAction(_ action: SenderAction, to user: UserID, page: PageID, token: String)
        async throws(GraphError)
    {
        _ = try await perform(GraphRequest.senderAction(action, to: user), page: page, token: token)
    }
}
