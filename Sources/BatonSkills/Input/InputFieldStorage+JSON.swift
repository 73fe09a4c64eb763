import Foundation

extension InputFieldStorage {
    /// The fields found in a raw input document; a document that does not parse, or
    /// lacks a field, simply has no value for it.
    convenience init(json: String) {
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
            let root = object as? [String: Any]
        else {
            self.init([:])
            return
        }
        let message = root["message"] as? [String: Any] ?? [:]
        let conversation = root["conversation"] as? [String: Any] ?? [:]
        let postback = message["postback"] as? [String: Any] ?? [:]
        var values: [String: String] = [:]
        values["message.mid"] = message["mid"] as? String
        values["message.text"] = message["text"] as? String
        values["message.quick_reply_payload"] = message["quick_reply_payload"] as? String
        values["message.postback_title"] = postback["title"] as? String
        values["message.postback_payload"] = postback["payload"] as? String
        values["conversation.page_id"] = conversation["page_id"] as? String
        values["conversation.psid"] = conversation["psid"] as? String
        self.init(values)
    }
}
