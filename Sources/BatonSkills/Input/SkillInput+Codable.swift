import BatonCore

/// Codable with the header's snake_case keys; encoding writes `"schema"` first and
/// `seconds_since_last_user_message` as `null` when absent.
extension SkillInput: Codable {
    private enum CodingKeys: String, CodingKey {
        case schema, message, conversation
    }

    /// Decodes schema 1; another schema is a `DecodingError`.
    /// - Parameter decoder: the decoder.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let schema = try container.decode(Int.self, forKey: .schema)
        guard schema == SkillInput.schema else {
            throw DecodingError.dataCorruptedError(
                forKey: .schema, in: container, debugDescription: "unsupported schema \(schema)")
        }
        self.message = try container.decode(Message.self, forKey: .message)
        self.conversation = try container.decode(Conversation.self, forKey: .conversation)
    }

    /// Encodes `schema`, `message`, `conversation`.
    /// - Parameter encoder: the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(SkillInput.schema, forKey: .schema)
        try container.encode(message, forKey: .message)
        try container.encode(conversation, forKey: .conversation)
    }
}

extension SkillInput.Message: Codable {
    private enum CodingKeys: String, CodingKey {
        case mid, timestamp, text, postback, attachments
        case quickReplyPayload = "quick_reply_payload"
    }

    /// Decodes a message; `attachments` may be absent.
    /// - Parameter decoder: the decoder.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.mid = try container.decode(String.self, forKey: .mid)
        self.timestamp = try container.decode(Int64.self, forKey: .timestamp)
        self.text = try container.decodeIfPresent(String.self, forKey: .text)
        self.quickReplyPayload = try container.decodeIfPresent(String.self, forKey: .quickReplyPayload)
        self.postback = try container.decodeIfPresent(SkillInput.Postback.self, forKey: .postback)
        self.attachments = try container.decodeIfPresent([SkillInput.Attachment].self, forKey: .attachments) ?? []
    }

    /// Encodes a message, leaving out absent optional keys.
    /// - Parameter encoder: the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mid, forKey: .mid)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(quickReplyPayload, forKey: .quickReplyPayload)
        try container.encodeIfPresent(postback, forKey: .postback)
        try container.encode(attachments, forKey: .attachments)
    }
}

extension SkillInput.Conversation: Codable {
    private enum CodingKeys: String, CodingKey {
        case psid
        case pageID = "page_id"
        case recentTurns = "recent_turns"
        case consecutiveFallbacks = "consecutive_fallbacks"
        case secondsSinceLastUserMessage = "seconds_since_last_user_message"
    }

    /// Decodes a conversation; `recent_turns` and `consecutive_fallbacks` may be absent.
    /// - Parameter decoder: the decoder.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.pageID = try container.decode(String.self, forKey: .pageID)
        self.psid = try container.decode(String.self, forKey: .psid)
        self.recentTurns = try container.decodeIfPresent([SkillInput.Turn].self, forKey: .recentTurns) ?? []
        self.consecutiveFallbacks = try container.decodeIfPresent(Int.self, forKey: .consecutiveFallbacks) ?? 0
        self.secondsSinceLastUserMessage = try container.decodeIfPresent(
            Double.self, forKey: .secondsSinceLastUserMessage)
    }

    /// Encodes a conversation; `seconds_since_last_user_message` is `null` when absent.
    /// - Parameter encoder: the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pageID, forKey: .pageID)
        try container.encode(psid, forKey: .psid)
        try container.encode(recentTurns, forKey: .recentTurns)
        try container.encode(consecutiveFallbacks, forKey: .consecutiveFallbacks)
        if let seconds = secondsSinceLastUserMessage {
            try container.encode(seconds, forKey: .secondsSinceLastUserMessage)
        } else {
            try container.encodeNil(forKey: .secondsSinceLastUserMessage)
        }
    }
}
