extension MessengerSimulator {
    static let dayMilliseconds: Int64 = 24 * 3600 * 1000
    static let maxTextLength = 2000
    static let maxQuickReplies = 13
    static let maxMetadataLength = 1000

    /// `POST /messages`: validation, the owner-only rule, the messaging window, the send itself, its echo
    /// and an optional Send-API `thread_control`.
    func sendMessage(caller: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        let psid = params["recipient"]?["id"]?.stringOrNumber
        func fail(_ error: SimulatedGraphError) -> SimulatedGraphError { refuse(error, psid: psid, app: caller, endpoint: "messages") }

        if let psid, let code = failingRecipients[psid] { throw fail(.transient(code: code)) }
        if rng.chance(knobs.transientSendFailureRate), let code = knobs.transientFailureCodes.randomElement(using: &rng) {
            throw fail(.transient(code: code))
        }
        guard let psid, let thread = thread(psid, on: page) else { throw fail(.noMatchingUser) }
        lapseIfExpired(psid)
        let owner = threads[psid]?.owner

        if let action = params["sender_action"] {
            let name: String
            do throws(SimulatedGraphError) { name = try Self.senderActionName(action, params: params) } catch { throw fail(error) }
            guard mayUseThread(owner: owner, caller: caller) else { throw fail(.anotherAppControls) }
            let sent = SentMessage(
                mid: nil, appID: caller, page: page, psid: psid, timestamp: eventStamp(), messagingType: nil, tag: nil,
                text: nil, quickReplies: [], attachmentType: nil, attachmentPayload: nil, metadata: nil, senderAction: name, threadControl: nil
            )
            record(psid, kind: .send, sent: sent)
            return .obj([("recipient_id", .string(psid))])
        }
        let request: SendRequest
        do throws(SimulatedGraphError) { request = try validateSend(params, caller: caller) } catch { throw fail(error) }
        let (message, messagingType, tag, control) = (request.message, request.messagingType, request.tag, request.control)
        let byID: ResolvedAttachment?
        do throws(SimulatedGraphError) { byID = try resolveAttachment(message, caller: caller, page: page, psid: psid) } catch { throw fail(error) }

        guard mayUseThread(owner: owner, caller: caller) else { throw fail(.anotherAppControls) }
        let sinceUser = thread.lastUserMessageAt.map { clock.now - $0 } ?? .max
        if sinceUser > Self.dayMilliseconds {
            guard messagingType == "MESSAGE_TAG", sinceUser <= 7 * Self.dayMilliseconds else { throw fail(.outsideWindow) }
        }

        let mid = deliverSend(
            psid: psid, page: page, app: caller, message: message, messagingType: messagingType, tag: tag, threadControl: control?.type,
            byID: byID)
        let savedID: String?
        if let byID {
            attachmentSent(byID, to: psid)
            savedID = nil
        } else {
            savedID = saveSentAttachment(message, caller: caller, page: page, psid: psid)
        }
        switch control {
        case ("pass", let target?)?:
            pass(psid: psid, page: page, caller: caller, target: target, metadata: nil)
        case ("release", _)?:
            release(psid: psid, caller: caller, metadata: nil)
        default:
            break
        }
        return .obj([("recipient_id", .string(psid)), ("message_id", .string(mid)), ("attachment_id", savedID.map(JSONValue.string))])
    }

    /// Whether `caller` may send now: the owner may; an idle thread is open to any app on a Page without a
    /// default app, and only to the default app on a Page with one (platform.md §8.4).
    func mayUseThread(owner: String?, caller: String) -> Bool {
        if let owner { return owner == caller }
        guard let defaultApp = configuration.defaultOwnerAppID else { return true }
        return caller == defaultApp
    }

    /// Performs an accepted send: an idle thread becomes the sender's, the message is stored and the
    /// echo goes to the sender on `messaging` and to every other subscribed app on `standby`. An
    /// attachment sent by id is echoed with the saved attachment's URL, as Meta echoes a URL.
    func deliverSend(
        psid: String, page: String, app: String, message: JSONValue, messagingType: String, tag: String?, threadControl: String?,
        byID: ResolvedAttachment? = nil
    ) -> String {
        if threads[psid]?.owner == nil {
            changeOwner(psid, to: app, action: .claimBySend, by: app, metadata: nil)
        }
        // No touch: only the user's messages renew the owner's idle timer (platform.md §8.6).
        let mid = newMID()
        let timestamp = eventStamp()
        let text = message["text"]?.string
        let attachment = message["attachment"]
        let metadata = message["metadata"]?.string
        let quickReplies = (message["quick_replies"]?.array ?? []).map {
            SentMessage.QuickReply(contentType: $0["content_type"]?.string ?? "text", title: $0["title"]?.string, payload: $0["payload"]?.stringOrNumber)
        }
        let sent = SentMessage(
            mid: mid, appID: app, page: page, psid: psid, timestamp: timestamp, messagingType: messagingType, tag: tag,
            text: text, quickReplies: quickReplies, attachmentType: attachment?["type"]?.string,
            attachmentPayload: attachment?["payload"].map(\.metaSerializedString), metadata: metadata, senderAction: nil,
            threadControl: threadControl, attachmentID: byID?.id, attachmentURL: byID?.url ?? attachment?["payload"]?["url"]?.string
        )
        record(psid, kind: .send, timestamp: timestamp, sent: sent)
        threads[psid]?.messages.append(.init(mid: mid, text: text ?? "", createdAt: timestamp, appID: app))

        let echoAttachments: JSONValue? = attachment.map { attachment in
            .array([.obj([("type", attachment["type"]), ("payload", byID.map { .obj([("url", .string($0.url))]) } ?? attachment["payload"])])])
        }
        let echo = JSONValue.obj([
            ("is_echo", .bool(true)),
            ("app_id", .numericID(app)),
            ("metadata", metadata.map(JSONValue.string)),
            ("mid", .string(mid)),
            ("text", text.map(JSONValue.string)),
            ("attachments", echoAttachments),
            ("quick_replies", message["quick_replies"]),
        ])
        let event = makeEvent(sender: page, recipient: psid, timestamp: timestamp, key: "message", body: echo)
        fanOut(page: page, event: event, field: "message_echoes", messagingApps: [app])
        return mid
    }
}
