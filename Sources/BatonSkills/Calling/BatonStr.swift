import CBatonSkill

/// Lending host strings to skills as `baton_str`, and reading the ones a skill hands
/// to the host builders. Every read is bounded: a length beyond what a limit can
/// allow is refused before a byte is read.
enum BatonStr {
    /// Why a string was refused.
    enum Failure: Error, Equatable {
        /// `ptr` was NULL with a non-zero `len`.
        case nullPointer
        /// The bytes are not UTF-8.
        case invalidUTF8
        /// More Unicode scalars than the limit.
        case tooLong
    }

    /// The bytes of `string`, or nil when `ptr` is NULL but `len` is not zero.
    static func bytes(_ string: baton_str) -> UnsafeRawBufferPointer? {
        if string.len == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        guard let pointer = string.ptr, string.len <= Int.max else { return nil }
        return UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: Int(string.len))
    }

    /// Copies `string` as validated UTF-8 of at most `maxScalars` Unicode scalars.
    static func decode(_ string: baton_str, maxScalars: Int) -> Result<String, Failure> {
        // A scalar takes at most 4 bytes: a longer string cannot fit.
        if string.len > UInt(maxScalars) * 4 { return .failure(.tooLong) }
        guard let bytes = bytes(string) else { return .failure(.nullPointer) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.invalidUTF8) }
        if !fits(text, maxScalars: maxScalars) { return .failure(.tooLong) }
        return .success(text)
    }

    /// Whether `text` has at most `maxScalars` Unicode scalars. Counted on its UTF-8 bytes (each
    /// scalar has exactly one byte that is not a continuation byte `10xxxxxx`), and only when it
    /// has more bytes than that: a text of at most `maxScalars` bytes always fits.
    static func fits(_ text: String, maxScalars: Int) -> Bool {
        let utf8 = text.utf8
        if utf8.count <= maxScalars { return true }
        var scalars = 0
        for byte in utf8 where byte & 0xC0 != 0x80 { scalars += 1 }
        return scalars <= maxScalars
    }

    /// Copies `string` for a message that is never refused: at most `maxScalars`
    /// scalars are kept and invalid bytes become U+FFFD.
    /// - Returns: the text, and whether the bytes read were valid UTF-8.
    static func lossy(_ string: baton_str, maxScalars: Int) -> (text: String, valid: Bool) {
        guard let bytes = bytes(string) else { return ("(NULL pointer)", false) }
        let cap = maxScalars * 4
        let truncated = bytes.count > cap
        var slice = UnsafeRawBufferPointer(rebasing: bytes.prefix(cap))
        if let text = String(validating: slice, as: UTF8.self) {
            return (String(text.unicodeScalars.prefix(maxScalars)), true)
        }
        if truncated {
            // The cut may have split the last scalar: drop up to three trailing bytes.
            for _ in 0..<3 where !slice.isEmpty {
                slice = UnsafeRawBufferPointer(rebasing: slice.dropLast())
                if let text = String(validating: slice, as: UTF8.self) {
                    return (String(text.unicodeScalars.prefix(maxScalars)), true)
                }
            }
        }
        let repaired = String(decoding: slice, as: UTF8.self)
        return (String(repaired.unicodeScalars.prefix(maxScalars)), false)
    }

    /// A `baton_str` lending `bytes` to a skill, valid while they are.
    static func borrow(_ bytes: UnsafeBufferPointer<UInt8>) -> baton_str {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return baton_str(ptr: nil, len: 0) }
        return baton_str(ptr: UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), len: bytes.count)
    }
}
