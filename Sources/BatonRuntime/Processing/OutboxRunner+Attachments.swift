import BatonCore
import BatonGraph
import BatonStore
import Logging

extension OutboxRunner {
    /// How long a kept attachment id is used after its upload: Meta's ids expire after 90
    /// days, so an older one is uploaded again rather than sent to be refused.
    static let attachmentIDLifetime: Duration = .seconds(89 * 24 * 3600)

    /// Sends a message. Media it attaches by URL (`image`, `video`, `audio`, `file` with a
    /// `payload.url`) goes by the attachment id kept for the Page: uploaded once with the
    /// Attachment Upload API (`is_reusable`) when none is kept, concurrent sends of the same
    /// media waiting for one upload. When Meta refuses a kept id, the media is uploaded again
    /// and the send retried once with the new id. Texts, templates and attachments already
    /// sent by id go as they are; quick replies always stay on the message.
    /// - Parameters:
    ///   - message: The message as the skill made it.
    ///   - metadata: The send's `metadata` (its idempotency key).
    ///   - thread: The Page and the recipient.
    ///   - token: The Page access token.
    /// - Returns: What the Send API answered.
    /// - Throws: ``GraphError`` of the upload or of the send, for the outbox's retry rules.
    func sendReusingAttachments(_ message: ReplyMessage, metadata: String, thread: ThreadKey, token: String)
        async throws(GraphError) -> SendResult
    {
        guard let media = message.attachment?.mediaByURL else {
            return try await graph.send(message, metadata: metadata, to: thread.user, page: thread.page, token: token)
        }
        let kept: StoredAttachmentID?
        do {
            kept = try await store.attachmentID(for: media, page: thread.page)
        } catch {
            logger.warning(
                "kept attachment ids cannot be read: the media is sent by its URL",
                metadata: ["page": "\(thread.page)", "type": "\(media.kind.rawValue)", "error": "\(error)"])
            return try await graph.send(message, metadata: metadata, to: thread.user, page: thread.page, token: token)
        }
        let attachment: AttachmentFlights.Outcome
        if let kept, isUsable(kept) {
            attachment = AttachmentFlights.Outcome(id: kept.id, uploaded: false)
        } else {
            attachment = try await uploadOnce(media, page: thread.page, token: token, replacing: kept?.id)
        }
        do throws(GraphError) {
            return try await send(message, media: media, by: attachment, metadata: metadata, thread: thread, token: token)
        } catch {
            guard !attachment.uploaded, error.refusesAttachmentID else { throw error }
            logger.notice(
                "Meta refused a kept attachment id: the media is uploaded again",
                metadata: [
                    "page": "\(thread.page)", "type": "\(media.kind.rawValue)", "attachment_id": "\(attachment.id)",
                    "error": "\(error)",
                ])
            try? await store.forgetAttachmentID(attachment.id, for: media, page: thread.page)
            let fresh = try await uploadOnce(media, page: thread.page, token: token, replacing: attachment.id)
            return try await send(message, media: media, by: fresh, metadata: metadata, thread: thread, token: token)
        }
    }

    /// Whether a kept id is young enough to send by.
    private func isUsable(_ kept: StoredAttachmentID) -> Bool {
        clock().subtractingSaturated(kept.uploadedAt) < Self.attachmentIDLifetime.clampedMilliseconds
    }

    /// The send by attachment id, with the quick replies of the message; counts a reuse when
    /// this send did not upload the media itself.
    private func send(
        _ message: ReplyMessage, media: ReplyMedia, by attachment: AttachmentFlights.Outcome, metadata: String,
        thread: ThreadKey, token: String
    ) async throws(GraphError) -> SendResult {
        let byID = ReplyMessage(
            body: .attachment(ReplyAttachment(kind: media.kind, attachmentID: attachment.id)),
            quickReplies: message.quickReplies)
        let result = try await graph.send(byID, metadata: metadata, to: thread.user, page: thread.page, token: token)
        if !attachment.uploaded { metrics.increment(.attachmentReuses) }
        return result
    }

    /// The id to send the media by, from the one upload of it under way for this runner and
    /// Page (joined, or started). `stale`, when given, is an id Meta refused or that expired:
    /// an upload that gives it back is not good enough, and a new one is made.
    private func uploadOnce(_ media: ReplyMedia, page: PageID, token: String, replacing stale: AttachmentID?)
        async throws(GraphError) -> AttachmentFlights.Outcome
    {
        let key = AttachmentFlights.Key(owner: ObjectIdentifier(self), page: page, media: media)
        var round = 0
        while true {
            round += 1
            let (result, started) = await AttachmentFlights.shared.run(key) { [self] in
                await self.upload(media, page: page, token: token, replacing: stale)
            }
            let outcome = try result.get()
            // Joined a flight begun before this id was refused: it gives the refused id back.
            if !started, let stale, outcome.id == stale, round < 3 { continue }
            return AttachmentFlights.Outcome(id: outcome.id, uploaded: started && outcome.uploaded)
        }
    }

    /// One flight: the id another flight saved since the caller looked, else an upload whose
    /// id is kept for the next sends.
    private func upload(_ media: ReplyMedia, page: PageID, token: String, replacing stale: AttachmentID?) async
        -> Result<AttachmentFlights.Outcome, GraphError>
    {
        if let kept = try? await store.attachmentID(for: media, page: page), kept.id != stale, isUsable(kept) {
            return .success(AttachmentFlights.Outcome(id: kept.id, uploaded: false))
        }
        let id: AttachmentID
        do throws(GraphError) {
            id = try await graph.uploadAttachment(media, page: page, token: token)
        } catch {
            metrics.increment(.attachmentUploads, [.result: "error"])
            metrics.increment(.graphCalls, [.action: "upload_attachment", .result: "error"])
            return .failure(error)
        }
        metrics.increment(.attachmentUploads, [.result: "done"])
        metrics.increment(.graphCalls, [.action: "upload_attachment", .result: "done"])
        logger.info(
            "media uploaded for reuse",
            metadata: ["page": "\(page)", "type": "\(media.kind.rawValue)", "attachment_id": "\(id)"])
        do {
            try await store.saveAttachmentID(id, for: media, page: page, uploadedAt: clock())
        } catch {
            logger.warning(
                "an attachment id could not be kept: the next send uploads the media again",
                metadata: ["page": "\(page)", "type": "\(media.kind.rawValue)", "error": "\(error)"])
        }
        return .success(AttachmentFlights.Outcome(id: id, uploaded: true))
    }
}
