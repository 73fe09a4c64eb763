import CBatonSkill

extension baton_str {
    /// The string's text; invalid UTF-8 is repaired, a NULL pointer reads as empty.
    var text: String {
        guard let ptr, len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: len), as: UTF8.self)
    }
}

/// Calls `body` with a borrowed `baton_str` view of `string`, valid only during the call.
func withBatonStr<Result>(_ string: String, _ body: (baton_str) -> Result) -> Result {
    var string = string
    return string.withUTF8 { buffer in
        let start = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
        return body(baton_str(ptr: start, len: buffer.count))
    }
}
