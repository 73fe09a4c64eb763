import BatonCore

extension GraphRequest {
    /// `{"recipient":{"id":PSID}}` as JSON text.
    private static func recipient(_ user: UserID) -> String {
        GraphJSON.object([("id", JSONString.quoted(user.rawValue))])
    }

    /// `POST /me/messages` with a message. The message is sendable by construction (text or a
    /// checked attachment), so nothing is refused here.
    /// - Parameters:
    ///   - message: The text or attachment and its quick replies.
    ///   - metadata: `message.metadata`, returned in the echo (the outbox's idempotency key), or nil.
    ///   - user: The recipient's PSID.
    ///   - messagingType: `RESPONSE`, `UPDATE` or `MESSAGE_TAG`.
    ///   - tag: The message tag, sent when not nil.
    static func send(
        _ message: ReplyMessage, metadata: String?, to user: UserID, messagingType: MessagingType, tag: String?
    ) -> GraphRequest {
        let quickReplies = message.quickReplies.map {
            GraphJSON.object([
                ("content_type", JSONString.quoted("text")), ("title", JSONString.quoted($0.title)),
                ("payload", JSONString.quoted($0.payload)),
            ])
        }
        let body = GraphJSON.object([
            ("text", message.text.map(JSONString.quoted)),
            ("attachment", message.attachment?.json),
            ("quick_replies", quickReplies.isEmpty ? nil : GraphJSON.array(quickReplies)),
            ("metadata", metadata.map(JSONString.quoted)),
        ])
        return GraphRequest(
            method: .post, path: "/me/messages", query: [],
            body: GraphJSON.object([
                ("recipient", recipient(user)),
                ("messaging_type", JSONString.quoted(messagingType.rawValue)),
                ("tag", tag.map(JSONString.quoted)),
                ("message", body),
            ]),
            operation: "send")
    }

    /// `POST /me/messages` with a `sender_action` alone.
    static func senderAction(_ action: SenderAction, to user: UserID) -> GraphRequest {
        GraphRequest(
            method: .post, path: "/me/messages", query: [],
            body: GraphJSON.object([
                ("recipient", recipient(user)), ("sender_action", JSONString.quoted(action.rawValue)),
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
                ("target_app_id", GraphJSON.appID(targetApp.rawValue)), ("metadata", metadata.map(JSONString.quoted)),
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
