/// Writes the small JSON bodies the Graph client sends, field order as in Meta's samples.
struct GraphJSON {
    private(set) var text = ""

    /// A JSON string literal for `value`.
    static func quote(_ value: String) -> String {
        var output = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    /// `{"key":value,...}` from members whose values are already JSON text; nil values are left out.
    static func object(_ members: [(String, String?)]) -> String {
        let present = members.compactMap { key, value in value.map { "\(quote(key)):\($0)" } }
        return "{" + present.joined(separator: ",") + "}"
    }

    /// `[a,b,...]` from elements that are already JSON text.
    static func array(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ",") + "]"
    }

    /// An app id as a JSON number when it is a plain decimal integer, else as a string.
    static func appID(_ rawValue: String) -> String {
        let isNumber =
            !rawValue.isEmpty && rawValue.count <= 18 && rawValue.utf8.allSatisfy { (48...57).contains($0) }
            && (rawValue == "0" || !rawValue.hasPrefix("0"))
        return isNumber ? rawValue : quote(rawValue)
    }
}
