import BatonSimulator
import BatonTesting

extension ConversationHarness {
    /// A new user of the harness's page, with no messages yet.
    func newUser() async -> String {
        await simulator.createUser(page: pageID)
    }

    /// `user` sends `text` on the harness's page; returns once Baton has handled it.
    /// - Parameters:
    ///   - text: the message text.
    ///   - user: the sender's PSID.
    func userSays(_ text: String, user: String) async throws {
        _ = await simulator.userSends(text: text, page: pageID, user: user)
        try await settle()
    }

    /// `user` sends an attachment of `type` at `url` on the harness's page; returns once Baton has handled it.
    /// - Parameters:
    ///   - type: the attachment type (`image`, `file`, …).
    ///   - url: the attachment's URL.
    ///   - user: the sender's PSID.
    func userSendsAttachment(type: String, url: String, user: String) async throws {
        _ = await simulator.userSendsAttachment(type: type, url: url, page: pageID, user: user)
        try await settle()
    }
}
