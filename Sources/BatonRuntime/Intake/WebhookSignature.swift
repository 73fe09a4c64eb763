import BatonCore
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
        guard hex.count == 64, let given = Hex.decode(hex) else { return false }
        let expected = HMAC<SHA256>.authenticationCode(for: Array(body), using: key)
        return Self.constantTimeEquals(Array(expected), given)
    }

    /// The header value for a body (for clients and tests).
    public func header(for body: some Sequence<UInt8>) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body), using: key)
        return "sha256=" + Hex.encode(mac)
    }

    /// Compares two byte arrays of equal length without an early exit.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
