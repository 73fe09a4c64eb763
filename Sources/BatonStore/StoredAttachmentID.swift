public import BatonCore

/// An attachment id kept for media a Page sent by URL, and when Meta gave it.
public struct StoredAttachmentID: Sendable, Equatable {
    /// The id the Attachment Upload API gave.
    public var id: AttachmentID
    /// When the upload was answered (ms since 1970, the runtime's clock).
    public var uploadedAt: Int64

    /// Creates a record.
    /// - Parameters:
    ///   - id: The attachment id.
    ///   - uploadedAt: When it was uploaded (ms since 1970).
    public init(id: AttachmentID, uploadedAt: Int64) {
        self.id = id
        self.uploadedAt = uploadedAt
    }
}
