import BatonCore
import Foundation

/// The `metadata` of a pass from one Baton-hosted bot to another: who sends the
/// conversation, why, and the message the receiving bot is to answer. The receiving bot
/// answers it from the pass event on (its own copy of the message came on `standby`).
///
/// Other apps' metadata never parses as a hand-off: it must carry `"baton_hand_off": 1`.
struct HandOff: Equatable {
    /// The message that made the sender hand the conversation over.
    struct Message: Equatable {
        var mid: String
        var text: String?
        var payload: String?
        /// When the user sent it, ms.
        var timestamp: Int64?
    }

    /// The sending app's name in its Baton configuration.
    var from: String
    /// The sending app's id.
    var fromAppID: AppID
    /// Why: the escalation's reason (`detector`, `done`...).
    var reason: String
    /// The detector's score, its name and its words, when a detector decided.
    var score: Double?
    var skill: String?
    var detail: String?
    /// The message to answer, if any (none when a conversation is handed back because it is done).
    var message: Message?
    /// Digests of the user messages the sender handled most recently.
    var handled: [String] = []
    /// Since when the sender answers for the thread (ms, event clock): what the receiver
    /// heard on `standby` before was someone else's (another app's, a person's).
    var ownedSince: Int64?

    /// The longest text carried: Meta's metadata holds at most 1,000 characters.
    static let maxTextLength = 600

    init(
        from: String, fromAppID: AppID, reason: String, score: Double? = nil, skill: String? = nil, detail: String? = nil, message: Message?,
        handled state: ThreadState
    ) {
        (self.from, self.fromAppID, self.reason, self.score, self.skill, self.detail, self.message) =
            (from, fromAppID, reason, score, skill, detail, message)
        handled = state.recentlyHandled ?? []
        ownedSince = state.ownershipStartedAt
    }

    /// A hand-off for an escalation decided by this app.
    init(from: String, fromAppID: AppID, escalation: Escalation, message: Message?, handled state: ThreadState) {
        self.init(
            from: from, fromAppID: fromAppID, reason: escalation.reason.rawValue, score: escalation.score, skill: escalation.skill,
            detail: escalation.detail, message: message, handled: state)
    }

    private init(
        from: String, fromAppID: AppID, reason: String, score: Double?, skill: String?, detail: String?, message: Message?,
        handled: [String], ownedSince: Int64?
    ) {
        (self.from, self.fromAppID, self.reason, self.score, self.skill, self.detail, self.message) =
            (from, fromAppID, reason, score, skill, detail, message)
        (self.handled, self.ownedSince) = (handled, ownedSince)
    }

    /// The pass metadata: compact JSON under 1,000 characters (long texts are cut, the
    /// detector's words first).
    var metadata: String {
        var object: [String: Any] = ["baton_hand_off": 1, "from": from, "from_app_id": fromAppID.rawValue, "reason": reason]
        if let score { object["score"] = score }
        if let skill { object["skill"] = String(skill.prefix(80)) }
        if let detail { object["detail"] = String(detail.prefix(120)) }
        if !handled.isEmpty { object["handled"] = Array(handled.suffix(ThreadState.maxRecentTurns)) }
        if let ownedSince { object["owned_since"] = ownedSince }
        if let message {
            var carried: [String: Any] = ["mid": String(message.mid.prefix(120))]
            if let text = message.text { carried["text"] = String(text.prefix(Self.maxTextLength)) }
            if let payload = message.payload { carried["payload"] = String(payload.prefix(120)) }
            if let timestamp = message.timestamp { carried["timestamp"] = timestamp }
            object["message"] = carried
        }
        var text = ConversationProcessor.json(object)
        // Escaping can make a text longer than its characters; cut until it fits.
        var limit = Self.maxTextLength
        while text.count >= 1000, limit > 0, var carried = object["message"] as? [String: Any], let long = carried["text"] as? String {
            limit /= 2
            carried["text"] = String(long.prefix(limit))
            object["message"] = carried
            text = ConversationProcessor.json(object)
        }
        return text
    }

    /// Reads a pass's metadata; nil unless it is a Baton hand-off.
    static func parse(_ metadata: String?) -> HandOff? {
        guard let metadata, let data = metadata.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            (object["baton_hand_off"] as? NSNumber)?.intValue == 1,
            let from = object["from"] as? String, let appID = object["from_app_id"] as? String, let reason = object["reason"] as? String
        else { return nil }
        let message = (object["message"] as? [String: Any]).flatMap { carried -> Message? in
            guard let mid = carried["mid"] as? String, !mid.isEmpty else { return nil }
            return Message(
                mid: mid, text: carried["text"] as? String, payload: carried["payload"] as? String,
                timestamp: (carried["timestamp"] as? NSNumber)?.int64Value)
        }
        return HandOff(
            from: from, fromAppID: AppID(appID), reason: reason, score: (object["score"] as? NSNumber)?.doubleValue,
            skill: object["skill"] as? String, detail: object["detail"] as? String, message: message,
            handled: object["handled"] as? [String] ?? [], ownedSince: (object["owned_since"] as? NSNumber)?.int64Value)
    }
}
