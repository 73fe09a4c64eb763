import BatonCore
import Foundation
import Testing

@Suite("One reply type")
struct ReplyMessageTests {
    /// Outbox rows as the earlier `ReplyMessage` (optional text and attachmentJSON) stored them.
    @Test(arguments: [
        (#"{"send":{"_0":{"text":"one","quickReplies":[]},"purpose":"reply"}}"#, PlannedAction.send(.text("one"), purpose: "reply")),
        (
            #"{"send":{"_0":{"text":"hi","quickReplies":[{"title":"A","payload":"a"}]},"purpose":"fallback"}}"#,
            PlannedAction.send(ReplyMessage(body: .text("hi"), quickReplies: [QuickReply(title: "A", payload: "a")]), purpose: "fallback")
        ),
        (
            #"{"send":{"_0":{"attachmentJSON":"{\"type\":\"image\"}","quickReplies":[]},"purpose":"reply"}}"#,
            PlannedAction.send(ReplyMessage(body: .attachment(ReplyAttachment(json: #"{"type":"image"}"#)!)), purpose: "reply")
        ),
    ])
    func storedSendActionsStillDecode(stored: String, expected: PlannedAction) throws {
        let action = try JSONDecoder().decode(PlannedAction.self, from: Data(stored.utf8))
        #expect(action == expected)
        let again = try JSONDecoder().decode(PlannedAction.self, from: JSONEncoder().encode(action))
        #expect(again == action)
    }

    /// What the Graph builder refused before: a stored message with neither or both, or an
    /// attachment that is not an object, cannot become a ``ReplyMessage`` at all.
    @Test(arguments: [
        #"{"quickReplies":[]}"#,
        #"{"text":"a","attachmentJSON":"{\"type\":\"image\"}","quickReplies":[]}"#,
        #"{"attachmentJSON":"[1,2]","quickReplies":[]}"#,
        #"{"attachmentJSON":"{\"type\":","quickReplies":[]}"#,
    ])
    func unsendableStoredMessagesDoNotDecode(stored: String) {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(ReplyMessage.self, from: Data(stored.utf8))
        }
    }

    @Test func attachmentsAreCheckedOnceAndTrimmed() {
        #expect(ReplyAttachment(json: "  {\"type\":\"template\"}\n")?.json == "{\"type\":\"template\"}")
        #expect(ReplyAttachment(json: "{}") == nil)
        #expect(ReplyAttachment(json: "{\"type\":1}") == nil)
        #expect(ReplyAttachment(json: "[1,2]") == nil)
        #expect(ReplyAttachment(json: "") == nil)
    }

    @Test func textAndAttachmentAreReadFromTheBody() {
        let text = ReplyMessage.text("hello")
        #expect(text.text == "hello")
        #expect(text.attachment == nil)
        let attachment = ReplyMessage(body: .attachment(ReplyAttachment(json: #"{"type":"file"}"#)!))
        #expect(attachment.text == nil)
        #expect(attachment.attachment?.json == #"{"type":"file"}"#)
    }
}
