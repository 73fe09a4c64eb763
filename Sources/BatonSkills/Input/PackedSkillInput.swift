/// A skill input as it crosses to a worker process: the fields `baton_host.input_field`
/// returns, each with its length, then the input document as the skill receives it. The
/// worker hands both to the skill as they arrive: it never parses the document.
///
/// Layout (docs/skill-isolation.md): one byte, the number of fields; per field one byte, its
/// key's index in ``keys``, and a 4-byte big-endian length, then its UTF-8 bytes; the rest
/// is the document (UTF-8 JSON, schema `BATON_SKILL_INPUT_SCHEMA`).
public struct PackedSkillInput: Sendable, Equatable {
    /// The field keys, in the order their index names them.
    public static var keys: [String] { InputFieldStorage.keys }

    /// The packed bytes.
    public let bytes: [UInt8]

    /// Packs `input`: its fields and its document.
    /// - Parameter input: the message and its conversation.
    public init(_ input: SkillInput) {
        let values = input.fieldValues
        let fieldsLength = values.reduce(0) { $0 + 5 + ($1?.utf8.count ?? 0) }
        var bytes: [UInt8] = []
        // The document is written after the fields, into the same buffer.
        bytes.reserveCapacity(1 + fieldsLength + 256 + input.jsonTextLength)
        bytes.append(UInt8(values.count(where: { $0 != nil })))
        for (index, value) in values.enumerated() {
            guard var value else { continue }
            value.withUTF8 { utf8 in
                let length = UInt32(clamping: utf8.count)
                bytes.append(UInt8(index))
                for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8.prefix(Int(length))))
            }
        }
        self.bytes = input.jsonBytes(after: bytes)
    }

    /// Takes packed bytes as received; ``unpacked()`` checks them.
    /// - Parameter bytes: what ``init(_:)`` wrote.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The fields (key to text) and the document, or nil when the bytes are not a packed input
    /// (an unknown key index, a length past the end, a field or document that is not UTF-8).
    public func unpacked() -> (fields: [String: String], document: String)? {
        guard let layout = layout(), let document = String(validating: bytes[layout.document], as: UTF8.self) else { return nil }
        var fields: [String: String] = [:]
        for (key, range) in zip(Self.keys, layout.fields) {
            if let range { fields[key] = String(decoding: bytes[range], as: UTF8.self) }
        }
        return (fields, document)
    }

    /// The bytes are not a packed input (see ``unpacked()``).
    public struct Malformed: Error {}

    /// The text of one field (a key of ``keys``), or nil when the input has none.
    /// - Throws: ``Malformed`` when the bytes are not a packed input.
    public func field(_ key: String) throws(Malformed) -> String? {
        guard let layout = layout() else { throw Malformed() }
        guard let index = Self.keys.firstIndex(of: key), let range = layout.fields[index] else { return nil }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// What a call hands the skill: the fields, copied once, and the document; nil as for ``unpacked()``.
    func callInput() -> (fields: InputFieldStorage, document: String)? {
        guard let layout = layout(), let document = String(validating: bytes[layout.document], as: UTF8.self) else { return nil }
        return (InputFieldStorage(byIndex: layout.fields.map { $0.map { bytes[$0] } }), document)
    }

    /// Where each field (by key index) and the document lie in ``bytes``, each field checked to be UTF-8.
    private func layout() -> (fields: [Range<Int>?], document: Range<Int>)? {
        guard let count = bytes.first else { return nil }
        var fields: [Range<Int>?] = Array(repeating: nil, count: Self.keys.count)
        var offset = 1
        for _ in 0..<count {
            guard offset + 5 <= bytes.count, Int(bytes[offset]) < fields.count else { return nil }
            let length = bytes[(offset + 1)..<(offset + 5)].reduce(0) { $0 << 8 | Int($1) }
            let start = offset + 5
            guard length <= bytes.count - start else { return nil }
            let range = start..<(start + length)
            guard (try? UTF8Span(validating: bytes.span.extracting(range))) != nil else { return nil }
            fields[Int(bytes[offset])] = range
            offset = start + length
        }
        return (fields, offset..<bytes.count)
    }
}
