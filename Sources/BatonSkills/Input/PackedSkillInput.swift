/// A skill input as it crosses to a worker process: the fields `baton_host.input_field`
/// returns, each with its length, then the input document as the skill receives it. The
/// worker hands both to the skill as they arrive: it never parses the document.
///
/// Layout (docs/skill-isolation.md): one byte, the number of fields; per field one byte, its
/// key's index in ``keys``, and a 4-byte big-endian length, then its UTF-8 bytes; the rest
/// is the document (UTF-8 JSON, schema `BATON_SKILL_INPUT_SCHEMA`).
public struct PackedSkillInput: Sendable, Equatable {
    /// The field keys, in the order their index names them.
    public static let keys = [
        "message.mid", "message.text", "message.quick_reply_payload", "message.postback_title", "message.postback_payload",
        "conversation.page_id", "conversation.psid",
    ]

    /// The packed bytes.
    public let bytes: [UInt8]

    /// Packs `input`: its fields and its document.
    /// - Parameter input: the message and its conversation.
    public init(_ input: SkillInput) {
        let values: [String?] = [
            input.message.mid, input.message.text, input.message.quickReplyPayload, input.message.postback?.title,
            input.message.postback?.payload, input.conversation.pageID, input.conversation.psid,
        ]
        let document = input.jsonString().utf8
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 + values.reduce(0) { $0 + 5 + ($1?.utf8.count ?? 0) } + document.count)
        bytes.append(UInt8(values.count(where: { $0 != nil })))
        for (index, value) in values.enumerated() {
            guard let value else { continue }
            let length = UInt32(clamping: value.utf8.count)
            bytes.append(UInt8(index))
            bytes += [UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
            bytes += value.utf8.prefix(Int(length))
        }
        bytes += document
        self.bytes = bytes
    }

    /// Takes packed bytes as received; ``unpacked()`` checks them.
    /// - Parameter bytes: what ``init(_:)`` wrote.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The fields (key to text) and the document, or nil when the bytes are not a packed input
    /// (an unknown key index, a length past the end, a field or document that is not UTF-8).
    public func unpacked() -> (fields: [String: String], document: String)? {
        guard let count = bytes.first else { return nil }
        var fields: [String: String] = [:]
        var offset = 1
        for _ in 0..<count {
            guard offset + 5 <= bytes.count, Int(bytes[offset]) < Self.keys.count else { return nil }
            let length = bytes[(offset + 1)..<(offset + 5)].reduce(0) { $0 << 8 | Int($1) }
            let start = offset + 5
            guard length <= bytes.count - start, let value = String(validating: bytes[start..<(start + length)], as: UTF8.self) else {
                return nil
            }
            fields[Self.keys[Int(bytes[offset])]] = value
            offset = start + length
        }
        guard let document = String(validating: bytes[offset...], as: UTF8.self) else { return nil }
        return (fields, document)
    }
}
