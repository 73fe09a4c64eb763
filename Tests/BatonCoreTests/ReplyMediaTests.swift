import BatonCore
import Foundation
import Testing

/// Which attachments are media sent by URL (candidates for upload and reuse), and the
/// attachment that sends uploaded media by its id.
@Suite("Media sent by URL")
struct ReplyMediaTests {
    @Test(arguments: [
        (#"{"type":"video","payload":{"url":"https://x.example/v.mp4"}}"#, ReplyMedia(kind: .video, url: "https://x.example/v.mp4")),
        (#"{"type":"image","payload":{"url":"https://x.example/i.png","is_reusable":true}}"#, ReplyMedia(kind: .image, url: "https://x.example/i.png")),
        (#"{"type":"audio","payload":{"url":"https://x.example/a.mp3"}}"#, ReplyMedia(kind: .audio, url: "https://x.example/a.mp3")),
        (#"{"type":"file","payload":{"url":"https://x.example/f.pdf"}}"#, ReplyMedia(kind: .file, url: "https://x.example/f.pdf")),
    ])
    func mediaByURLIsACandidate(json: String, expected: ReplyMedia) throws {
        #expect(try #require(ReplyAttachment(json: json)).mediaByURL == expected)
    }

    @Test(arguments: [
        #"{"type":"template","payload":{"template_type":"button","url":"https://x.example"}}"#,
        #"{"type":"video","payload":{"attachment_id":"123"}}"#,
        #"{"type":"video","payload":{"attachment_id":"123","url":"https://x.example/v.mp4"}}"#,
        #"{"type":"video","payload":{"url":""}}"#,
        #"{"type":"video","payload":{"url":7}}"#,
        #"{"type":"video"}"#,
        #"{"type":"VIDEO","payload":{"url":"https://x.example/v.mp4"}}"#,
        #"{"type":"sticker","payload":{"url":"https://x.example/s.png"}}"#,
    ])
    func otherShapesAreSentAsTheyAre(json: String) throws {
        #expect(try #require(ReplyAttachment(json: json)).mediaByURL == nil)
    }

    @Test func theAttachmentByIdIsValidJSONWithItsTypeAndId() throws {
        let attachment = ReplyAttachment(kind: .file, attachmentID: "12\"34")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(attachment.json.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "file")
        #expect((object["payload"] as? [String: Any])?["attachment_id"] as? String == "12\"34")
        #expect(ReplyAttachment(json: attachment.json) == attachment)
        #expect(attachment.mediaByURL == nil)
    }
}
