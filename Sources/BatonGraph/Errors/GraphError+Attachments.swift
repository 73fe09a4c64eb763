extension GraphError {
    /// Whether this answer to a send by `attachment_id` means Meta refused the id (it expired,
    /// 90 days after its upload, or this Page and app never uploaded it): code 100, invalid
    /// parameter, except 100/2018001 (no matching user), which no new upload can help.
    /// A send refused this way may pass after the media is uploaded again.
    public var refusesAttachmentID: Bool {
        code == 100 && subcode != 2_018_001
    }
}
