import BatonCore
import CBatonSkill

/// The common input fields `baton_host.input_field` returns, copied once into one
/// buffer that lives as long as the call context, so the borrowed `baton_str`s
/// handed out stay valid until the call returns.
final class InputFieldStorage: Sendable {
    /// The keys `input_field` knows (see `baton/skill.h`).
    static let knownKeys: Set<String> = [
        "message.mid", "message.text", "message.quick_reply_payload",
        "message.postback_title", "message.postback_payload",
        "conversation.page_id", "conversation.psid",
    ]

    nonisolated(unsafe) private let buffer: UnsafeMutableRawBufferPointer
    private let slices: [String: Range<Int>]

    /// Copies `values` (key to field text; absent fields have no key).
    init(_ values: [String: String]) {
        var slices: [String: Range<Int>] = [:]
        var total = 0
        for (key, value) in values {
            let count = value.utf8.count
            slices[key] = total..<(total + count)
            total += count
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 1)
        for (key, value) in values {
            guard let range = slices[key] else { continue }
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[range])
            target.copyBytes(from: value.utf8)
        }
        self.buffer = buffer
        self.slices = slices
    }

    deinit {
        buffer.deallocate()
    }

    /// The borrowed string for `key`, or nil when the input has no such field.
    func field(_ key: String) -> baton_str? {
        guard let range = slices[key] else { return nil }
        if range.isEmpty { return baton_str(ptr: nil, len: 0) }
        let start = (buffer.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self)
        return baton_str(ptr: UnsafePointer(start), len: range.count)
    }
}

extension InputFieldStorage {
    /// The fields of a typed input.
    convenience init(_ input: SkillInput) {
        var values: [String: String] = [
            "message.mid": input.message.mid,
            "conversation.page_id": input.conversation.pageID,
            "conversation.psid": input.conversation.psid,
        ]
        values["message.text"] = input.message.text
        values["message.quick_reply_payload"] = input.message.quickReplyPayload
        values["message.postback_title"] = input.message.postback?.title
        values["message.postback_payload"] = input.message.postback?.payload
        self.init(values)
    }
}
