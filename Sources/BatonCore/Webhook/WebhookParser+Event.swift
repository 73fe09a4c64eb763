/// Where an event sits in the body: its entry's Page and time, its array and index.
struct WebhookEventContext {
    var page: PageID
    var channel: WebhookChannel
    var entryTime: Int64?
    var location: String
}

/// What one event object became.
enum WebhookEventOutcome {
    case event(WebhookEvent)
    case ignored(IgnoredItem)
}

/// Why one event could not be read; becomes an ``IgnoredItem``.
struct WebhookEventProblem: Error {
    var reason: String
}

extension WebhookParser {
    /// The event keys the parser knows, in the order they are looked for.
    static let knownEventKeys = [
        "message", "postback", "delivery", "read", "referral", "optin",
        "pass_thread_control", "take_thread_control", "request_thread_control", "app_roles",
    ]

    /// Keys of the event envelope that are not event keys themselves.
    static let envelopeKeys: Set<String> = ["sender", "recipient", "timestamp", "prior_message"]

    /// Reads one event object, or says why it is ignored.
    static func parseEvent(_ value: WebhookJSONValue, context: WebhookEventContext) -> WebhookEventOutcome {
        let rawJSON = value.serialized
        do {
            return .event(try readEvent(value, context: context, rawJSON: rawJSON))
        } catch {
            return .ignored(
                IgnoredItem(location: context.location, reason: error.reason, page: context.page, rawJSON: rawJSON))
        }
    }

    /// Reads one event object; throws the reason it cannot be read.
    private static func readEvent(
        _ value: WebhookJSONValue, context: WebhookEventContext, rawJSON: String
    ) throws(WebhookEventProblem) -> WebhookEvent {
        guard let fields = value.object else {
            throw WebhookEventProblem(reason: "event is \(value.kindName), not an object")
        }
        let kind = try parseKind(fields)
        let user = try resolveUser(fields, kind: kind, page: context.page)
        let timestamp = try resolveTimestamp(fields, entryTime: context.entryTime)
        return WebhookEvent(
            page: context.page, channel: context.channel, user: user, timestamp: timestamp, kind: kind,
            rawJSON: rawJSON)
    }

    /// The non-Page party: `recipient.id` for echoes, `sender.id` otherwise (or `recipient.id` when
    /// the sender is the Page itself). Empty for `app_roles` and for unknown events without ids.
    private static func resolveUser(
        _ fields: [String: WebhookJSONValue], kind: WebhookEventKind, page: PageID
    ) throws(WebhookEventProblem) -> UserID {
        let sender = try partyID(fields, key: "sender")
        let recipient = try partyID(fields, key: "recipient")
        switch kind {
        case .echo:
            guard let recipient else { throw WebhookEventProblem(reason: "echo has no recipient.id") }
            return UserID(recipient)
        case .appRoles:
            return UserID("")
        case .unknown:
            if let sender, sender != page.rawValue { return UserID(sender) }
            return UserID(recipient ?? sender ?? "")
        default:
            guard let sender else { throw WebhookEventProblem(reason: "event has no sender.id") }
            if sender == page.rawValue, let recipient, recipient != page.rawValue {
                return UserID(recipient)
            }
            return UserID(sender)
        }
    }

    /// `sender.id` or `recipient.id`; nil when missing, a problem when the shape is wrong.
    private static func partyID(_ fields: [String: WebhookJSONValue], key: String) throws(WebhookEventProblem)
        -> String?
    {
        guard let party = fields[key], party != .null else { return nil }
        guard let object = party.object else {
            throw WebhookEventProblem(reason: "\(key) is \(party.kindName), not an object")
        }
        guard let id = object["id"] else { return nil }
        guard let string = id.idString else {
            throw WebhookEventProblem(reason: "\(key).id is \(id.kindName), not an id")
        }
        return string
    }

    /// `timestamp` (ms), else the entry's `time`.
    private static func resolveTimestamp(
        _ fields: [String: WebhookJSONValue], entryTime: Int64?
    ) throws(WebhookEventProblem) -> Int64 {
        if let value = fields["timestamp"], value != .null {
            guard let timestamp = value.int64 else {
                throw WebhookEventProblem(reason: "timestamp is \(value.kindName), not a whole number")
            }
            return timestamp
        }
        guard let entryTime else { throw WebhookEventProblem(reason: "event has no timestamp") }
        return entryTime
    }

    /// Finds the event key and reads its content.
    private static func parseKind(_ fields: [String: WebhookJSONValue]) throws(WebhookEventProblem) -> WebhookEventKind
    {
        guard let key = knownEventKeys.first(where: { fields[$0] != nil }) else {
            let others = fields.keys.filter { !envelopeKeys.contains($0) }.sorted()
            guard let first = others.first else { throw WebhookEventProblem(reason: "event has no event key") }
            return .unknown(key: first)
        }
        let value = fields[key] ?? .null
        guard let content = value.object else {
            throw WebhookEventProblem(reason: "\(key) is \(value.kindName), not an object")
        }
        switch key {
        case "message": return try parseMessage(content)
        case "postback": return .postback(parsePostback(content))
        case "delivery":
            guard let watermark = content["watermark"]?.int64 else {
                throw WebhookEventProblem(reason: "delivery has no watermark")
            }
            let mids = content["mids"]?.array?.compactMap(\.string) ?? []
            return .delivery(mids: mids, watermark: watermark)
        case "read":
            guard let watermark = content["watermark"]?.int64 else {
                throw WebhookEventProblem(reason: "read has no watermark")
            }
            return .read(watermark: watermark)
        case "referral":
            let referral = parseReferral(content)
            return .referral(ref: referral.ref, source: referral.source, type: referral.type)
        case "optin": return .optin(ref: content["ref"]?.string)
        case "pass_thread_control":
            return .passThreadControl(
                newOwner: appID(content["new_owner_app_id"]), previousOwner: appID(content["previous_owner_app_id"]),
                metadata: content["metadata"]?.string)
        case "take_thread_control":
            return .takeThreadControl(
                previousOwner: appID(content["previous_owner_app_id"]), newOwner: appID(content["new_owner_app_id"]),
                metadata: content["metadata"]?.string)
        case "request_thread_control":
            return .requestThreadControl(
                requestedOwner: appID(content["requested_owner_app_id"]), metadata: content["metadata"]?.string)
        default:
            var roles: [AppID: [String]] = [:]
            for (app, list) in content {
                guard !app.isEmpty, let list = list.array else { continue }
                roles[AppID(app)] = list.compactMap(\.string)
            }
            return .appRoles(roles)
        }
    }

    /// An app id given as a string or a number; nil for null, missing or any other shape.
    private static func appID(_ value: WebhookJSONValue?) -> AppID? {
        value?.idString.map(AppID.init(rawValue:))
    }

    /// `message`: a user message, or an echo when `is_echo` is true.
    private static func parseMessage(_ content: [String: WebhookJSONValue]) throws(WebhookEventProblem)
        -> WebhookEventKind
    {
        let isEcho = content["is_echo"] == .bool(true)
        guard let mid = content["mid"]?.string, !mid.isEmpty else {
            throw WebhookEventProblem(reason: isEcho ? "echo has no mid" : "message has no mid")
        }
        let attachments = content["attachments"]?.array ?? []
        if isEcho {
            return .echo(
                Echo(
                    mid: mid, appID: appID(content["app_id"]), metadata: content["metadata"]?.string,
                    text: content["text"]?.string, hasAttachments: !attachments.isEmpty))
        }
        return .message(
            UserMessage(
                mid: mid, text: content["text"]?.string,
                quickReplyPayload: content["quick_reply"]?.object?["payload"]?.string,
                attachments: attachments.compactMap(parseAttachment),
                replyToMID: content["reply_to"]?.object?["mid"]?.string))
    }

    /// One `attachments[]` element; nil when it is not an object.
    private static func parseAttachment(_ value: WebhookJSONValue) -> Attachment? {
        guard let fields = value.object else { return nil }
        let payload = fields["payload"]?.object
        return Attachment(
            type: fields["type"]?.string ?? "unknown", url: payload?["url"]?.string,
            stickerID: payload?["sticker_id"]?.idString)
    }

    /// `postback` with its optional `referral`.
    private static func parsePostback(_ content: [String: WebhookJSONValue]) -> Postback {
        Postback(
            mid: content["mid"]?.string, title: content["title"]?.string, payload: content["payload"]?.string,
            referral: content["referral"]?.object.map(parseReferral))
    }

    /// `ref`, `source` and `type` of a referral object.
    private static func parseReferral(_ content: [String: WebhookJSONValue]) -> Referral {
        Referral(ref: content["ref"]?.string, source: content["source"]?.string, type: content["type"]?.string)
    }
}
