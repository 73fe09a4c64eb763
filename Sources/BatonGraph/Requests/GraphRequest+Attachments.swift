import BatonCore

extension GraphRequest {
    /// `POST /me/message_attachments` with `message.attachment{type, payload{url, is_reusable}}`:
    /// Meta fetches the media from the URL and keeps it for sends by `attachment_id`.
    /// - Parameter media: The media's type and URL.
    static func uploadAttachment(_ media: ReplyMedia) -> GraphRequest {
        let payload = GraphJSON.object([("url", JSONString.quoted(media.url)), ("is_reusable", "true")])
        let attachment = GraphJSON.object([("type", JSONString.quoted(media.kind.rawValue)), ("payload", payload)])
        return GraphRequest(
            method: .post, path: "/me/message_attachments", query: [],
            body: GraphJSON.object([("message", GraphJSON.object([("attachment", attachment)]))]),
            operation: "upload_attachment")
    }
}
