import Foundation

extension ReplyAttachment {
    /// The media this attachment sends by URL: a `type` of `image`, `video`, `audio` or `file`
    /// with a non-empty string `payload.url` and no `payload.attachment_id`. Nil for templates,
    /// for attachments already sent by id, and for any other shape (those are sent as they are).
    public var mediaByURL: ReplyMedia? {
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let type = object["type"] as? String, let kind = ReplyMedia.Kind(rawValue: type),
            let payload = object["payload"] as? [String: Any], payload["attachment_id"] == nil,
            let url = payload["url"] as? String, !url.isEmpty
        else { return nil }
        return ReplyMedia(kind: kind, url: url)
    }

    /// The attachment that sends uploaded media by its id:
    /// `{"type":"<kind>","payload":{"attachment_id":"<id>"}}`.
    /// - Parameters:
    ///   - kind: The media's type, as it was uploaded.
    ///   - attachmentID: The id the Attachment Upload API gave.
    public init(kind: ReplyMedia.Kind, attachmentID: AttachmentID) {
        self.json =
            #"{"type":"# + JSONString.quoted(kind.rawValue) + #","payload":{"attachment_id":"#
            + JSONString.quoted(attachmentID.rawValue) + "}}"
    }
}
