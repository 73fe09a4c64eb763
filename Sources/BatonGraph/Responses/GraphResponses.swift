import BatonCore
import Foundation

/// Decoders for the success bodies of the calls the client makes.
enum GraphResponses {
    private struct SendBody: Decodable {
        var recipient_id: UserID?
        var message_id: String?
    }

    private struct SuccessBody: Decodable {
        var success: GraphFlexibleBool?
    }

    private struct OwnerBody: Decodable {
        var app_id: AppID?
        var expiration: GraphFlexibleInt?
    }

    private struct OwnerItem: Decodable {
        var thread_owner: OwnerBody?
    }

    private struct ThreadOwnerBody: Decodable {
        var data: [OwnerItem]?
        var thread_owner: OwnerBody?
    }

    private struct MessageBody: Decodable {
        var id: String?
        var message: String?
        var created_time: String?
    }

    private struct MessagePage: Decodable {
        var data: [MessageBody]?
    }

    private struct ConversationBody: Decodable {
        var messages: MessagePage?
    }

    private struct ConversationsBody: Decodable {
        var data: [ConversationBody]?
    }

    /// An error for a 2xx body that does not have the expected shape.
    static func unexpected(_ what: String, status: Int) -> GraphError {
        GraphError(classification: .unknown, message: "unexpected Graph response: \(what)", httpStatus: status)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], status: Int) throws(GraphError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw unexpected("the body is not the expected JSON object", status: status)
        }
    }

    /// `{"recipient_id","message_id"}`.
    static func sendResult(_ body: [UInt8], status: Int) throws(GraphError) -> SendResult {
        let decoded = try decode(SendBody.self, body, status: status)
        guard let messageID = decoded.message_id, !messageID.isEmpty else {
            throw unexpected("no message_id", status: status)
        }
        return SendResult(recipientID: decoded.recipient_id, messageID: messageID)
    }

    /// Accepts `{"success":true}`, the `data[].thread_owner` shape some take-control answers use,
    /// and any other JSON object except one with `success: false`.
    static func success(_ body: [UInt8], status: Int) throws(GraphError) {
        let decoded = try decode(SuccessBody.self, body, status: status)
        if decoded.success?.value == false { throw unexpected("success is false", status: status) }
    }

    /// `{"data":[{"thread_owner":{"app_id","expiration"}}]}` or `{"thread_owner":{...}}`;
    /// nil for `{"data":[]}`, `{}` or an owner without `app_id`.
    static func threadOwner(_ body: [UInt8], status: Int) throws(GraphError) -> ThreadOwnerInfo? {
        guard case .app(let appID, let expiration) = try threadOwnerAnswer(body, status: status) else { return nil }
        return ThreadOwnerInfo(appID: appID, expiration: expiration)
    }

    /// The answer read by Conversation Routing's rules: `app_id` names the owner (the owner
    /// and the default app are told); `expiration` alone means another app owns the thread;
    /// an empty list (or object) means the thread is idle.
    static func threadOwnerAnswer(_ body: [UInt8], status: Int) throws(GraphError) -> ThreadOwnerAnswer {
        let decoded = try decode(ThreadOwnerBody.self, body, status: status)
        guard let owner = decoded.thread_owner ?? decoded.data?.lazy.compactMap(\.thread_owner).first else { return .idle }
        if let appID = owner.app_id, !appID.rawValue.isEmpty {
            return .app(appID, expiration: owner.expiration?.value)
        }
        if let expiration = owner.expiration?.value { return .anotherApp(expiration: expiration) }
        return .idle
    }

    /// Every message of every conversation in `data[].messages.data[]` (first page only).
    static func conversationMessages(_ body: [UInt8], status: Int) throws(GraphError) -> [ConversationMessage] {
        let decoded = try decode(ConversationsBody.self, body, status: status)
        return (decoded.data ?? []).flatMap { $0.messages?.data ?? [] }.compactMap { message in
            guard let id = message.id else { return nil }
            return ConversationMessage(id: id, text: message.message, createdTime: message.created_time ?? "")
        }
    }
}
