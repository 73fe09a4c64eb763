import BatonCore
import BatonSkills
import BatonStore
import Foundation

extension ConversationProcessor {
    /// The skill ABI's input document for a user message.
    static func skillInput(
        event: WebhookEvent, message: UserMessage?, postback: Postback?, state: ThreadState, gap: Double?
    ) -> SkillInput {
        SkillInput(
            message: .init(
                mid: message?.mid ?? postback?.mid ?? event.dedupeKey,
                timestamp: event.timestamp,
                text: message?.text,
                quickReplyPayload: message?.quickReplyPayload,
                postback: postback.map { .init(title: $0.title ?? "", payload: $0.payload ?? "") },
                attachments: message?.attachments.map { .init(type: $0.type, url: $0.url) } ?? []
            ),
            conversation: .init(
                pageID: event.page.rawValue,
                psid: event.user.rawValue,
                // The current message is the input itself; the turns are what came before.
                recentTurns: state.recentTurns.dropLast().map {
                    .init(from: SkillInput.Turn.Speaker(rawValue: $0.from.rawValue) ?? .user, text: $0.text, timestamp: $0.timestamp)
                },
                consecutiveFallbacks: state.consecutiveFallbacks,
                secondsSinceLastUserMessage: gap
            )
        )
    }

    /// The `metadata` of a handover: reason, score, skill and recent turns, as JSON within
    /// Meta's 1,000-character limit (oldest turns go first when it does not fit).
    static func handoverMetadata(_ escalation: Escalation, state: ThreadState, from app: String = HostedApp.singleAppName) -> String {
        var turns = state.recentTurns
        while true {
            var object: [String: Any] = [
                "reason": escalation.reason.rawValue,
                "score": escalation.score,
                "from": app,
                "recent_turns": turns.map { ["from": $0.from.rawValue, "text": String($0.text.prefix(200)), "timestamp": $0.timestamp] },
            ]
            if let skill = escalation.skill { object["skill"] = skill }
            if let detail = escalation.detail { object["detail"] = String(detail.prefix(200)) }
            let text = json(object)
            if text.count < 1000 || turns.isEmpty { return text }
            turns.removeFirst()
        }
    }

    /// Compact JSON with sorted keys.
    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
