import Foundation

extension GraphError {
    /// Replaces anything that looks like a Meta access token (`EAA` and 20+ letters or digits)
    /// with `EAA<redacted>`: Graph error messages sometimes quote the token they refused.
    /// - Parameter text: The text to clean.
    /// - Returns: The text without tokens.
    public static func redactingTokens(in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index + 3 <= scalars.count, scalars[index] == "E", scalars[index + 1] == "A", scalars[index + 2] == "A",
                index == 0 || !isTokenScalar(scalars[index - 1])
            {
                var end = index + 3
                while end < scalars.count, isTokenScalar(scalars[end]) { end += 1 }
                if end - index >= 23 {
                    output.append(contentsOf: "EAA<redacted>".unicodeScalars)
                    index = end
                    continue
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }

    /// Letters and digits (ASCII), the alphabet of access tokens.
    private static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return false
        }
    }

    /// A copy whose message has the given secrets (token, proof) replaced by `<redacted>`.
    func redacting(_ secrets: [String]) -> GraphError {
        var copy = self
        for secret in secrets where !secret.isEmpty {
            copy.message = copy.message.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return copy
    }
}
