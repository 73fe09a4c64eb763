/// JSON string literals: the one JSON string escaper of Baton's modules (the simulator, which
/// imitates Meta's ASCII-only bodies and depends on no Baton module, keeps its own).
///
/// Escapes `"` and `\`, writes control characters as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`,
/// and U+2028/U+2029 as `\u2028`/`\u2029` (valid JSON either way, but not valid JavaScript
/// unescaped). Everything else is copied as UTF-8, in runs, so long plain text costs little.
public enum JSONString {
    /// `value` as a JSON string literal, quotes included.
    /// - Parameter value: The text.
    /// - Returns: The literal.
    public static func quoted(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 2)
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as a JSON string literal, quotes included, to UTF-8 bytes.
    /// - Parameters:
    ///   - value: The text.
    ///   - bytes: The buffer written to.
    public static func append(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                let length = escapedLength(utf8, at: index)
                if length == 0 {
                    index += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(byte, separatorLast: length == 3 ? utf8[index + 2] : 0, to: &bytes)
                index += length
                runStart = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// How many bytes at `index` form one character that needs escaping: 1 for `"`, `\` or a
    /// control character, 3 for U+2028/U+2029, 0 for a byte copied as it is.
    private static func escapedLength(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = utf8[index]
        if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return 1 }
        if byte == 0xE2, index + 2 < utf8.count, utf8[index + 1] == 0x80, utf8[index + 2] & 0xFE == 0xA8 {
            return 3
        }
        return 0
    }

    private static func appendEscape(_ byte: UInt8, separatorLast: UInt8, to bytes: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes += [backslash, byte]
        case 0x0A: bytes += [backslash, UInt8(ascii: "n")]
        case 0x0D: bytes += [backslash, UInt8(ascii: "r")]
        case 0x09: bytes += [backslash, UInt8(ascii: "t")]
        case 0x08: bytes += [backslash, UInt8(ascii: "b")]
        case 0x0C: bytes += [backslash, UInt8(ascii: "f")]
        case 0xE2: bytes += Array((separatorLast == 0xA8 ? "\\u2028" : "\\u2029").utf8)
        default:
            bytes += [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
            Hex.append(byte, to: &bytes)
        }
    }
}
