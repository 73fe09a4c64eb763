import BatonCore

/// Writes the small JSON bodies the Graph client sends, field order as in Meta's samples;
/// strings go through BatonCore's ``JSONString``.
struct GraphJSON {
    private(set) var text = ""

    /// `{"key":value,...}` from members whose values are already JSON text; nil values are left out.
    static func object(_ members: [(String, String?)]) -> String {
        let present = members.compactMap { key, value in value.map { "\(JSONString.quoted(key)):\($0)" } }
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
        return isNumber ? rawValue : JSONString.quoted(rawValue)
    }
}
