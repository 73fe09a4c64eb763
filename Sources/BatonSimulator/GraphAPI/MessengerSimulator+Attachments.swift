/// The Attachment Upload API (`POST /me/message_attachments`) and sends by `attachment_id`. An id
/// belongs to the app and Page that saved it, lasts 90 days on the simulator clock, and (unless saved
/// with `is_reusable: true`) goes to one recipient only. The simulator never deduplicates: the same URL
/// uploaded twice gets two ids.
extension MessengerSimulator {
    static let attachmentTypes: Set<String> = ["image", "audio", "video", "file"]
    /// Meta: "Attachment IDs expire after 90 days".
    static let attachmentLifetimeMilliseconds: Int64 = 90 * 24 * 3600 * 1000

    /// A saved attachment a send refers to by id, resolved.
    struct ResolvedAttachment {
        var index: Int
        var id: String
        var url: String
    }

    // MARK: Swift API

    /// Every saved attachment so far, in order (uploads and Send API saves, forgotten ones too).
    public var uploads: [AttachmentUpload] { uploadLog }

    /// Saved attachments, optionally only one Page's or one app's.
    /// - Parameters:
    ///   - page: Only this Page's, when set.
    ///   - app: Only this app's, when set.
    ///   - source: Only those saved this way, when set.
    /// - Returns: The uploads in order.
    public func attachmentUploads(page: String? = nil, app: String? = nil, source: AttachmentUpload.Source? = nil) -> [AttachmentUpload] {
        uploadLog.filter { (page == nil || $0.page == page) && (app == nil || $0.appID == app) && (source == nil || $0.source == source) }
    }

    /// Makes the platform forget attachment ids, as when they expire or Meta drops them: later sends
    /// by those ids get 100/2018074.
    /// - Parameters:
    ///   - page: Only this Page's ids, when set.
    ///   - ids: Only these ids, when set.
    /// - Returns: How many ids were forgotten now.
    @discardableResult
    public func forgetAttachments(page: String? = nil, ids: Set<String>? = nil) -> Int {
        var count = 0
        for index in uploadLog.indices where !uploadLog[index].forgotten {
            let upload = uploadLog[index]
            guard page == nil || upload.page == page, ids?.contains(upload.attachmentID) ?? true else { continue }
            uploadLog[index].forgotten = true
            count += 1
        }
        return count
    }

    // MARK: Graph API

    /// `POST /message_attachments` with `message.attachment.{type, payload.url, payload.is_reusable}`:
    /// `{"attachment_id":"<digits>"}`. Transient failures (knob and `failSends` do not name a user here,
    /// so only the rate) apply as to sends.
    func uploadAttachment(caller: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        if rng.chance(knobs.transientSendFailureRate), let code = knobs.transientFailureCodes.randomElement(using: &rng) {
            throw .transient(code: code)
        }
        guard let attachment = params["message"]?["attachment"], case .object = attachment else {
            throw .invalidParameter("param message[attachment] is required")
        }
        let type = attachment["type"]?.string ?? ""
        guard Self.attachmentTypes.contains(type) else {
            throw .invalidParameter("param message[attachment][type] must be one of {image, audio, video, file}")
        }
        let payload = attachment["payload"]
        guard let url = payload?["url"]?.string, !url.isEmpty else {
            throw .invalidParameter("Incorrect number of files uploaded. Must upload exactly one file.")
        }
        guard Self.isFetchable(url) else { throw .attachmentFetchFailed }
        let upload = saveAttachment(caller: caller, page: page, type: type, url: url, reusable: Self.flag(payload?["is_reusable"]), source: .uploadAPI)
        return .obj([("attachment_id", .string(upload.attachmentID))])
    }

    /// Records a saved attachment under a fresh id.
    @discardableResult
    func saveAttachment(caller: String, page: String, type: String, url: String, reusable: Bool, source: AttachmentUpload.Source) -> AttachmentUpload {
        var id: String
        repeat {
            id = String(Int.random(in: 1...9, using: &rng)) + rng.token(15, alphabet: "0123456789")
        } while uploadIndex[id] != nil
        let now = clock.now
        let upload = AttachmentUpload(
            number: uploadLog.count + 1, attachmentID: id, page: page, appID: caller, type: type, url: url, isReusable: reusable,
            source: source, timestamp: now, expiresAt: now &+ Self.attachmentLifetimeMilliseconds, forgotten: false, sendCount: 0,
            firstRecipient: nil)
        uploadIndex[id] = uploadLog.count
        uploadLog.append(upload)
        return upload
    }

    /// The saved attachment a send names by `payload.attachment_id`, if it may be used: known, not
    /// forgotten or expired, saved by this app on this Page, of the same type, and reusable or not yet
    /// sent to anybody else. Anything else: 100/2018074.
    func resolveAttachment(_ message: JSONValue, caller: String, page: String, psid: String) throws(SimulatedGraphError) -> ResolvedAttachment? {
        guard let attachment = message["attachment"], let named = attachment["payload"]?["attachment_id"] else { return nil }
        guard let id = named.stringOrNumber, let index = uploadIndex[id] else { throw .invalidAttachment }
        let upload = uploadLog[index]
        guard !upload.forgotten, clock.now < upload.expiresAt, upload.page == page, upload.appID == caller,
            attachment["type"]?.string == upload.type,
            upload.isReusable || upload.firstRecipient == nil || upload.firstRecipient == psid
        else { throw .invalidAttachment }
        return ResolvedAttachment(index: index, id: id, url: upload.url)
    }

    /// Counts an accepted send by id.
    func attachmentSent(_ resolved: ResolvedAttachment, to psid: String) {
        uploadLog[resolved.index].sendCount += 1
        if uploadLog[resolved.index].firstRecipient == nil { uploadLog[resolved.index].firstRecipient = psid }
    }

    /// A Send API message with `payload.url` and `is_reusable: true` is saved as it is sent; the answer
    /// carries its `attachment_id`.
    func saveSentAttachment(_ message: JSONValue, caller: String, page: String, psid: String) -> String? {
        guard let attachment = message["attachment"], let payload = attachment["payload"], payload["attachment_id"] == nil,
            Self.flag(payload["is_reusable"]), let url = payload["url"]?.string, let type = attachment["type"]?.string,
            Self.attachmentTypes.contains(type)
        else { return nil }
        var upload = saveAttachment(caller: caller, page: page, type: type, url: url, reusable: true, source: .sendAPI)
        upload.sendCount = 1
        upload.firstRecipient = psid
        uploadLog[upload.number - 1] = upload
        return upload.attachmentID
    }

    /// `true`, or the strings `true`/`1` (form bodies).
    static func flag(_ value: JSONValue?) -> Bool {
        switch value {
        case .bool(let b)?: return b
        case .string(let s)?: return s == "true" || s == "1"
        case .int(let i)?: return i != 0
        default: return false
        }
    }

    /// Whether the platform could fetch the URL: `http` or `https` with a host.
    static func isFetchable(_ url: String) -> Bool {
        let lower = url.lowercased()
        guard let rest = lower.hasPrefix("https://") ? lower.dropFirst(8) : lower.hasPrefix("http://") ? lower.dropFirst(7) : nil else {
            return false
        }
        return !(rest.first.map { $0 == "/" } ?? true)
    }
}
