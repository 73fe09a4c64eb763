import BatonCore
import Foundation

extension GraphRequest {
    /// `{"recipient":{"id":PSID}}` as JSON text.
    private static func recipient(_ user: UserID) -> String {
        GraphJSON.object([("id", GraphJSON.quote(user.rawValue))])
    }

    /// `POST /me/messages` with a message.
    /// - Throws: ``GraphError`` (`.invalidRequest`) when the message has neither text nor attachment,
    ///   both, or an attachment that is not a JSON object.
    static func send(
        _ message: OutgoingMessage, to user: UserID, messagingType: MessagingType, tag: String?
    ) throws(GraphError) -> GraphRequest {
        let attachment = message.attachmentJSON?.trimmingCharacters(in: .whitespacesAndNewlines)
        switch (message.text, attachment) {
        case (nil, nil):
            throw GraphError(classification: .invalidRequest, message: "message has neither text nor attachment")
        case (.some, .some):
            throw GraphError(classification: .invalidRequest, message: "message has both text and an attachment")
        default:
            break
        }
        if let attachment {
            let parsed = try? JSONSerialization.jsonObject(with: Data(attachment.utf8))
            guard parsed is [String: Any] else {
                throw GraphError(classification: .invalidRequest, message: "attachmentJSON is not a JSON object")
            }
        }
        let quickReplies = message.quickReplies.map {
            GraphJSON.object([
                ("content_type", GraphJSON.quote("text")), ("title", GraphJSON.quote($0.title)),
                ("payload", GraphJSON.quote($0.payload)),
            ])
        }
        let body = GraphJSON.object([
            ("text", message.text.map(GraphJSON.quote)),
            ("attachment", attachment),
            ("quick_replies", quickReplies.isEmpty ? nil : GraphJSON.array(quickReplies)),
            ("metadata", message.metadata.map(GraphJSON.quote)),
        ])
        return GraphRequest(
            method: .post, path: "/me/messages", query: [],
            body: GraphJSON.object([
                ("recipient", recipient(user)),
                ("messaging_type", GraphJSON.quote(messagingType.rawValue)),
                ("tag", tag.map(GraphJSON.quote)),
                ("message", body),
            ]),
            operation: "send")
    }

    /// `POST /me/messages` with a `sender_action` alone.
    static func senderAction(_ action: SenderAction, to user: UserID) -> GraphRequest {
        GraphRequest(
            method: .post, path: "/me/messages", query: [],
            body: GraphJSON.object([
                ("recipient", recipient(user)), ("sender_action", GraphJSON.quote(action.rawValue)),
            ]),
            operation: "sender_action")
    }

    /// `POST /me/<edge>` for the thread-control calls: recipient, then the extra members.
    static func threadControl(_ edge: String, user: UserID, members: [(String, String?)]) -> GraphRequest {
        GraphRequest(
            method: .post, path: "/me/\(edge)", query: [],
            body: GraphJSON.object([("recipient", recipient(user))] + members), operation: edge)
    }

    /// `POST /me/pass_thread_control`.
    static func passThreadControl(user: UserID, targetApp: AppID, metadata: String?) -> GraphRequest {
        threadControl(
            "pass_thread_control", user: user,
            members: [
                ("target_app_id", GraphJSON.appID(targetApp.rawValue)), ("metadata", metadata.map(GraphJSON.quote)),
            ])
    }

    /// `POST /me/extend_thread_control` with `duration` in whole seconds.
    static func extendThreadControl(user: UserID, duration: Duration) -> GraphRequest {
        let seconds = max(0, duration.components.seconds)
        return threadControl("extend_thread_control", user: user, members: [("duration", String(seconds))])
    }

    /// `GET /me/thread_owner?recipient=PSID`.
    static func threadOwner(user: UserID) -> GraphRequest {
        GraphRequest(
            method: .get, path: "/me/thread_owner", query: [("recipient", user.rawValue)], body: nil,
            operation: "thread_owner")
    }

    /// `GET /{page-id}/conversations?user_id=PSID&fields=messages{message,created_time}`.
    static func conversationMessages(user: UserID, page: PageID) -> GraphRequest {
        GraphRequest(
            method: .get, path: "/\(percentEncode(page.rawValue))/conversations",
            query: [("user_id", user.rawValue), ("fields", "messages{message,created_time}")], body: nil,
            operation: "conversations")
    }
}
