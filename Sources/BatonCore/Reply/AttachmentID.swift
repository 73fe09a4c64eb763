/// An id the Attachment Upload API gave for uploaded media (`attachment_id`): a message can
/// send the media again by this id, from the Page it was uploaded for, without a new upload.
/// Meta sends it as a string; a number decodes to the same value.
public struct AttachmentID: MetaID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
