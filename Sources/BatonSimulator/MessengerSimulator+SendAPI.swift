extension MessengerSimulator {
    static let dayMilliseconds: Int64 = 24 * 3600 * 1000
    static let maxTextLength = 2000
    static let maxQuickReplies = 13
    static let maxMetadataLength = 1000

    /// `POST /messages`: validation, the owner-only rule, the messaging window, the send itself, its echo
    /// and an optional Send-API `thread_control`.
    func sendMessage(caller: String, page: String, params: [String: JSONValue]) throws(GraphError) -> JSONValue {
        let psid = params["recipient"]?["id"]?.stringOrNumber
        func fail(_ error: GraphError) -> GraphError { refuse(error, psid: psid, app: caller, endpoint: "messages") }

        let knobs = configuration.knobs
        if let psid, let code = failingRecipients[psid] { throw fail(.transient(code: code)) }
        if rng.chance(transientSendFailureRate), let code = knobs.transientFailureCodes.randomElement(using: &rng) {
            throw fail(.transient(code: code))
        }
        guard let psid, let thread = thread(psid, on: page) else { throw fail(.noMatchingUser) }
        lapseIfExpired(psid)
        let owner = threads[psid]?.owner

        if let action = params["sender_action"] {
            guard params["message"] == nil, params["thread_control"] == nil else {
                throw fail(.invalidParameter("sender_action must be sent alone, without message"))
            }
            guard let name = action.string, ["typing_on", "typing_off", "mark_seen"].contains(name) else {
                throw fail(.invalidParameter("param sender_action must be one of {typing_on, typing_off, mark_seen}"))
            }
            guard owner == nil || owner == caller else { throw fail(.anotherAppControls) }
            let sent = SentMessage(
                mid: nil, appID: caller, page: page, psid: psid, timestamp: clock.stamp(), messagingType: nil, tag: nil,
                text: nil, quickReplies: [], attachmentType: nil, attachmentPayload: nil, metadata: nil, senderAction: name, threadControl: nil
            )
            record(psid, kind: .send, sent: sent)
            return .obj([("recipient_id", .string(psid))])
        }

        guard let message = params["message"], case .object = message else {
            throw fail(.invalidParameter("Must send either message or sender_action"))
        }
        guard let messagingType = params["messaging_type"]?.string else {
            throw fail(.invalidParameter("param messaging_type is required"))
        }
        guard ["RESPONSE", "UPDATE", "MESSAGE_TAG"].contains(messagingType) else {
            throw fail(.invalidParameter("param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}"))
        }
        let tag = params["tag"]?.string
        if messagingType == "MESSAGE_TAG" {
            guard let tag else { throw fail(.invalidParameter("param tag is required when messaging_type is MESSAGE_TAG")) }
            guard ["HUMAN_AGENT", "CUSTOMER_FEEDBACK"].contains(tag) else {
                throw fail(.invalidParameter("param tag \(tag) is not supported"))
            }
        }
        let text = message["text"]?.string
        let attachment = message["attachment"]
        guard (text != nil) != (attachment != nil) else {
            throw fail(.invalidParameter("param message must have exactly one of text or attachment"))
        }
        if let text, text.count > Self.maxTextLength {
            throw fail(.invalidParameter("Length of param message[text] must be less than or equal to \(Self.maxTextLength)"))
        }
        if let replies = message["quick_replies"], (replies.array?.count ?? .max) > Self.maxQuickReplies {
            throw fail(.invalidParameter("param message[quick_replies] must be an array of at most \(Self.maxQuickReplies) elements"))
        }
        if let metadata = message["metadata"]?.string, metadata.count > Self.maxMetadataLength {
            throw fail(.invalidParameter("Length of param message[metadata] must be less than or equal to \(Self.maxMetadataLength)"))
        }

        var control: (type: String, target: String?)?
        if let threadControl = params["thread_control"] {
            let type = threadControl["control_type"]?.string
            switch type {
            case "pass":
                let target = threadControl["app_id"]?.stringOrNumber ?? configuration.defaultOwnerAppID
                do throws(GraphError) { try checkPassTarget(target, caller: caller) } catch { throw fail(error) }
                control = ("pass", target)
            case "release":
                control = ("release", nil)
            default:
                throw fail(.invalidParameter("param thread_control[control_type] must be one of {pass, release}"))
            }
        }

        guard owner == nil || owner == caller else { throw fail(.anotherAppControls) }
        let sinceUser = thread.lastUserMessageAt.map { clock.now - $0 } ?? .max
        if sinceUser > Self.dayMilliseconds {
            guard messagingType == "MESSAGE_TAG", sinceUser <= 7 * Self.dayMilliseconds else { throw fail(.outsideWindow) }
        }

        let mid = deliverSend(psid: psid, page: page, app: caller, message: message, messagingType: messagingType, tag: tag, threadControl: control?.type)
        switch control {
        case ("pass", let target?)?:
            pass(psid: psid, page: page, caller: caller, target: target, metadata: nil)
        case ("release", _)?:
            release(psid: psid, caller: caller, metadata: nil)
        default:
            break
        }
        return .obj([("recipient_id", .string(psid)), ("message_id", .string(mid))])
    }

    /// Performs an accepted send: an idle thread becomes the sender's, the message is stored and the
    /// echo goes to the sender on `messaging` and to every other subscribed app on `standby`.
    func deliverSend(psid: String, page: String, app: String, message: JSONValue, messagingType: String, tag: String?, threadControl: String?) -> String {
        if threads[psid]?.owner == nil {
            changeOwner(psid, to: app, action: .claimBySend, by: app, metadata: nil)
        }
        touch(psid)
        let mid = newMID()
        let timestamp = clock.stamp()
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
            threadControl: threadControl
        )
        record(psid, kind: .send, timestamp: timestamp, sent: sent)
        threads[psid]?.messages.append(.init(mid: mid, text: text ?? "", createdAt: timestamp, appID: app))

        let echoAttachments: JSONValue? = attachment.map { attachment in
            .array([.obj([("type", attachment["type"]), ("payload", attachment["payload"])])])
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
        fanOut(page: page, event: event, messagingApps: [app])
        return mid
    }
}
