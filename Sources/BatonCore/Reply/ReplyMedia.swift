/// Media a reply sends by URL: an `image`, `video`, `audio` or `file` attachment whose
/// `payload.url` Meta fetches. Such media can be uploaded once with the Attachment Upload
/// API and sent again by its ``AttachmentID``; templates and other shapes are not media.
public struct ReplyMedia: Sendable, Hashable, CustomStringConvertible {
    /// The attachment types the Attachment Upload API accepts.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `image`.
        case image
        /// `video`.
        case video
        /// `audio`.
        case audio
        /// `file`.
        case file
    }

    /// The attachment's `type`.
    public var kind: Kind
    /// The attachment's `payload.url`, exactly as the skill gave it (never empty).
    public var url: String

    /// Names media.
    /// - Parameters:
    ///   - kind: The attachment type.
    ///   - url: The URL Meta fetches the media from.
    public init(kind: Kind, url: String) {
        self.kind = kind
        self.url = url
    }

    /// `video https://…`, for logs.
    public var description: String { "\(kind.rawValue) \(url)" }
}
