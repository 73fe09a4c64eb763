public import BatonCore

/// The attachment ids of media sent by URL, one row per (Page, URL, type) in `attachment_ids`.
extension SQLiteStore {
    public func attachmentID(for media: ReplyMedia, page: PageID) async throws(StoreError) -> StoredAttachmentID? {
        try await executor.read { db throws(StoreError) in
            let rows = try db.query(
                "SELECT attachment_id, uploaded_at FROM attachment_ids WHERE page_id = ? AND url = ? AND type = ?",
                [.text(page.rawValue), .text(media.url), .text(media.kind.rawValue)])
            guard let row = rows.first, let id = row.text(0) else { return nil }
            return StoredAttachmentID(id: AttachmentID(id), uploadedAt: row.int(1) ?? 0)
        }
    }

    public func saveAttachmentID(_ id: AttachmentID, for media: ReplyMedia, page: PageID, uploadedAt: Int64)
        async throws(StoreError)
    {
        _ = try await executor.write { db throws(StoreError) in
            try db.query(
                """
                INSERT INTO attachment_ids(page_id, url, type, attachment_id, uploaded_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(page_id, url, type) DO UPDATE SET
                attachment_id = excluded.attachment_id, uploaded_at = excluded.uploaded_at
                """,
                [
                    .text(page.rawValue), .text(media.url), .text(media.kind.rawValue), .text(id.rawValue),
                    .integer(uploadedAt),
                ])
        }
    }

    public func forgetAttachmentID(_ id: AttachmentID, for media: ReplyMedia, page: PageID) async throws(StoreError) {
        _ = try await executor.write { db throws(StoreError) in
            try db.query(
                "DELETE FROM attachment_ids WHERE page_id = ? AND url = ? AND type = ? AND attachment_id = ?",
                [.text(page.rawValue), .text(media.url), .text(media.kind.rawValue), .text(id.rawValue)])
        }
    }
}
