public import BatonSimulator
import Foundation

/// Renders a simulator timeline as text for people: the conversation as the user saw it,
/// and who controlled the thread when.
public struct TimelineRenderer: Sendable {
    /// Names to show for app ids (the bot, the Page Inbox...).
    public var appNames: [String: String]

    public init(appNames: [String: String]) {
        self.appNames = appNames
    }

    /// The conversation: one line per user input and per message sent.
    public func transcript(_ entries: [TimelineEntry]) -> [String] {
        entries.compactMap { entry in
            switch entry.kind {
            case .userMessage:
                guard let user = entry.user else { return nil }
                var text = user.text.map { "\"\($0)\"" } ?? ""
                if let type = user.attachmentType { text += (text.isEmpty ? "" : " ") + "[\(type) attachment]" }
                if let payload = user.quickReplyPayload { text += " (quick reply \(payload))" }
                return line(entry.timestamp, "user", text)
            case .userPostback:
                guard let user = entry.user else { return nil }
                return line(entry.timestamp, "user", "[postback \"\(user.postbackTitle ?? "")\" \(user.postbackPayload ?? "")]")
            case .send:
                guard let sent = entry.sent, sent.senderAction == nil else { return nil }
                var text = sent.text.map { "\"\($0)\"" } ?? "[\(sent.attachmentType ?? "attachment")]"
                let replies = sent.quickReplies.compactMap(\.title)
                if !replies.isEmpty { text += " quick replies: " + replies.joined(separator: " | ") }
                return line(entry.timestamp, name(sent.appID), text)
            case .control, .refused:
                return nil
            }
        }
    }

    /// Thread control: one line per change of owner, request and refused call.
    public func controlTimeline(_ entries: [TimelineEntry]) -> [String] {
        entries.compactMap { entry in
            switch entry.kind {
            case .control:
                guard let control = entry.control else { return nil }
                let by = control.by.map(name) ?? "meta"
                let from = control.from.map(name) ?? "idle"
                let to = control.to.map(name) ?? "idle"
                var text: String
                switch control.action {
                case .pass: text = "\(by) passes control: \(from) -> \(to)"
                case .take: text = "\(by) takes control from \(from)"
                case .request: text = "\(by) requests control from \(from)"
                case .release: text = "\(by) releases control -> \(to)"
                case .extend: text = "\(by) extends control"
                case .claimBySend: text = "\(by) takes the idle thread by sending"
                case .expire: text = "control of \(from) lapses -> \(to)"
                }
                if let metadata = control.metadata, !metadata.isEmpty { text += "  metadata: \(metadata)" }
                return line(entry.timestamp, "control", text)
            case .refused:
                guard let refused = entry.refused else { return nil }
                let code = refused.subcode.map { "\(refused.code)/\($0)" } ?? "\(refused.code)"
                return line(entry.timestamp, "refused", "\(refused.appID.map(name) ?? "?") \(refused.endpoint): (\(code)) \(refused.message)")
            default:
                return nil
            }
        }
    }

    private func name(_ appID: String) -> String { appNames[appID] ?? "app \(appID)" }

    private func line(_ timestamp: Int64, _ who: String, _ text: String) -> String {
        let date = Date(timeIntervalSince1970: Double(timestamp) / 1000)
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss.SSS"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let padded = who.count < 10 ? who + String(repeating: " ", count: 10 - who.count) : who
        return "  \(formatter.string(from: date))  \(padded) \(text)"
    }
}
