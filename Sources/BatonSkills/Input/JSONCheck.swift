import Foundation

/// Structural checks on JSON a skill or an operator hands over.
enum JSONCheck {
    /// Whether `text` is a JSON object.
    static func isObject(_ text: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return false }
        return object is [String: Any]
    }
}
