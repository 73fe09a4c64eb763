import Crypto

/// Checks `X-Hub-Signature-256`: the lowercase hex HMAC-SHA256 of the raw body, keyed with
/// the app secret. The raw bytes are hashed exactly as received (Meta signs escaped
/// unicode); the comparison takes the same time wherever the digests differ.
public struct WebhookSignature: Sendable {
    private let key: SymmetricKey

    /// - Parameter appSecret: the app secret from the App Dashboard.
    public init(appSecret: String) {
        self.key = SymmetricKey(data: Array(appSecret.utf8))
    }

    /// Whether `header` (e.g. `sha256=4a5b...`) signs `body`.
    public func isValid(header: String?, body: some Sequence<UInt8>) -> Bool {
        guard let header, header.hasPrefix("sha256=") else { return false }
        let hex = header.utf8.dropFirst("sha256=".count)
        guard hex.count == 64, let given = Self.decodeHex(hex) else { return false }
        let expected = HMAC<SHA256>.authenticationCode(for: Array(body), using: key)
        return Self.constantTimeEquals(Array(expected), given)
    }

    /// The header value for a body (for clients and tests).
    public func header(for body: some Sequence<UInt8>) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body), using: key)
        return "sha256=" + mac.map { Self.hexDigits[Int($0 >> 4)] + Self.hexDigits[Int($0 & 0xf)] }.joined()
    }

    private static let hexDigits = (0..<16).map { String($0, radix: 16) }

    private static func decodeHex(_ hex: some Collection<UInt8>) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var high: UInt8?
        for char in hex {
            let value: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = char - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return high == nil ? bytes : nil
    }

    /// Compares two byte arrays of equal length without an early exit.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
