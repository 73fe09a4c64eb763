import Foundation

/// Messenger's `message.attachment` object as JSON text, checked once when it is made:
/// a JSON object with a string `"type"`. A value of this type is always sendable as is.
public struct ReplyAttachment: Sendable, Hashable {
    /// The object's JSON text, without surrounding whitespace.
    public let json: String

    /// Checks `json` and keeps it; nil when it is not a JSON object with a string `"type"`.
    /// - Parameter json: The attachment object as JSON text (surrounding whitespace is dropped).
    public init?(json: String) {
        let trimmed = json.trimmingCharacters(in: .whitespacesAndNewlines)
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)),
            let dictionary = object as? [String: Any],
            dictionary["type"] is String
        else { return nil }
        self.json = trimmed
    }
}
