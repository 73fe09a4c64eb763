import BatonCore

/// What the Send API answered for a sent message.
public struct SendResult: Sendable, Equatable {
    /// `recipient_id`: the PSID, missing when the recipient was addressed another way.
    public var recipientID: UserID?
    /// `message_id`: the new message's `mid`.
    public var messageID: String

    /// Creates a result.
    /// - Parameters:
    ///   - recipientID: The recipient's PSID.
    ///   - messageID: The message id.
    public init(recipientID: UserID?, messageID: String) {
        self.recipientID = recipientID
        self.messageID = messageID
    }
}
