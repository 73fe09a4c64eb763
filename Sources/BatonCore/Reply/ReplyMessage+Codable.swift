/// The stored form, unchanged from the outbox rows written before ``ReplyMessage/Body``
/// existed: `{"text":…,"quickReplies":[…]}` or `{"attachmentJSON":…,"quickReplies":[…]}`.
/// A row with both, neither, or an attachment that is not an object with a `"type"` does
/// not decode (the store reports it as corrupt instead of sending it).
extension ReplyMessage: Codable {
    private enum CodingKeys: String, CodingKey {
        case text, attachmentJSON, quickReplies
    }

    /// Decodes the stored form.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError.dataCorrupted` unless exactly one of text or a valid attachment is there.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decodeIfPresent(String.self, forKey: .text)
        let attachmentJSON = try container.decodeIfPresent(String.self, forKey: .attachmentJSON)
        let quickReplies = try container.decodeIfPresent([QuickReply].self, forKey: .quickReplies) ?? []
        switch (text, attachmentJSON) {
        case (let text?, nil):
            self.init(body: .text(text), quickReplies: quickReplies)
        case (nil, let json?):
            guard let attachment = ReplyAttachment(json: json) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .attachmentJSON, in: container,
                    debugDescription: "attachmentJSON is not a JSON object with a string \"type\"")
            }
            self.init(body: .attachment(attachment), quickReplies: quickReplies)
        default:
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a reply needs exactly one of text or attachmentJSON"))
        }
    }

    /// Encodes the stored form.
    /// - Parameter encoder: The encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch body {
        case .text(let text): try container.encode(text, forKey: .text)
        case .attachment(let attachment): try container.encode(attachment.json, forKey: .attachmentJSON)
        }
        try container.encode(quickReplies, forKey: .quickReplies)
    }
}
