/// Hexadecimal text for bytes: the one hex encoder of Baton (signatures, `appsecret_proof`,
/// content keys, percent-encoding, JSON `\u` escapes).
public enum Hex {
    private static let lowercaseDigits = Array("0123456789abcdef".utf8)
    private static let uppercaseDigits = Array("0123456789ABCDEF".utf8)

    /// Two hex digits per byte, most significant first.
    /// - Parameters:
    ///   - bytes: The bytes, e.g. a digest.
    ///   - uppercase: `A`–`F` instead of `a`–`f` (percent-encoding uses uppercase).
    /// - Returns: Text of `2 * count` digits.
    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { append(byte, to: &output, uppercase: uppercase) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the two hex digits of `byte` as UTF-8.
    /// - Parameters:
    ///   - byte: The byte.
    ///   - output: Where the two digits go.
    ///   - uppercase: `A`–`F` instead of `a`–`f`.
    public static func append(_ byte: UInt8, to output: inout [UInt8], uppercase: Bool = false) {
        let digits = uppercase ? uppercaseDigits : lowercaseDigits
        output.append(digits[Int(byte >> 4)])
        output.append(digits[Int(byte & 0xF)])
    }

    /// The bytes of hex text (either case).
    /// - Parameter hex: The digits as UTF-8, two per byte.
    /// - Returns: The bytes, or nil for an odd count or a character that is not a hex digit.
    public static func decode(_ hex: some Collection<UInt8>) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var high: UInt8?
        for character in hex {
            guard let value = value(of: character) else { return nil }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
