import Foundation

/// Structural checks on JSON a skill or an operator hands over.
enum JSONCheck {
    /// Whether `text` is a JSON object.
    static func isObject(_ text: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return false }
        return object is [String: Any]
    }

    /// Whether `text` is a JSON object with a string `"type"`, the shape of
    /// Messenger's `message.attachment`.
    static func isAttachment(_ text: String) -> Bool {
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
            let dictionary = object as? [String: Any]
        else { return false }
        return dictionary["type"] is String
    }
}
