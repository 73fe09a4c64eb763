import Crypto

/// The two HMACs of the Messenger Platform, as the simulator computes them.
public enum MessengerCrypto {
    /// `X-Hub-Signature-256` value: `sha256=` + lowercase hex HMAC-SHA256 of the raw body keyed with the app secret.
    /// - Parameters:
    ///   - body: The exact body bytes.
    ///   - secret: The app secret.
    /// - Returns: The header value.
    public static func hubSignature256<Bytes: Sequence<UInt8>>(body: Bytes, secret: String) -> String {
        "sha256=" + hmacHex(Array(body), key: Array(secret.utf8))
    }

    /// `appsecret_proof`: lowercase hex HMAC-SHA256 of the access token keyed with the app secret.
    /// - Parameters:
    ///   - accessToken: The access token sent with the call.
    ///   - secret: The app secret.
    /// - Returns: The proof.
    public static func appSecretProof(accessToken: String, secret: String) -> String {
        hmacHex(Array(accessToken.utf8), key: Array(secret.utf8))
    }

    /// Constant-time comparison of two strings' bytes.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    private static func hmacHex(_ data: [UInt8], key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key))
        return SimulatorHex.encode(mac)
    }
}
