import BatonCore

extension GraphClient {
    /// Uploads media for reuse: `POST {base}/me/message_attachments` with
    /// `message.attachment{type, payload{url, is_reusable:true}}`. Meta fetches the URL and
    /// answers an id that later sends of this Page give as `payload.attachment_id`.
    /// - Parameters:
    ///   - media: The media's type and URL.
    ///   - page: The Page the media is for (for logs; the token selects the Page).
    ///   - token: The Page access token.
    /// - Returns: The attachment id.
    /// - Throws: ``GraphError``, classified as for any call (a URL Meta cannot fetch is
    ///   refused with code 100, `invalidRequest`).
    public func uploadAttachment(_ media: ReplyMedia, page: PageID, token: String) async throws(GraphError)
        -> AttachmentID
    {
        let response = try await perform(GraphRequest.uploadAttachment(media), page: page, token: token)
        return try GraphResponses.attachmentID(response.body, status: response.status)
    }
}
