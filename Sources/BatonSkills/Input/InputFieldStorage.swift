import BatonCore
import CBatonSkill

/// The common input fields `baton_host.input_field` returns, copied once into one
/// buffer that lives as long as the call context, so the borrowed `baton_str`s
/// handed out stay valid until the call returns.
final class InputFieldStorage: Sendable {
    /// The keys `input_field` knows (see `baton/skill.h`), in the order their index names them
    /// (``PackedSkillInput`` sends that index).
    static let keys = [
        "message.mid", "message.text", "message.quick_reply_payload", "message.postback_title", "message.postback_payload",
        "conversation.page_id", "conversation.psid",
    ]

    nonisolated(unsafe) private let buffer: UnsafeMutableRawBufferPointer
    /// Each key's bytes in `buffer`, by the key's index; nil when the input has no such field.
    private let ranges: [Range<Int>?]

    /// Copies `values` (key to field text; absent fields have no key, unknown keys are ignored).
    convenience init(_ values: [String: String]) {
        self.init(byIndex: Self.keys.map { values[$0].map { Array($0.utf8) } })
    }

    /// Copies `values`, each field's UTF-8 bytes by its key's index in ``keys`` (nil: absent).
    init<Bytes: Collection<UInt8>>(byIndex values: [Bytes?]) {
        var ranges: [Range<Int>?] = Array(repeating: nil, count: Self.keys.count)
        var total = 0
        for (index, value) in zip(ranges.indices, values) {
            guard let value else { continue }
            ranges[index] = total..<(total + value.count)
            total += value.count
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 1)
        for (range, value) in zip(ranges, values) {
            guard let range, let value else { continue }
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[range])
            // A String's UTF-8 and array slices are contiguous: one memcpy, not a byte-by-byte walk.
            if value.withContiguousStorageIfAvailable({ target.copyMemory(from: UnsafeRawBufferPointer($0)) }) == nil {
                target.copyBytes(from: value)
            }
        }
        self.buffer = buffer
        self.ranges = ranges
    }

    deinit {
        buffer.deallocate()
    }

    /// The borrowed string for `key`, or nil when the input has no such field (or the key is unknown).
    func field(_ key: String) -> baton_str? {
        guard let index = Self.keys.firstIndex(of: key), let range = ranges[index] else { return nil }
        if range.isEmpty { return baton_str(ptr: nil, len: 0) }
        let start = (buffer.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self)
        return baton_str(ptr: UnsafePointer(start), len: range.count)
    }
}

extension InputFieldStorage {
    /// The fields of a typed input.
    convenience init(_ input: SkillInput) {
        self.init(byIndex: input.fieldValues.map { $0?.utf8 })
    }
}
