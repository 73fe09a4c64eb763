import BatonSimulator
import BatonTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The Attachment Upload API and sends by `attachment_id`.
@Suite("Attachment Upload API")
struct AttachmentUploadTests {
    static let video = "https://cdn.example.com/welcome.mp4"

    static func upload(_ url: String = video, type: String = "video", reusable: Bool = true) -> JSONValue {
        .object([.init("message", .object([.init("attachment", .object([
            .init("type", .string(type)),
            .init("payload", .object([.init("url", .string(url)), .init("is_reusable", .bool(reusable))])),
        ]))]))])
    }

    static func send(_ psid: String, type: String = "video", payload: [JSONValue.Member]) -> JSONValue {
        .object([
            .init("recipient", .object([.init("id", .string(psid))])),
            .init("messaging_type", .string("RESPONSE")),
            .init("message", .object([.init("attachment", .object([.init("type", .string(type)), .init("payload", .object(payload))]))])),
        ])
    }

    static func byID(_ psid: String, _ id: String, type: String = "video") -> JSONValue {
        send(psid, type: type, payload: [.init("attachment_id", .string(id))])
    }

    /// A user of Page A who just wrote, so the bot (default app) may answer.
    private func user(_ h: Harness, page: String = IDs.pageA) async -> String {
        let psid = await h.simulator.createUser(page: page)
        await h.simulator.userSends(text: "show me", page: page, user: psid)
        return psid
    }

    @Test func uploadThenSendByIDIsDeliveredWithItsEcho() async throws {
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false) { h in
            // As a Python library does it: an old version prefix, the token in the query, a JSON body.
            let uploaded = try await h.graph("POST", "/v2.12/me/message_attachments", body: Self.upload())
            #expect(uploaded.status == 200)
            let id = try #require(uploaded.json["attachment_id"]?.string)
            #expect(!id.isEmpty && id.allSatisfy(\.isNumber))
            #expect(uploaded.json.keys == ["attachment_id"])

            let psid = await user(h)
            let sent = try await h.graph("POST", "/me/messages", body: Self.byID(psid, id))
            #expect(sent.status == 200 && sent.json["message_id"]?.string != nil)
            let message = try #require(await h.simulator.sentMessages(page: IDs.pageA, user: psid).last)
            #expect(message.attachmentType == "video" && message.attachmentID == id && message.attachmentURL == Self.video)
            // The echo shows the attachment like a URL attachment.
            let echo = try await h.lastMessagingEvent(for: IDs.bot)
            #expect(echo["message"]?["is_echo"] == .bool(true))
            let attachment = try #require(echo["message"]?["attachments"]?.array?.first)
            #expect(attachment["type"]?.string == "video" && attachment["payload"]?["url"]?.string == Self.video)

            let uploads = await h.simulator.uploads
            #expect(uploads.count == 1)
            let record = try #require(uploads.first)
            #expect(record.attachmentID == id && record.page == IDs.pageA && record.appID == IDs.bot)
            #expect(record.url == Self.video && record.isReusable && record.source == .uploadAPI && record.sendCount == 1)
            let listed = try await h.control("GET", "/control/attachments?page=\(IDs.pageA)")
            #expect(listed.json.array?.first?["attachment_id"]?.string == id)
            #expect(listed.json.array?.first?["is_reusable"] == .bool(true))
            #expect(listed.json.array?.first?["app_id"]?.string == IDs.bot)
            #expect(listed.json.array?.first?["url"]?.string == Self.video)
        }
    }

    @Test func theSimulatorNeverDeduplicatesUploads() async throws {
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false) { h in
            let first = try await h.graph("POST", "/me/message_attachments", body: Self.upload()).json["attachment_id"]?.string
            let second = try await h.graph("POST", "/me/message_attachments", body: Self.upload()).json["attachment_id"]?.string
            #expect(first != nil && second != nil && first != second)
            #expect(await h.simulator.attachmentUploads(page: IDs.pageA, app: IDs.bot).count == 2)
            // One id sent to three users is still one upload (well, two here: both made above).
            let id = try #require(first)
            for _ in 0..<3 {
                let psid = await user(h)
                #expect(try await h.graph("POST", "/me/messages", body: Self.byID(psid, id)).status == 200)
            }
            let uploads = await h.simulator.uploads
            #expect(uploads.count == 2)
            #expect(uploads.first?.sendCount == 3 && uploads.last?.sendCount == 0)
        }
    }

    @Test func forgottenUnknownAndForeignIDsAreRefused() async throws {
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false) { h in
            let psid = await user(h)
            let unknown = try await h.graph("POST", "/me/messages", body: Self.byID(psid, "1234567890123456"))
            #expect(unknown.status == 400 && unknown.errorCode == 100 && unknown.errorSubcode == 2018074)
            #expect(unknown.errorMessage?.contains("attachment") == true)

            let id = try #require(try await h.graph("POST", "/me/message_attachments", body: Self.upload()).json["attachment_id"]?.string)
            // Another app of the same Page, another Page, another type: not this id.
            let agentCall = try await h.graph("POST", "/me/messages", body: Self.byID(psid, id), app: IDs.agentApp)
            #expect(agentCall.errorSubcode == 2018074)
            let otherPageUser = await user(h, page: IDs.pageB)
            #expect(try await h.graph("POST", "/me/messages", body: Self.byID(otherPageUser, id), token: IDs.tokenB).errorSubcode == 2018074)
            #expect(try await h.graph("POST", "/me/messages", body: Self.byID(psid, id, type: "image")).errorSubcode == 2018074)
            #expect(try await h.graph("POST", "/me/messages", body: Self.byID(psid, id)).status == 200)

            // Meta forgets it: refused from now on, and the refusal is in the thread's timeline.
            #expect(await h.simulator.forgetAttachments() == 1)
            let forgotten = try await h.graph("POST", "/me/messages", body: Self.byID(psid, id))
            #expect(forgotten.errorCode == 100 && forgotten.errorSubcode == 2018074)
            #expect(await h.simulator.timeline(page: IDs.pageA, user: psid).last?.refused?.subcode == 2018074)
            #expect(await h.simulator.uploads.first?.forgotten == true)

            // The control API forgets too, and an upload again gives a new id that works.
            let again = try #require(try await h.graph("POST", "/me/message_attachments", body: Self.upload()).json["attachment_id"]?.string)
            #expect(again != id)
            let forget = try await h.control("POST", "/control/attachments/forget", body: #"{"attachment_ids":["\#(again)"]}"#)
            #expect(forget.json["forgotten"]?.int == 1)
            #expect(try await h.graph("POST", "/me/messages", body: Self.byID(psid, again)).errorSubcode == 2018074)

            // Ids expire after 90 days on the simulator clock.
            let fresh = try #require(try await h.graph("POST", "/me/message_attachments", body: Self.upload()).json["attachment_id"]?.string)
            await h.simulator.advanceClock(by: .seconds(91 * 86_400))
            await h.simulator.userSends(text: "still there?", page: IDs.pageA, user: psid)
            #expect(try await h.graph("POST", "/me/messages", body: Self.byID(psid, fresh)).errorSubcode == 2018074)
        }
    }

    @Test func aNonReusableIDGoesToOneRecipientOnly() async throws {
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false) { h in
            let id = try #require(try await h.graph("POST", "/me/message_attachments", body: Self.upload(reusable: false)).json["attachment_id"]?.string)
            let first = await user(h)
            let second = await user(h)
            #expect(try await h.graph("POST", "/me/messages", body: Self.byID(first, id)).status == 200)
            #expect(try await h.graph("POST", "/me/messages", body: Self.byID(first, id)).status == 200)
            #expect(try await h.graph("POST", "/me/messages", body: Self.byID(second, id)).errorSubcode == 2018074)
            #expect(await h.simulator.uploads.first?.firstRecipient == first)
        }
    }

    @Test func sendingAReusableURLSavesItAndAnswersItsID() async throws {
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false) { h in
            let psid = await user(h)
            let plain = try await h.graph("POST", "/me/messages", body: Self.send(psid, payload: [.init("url", .string(Self.video))]))
            #expect(plain.status == 200 && plain.json["attachment_id"] == nil)
            let saving = Self.send(psid, payload: [.init("url", .string(Self.video)), .init("is_reusable", .bool(true))])
            let saved = try await h.graph("POST", "/me/messages", body: saving)
            let id = try #require(saved.json["attachment_id"]?.string)
            #expect(saved.json.keys.sorted() == ["attachment_id", "message_id", "recipient_id"])
            #expect(await h.simulator.attachmentUploads(source: .sendAPI).map(\.attachmentID) == [id])
            #expect(await h.simulator.attachmentUploads(source: .uploadAPI).isEmpty)
            let other = await user(h)
            #expect(try await h.graph("POST", "/me/messages", body: Self.byID(other, id)).status == 200)
        }
    }

    @Test func badUploadsAreRefused() async throws {
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false) { h in
            #expect(try await h.graph("POST", "/me/message_attachments", body: Self.upload(type: "sticker")).errorCode == 100)
            #expect(try await h.graph("POST", "/me/message_attachments", body: Self.upload("")).errorCode == 100)
            let local = try await h.graph("POST", "/me/message_attachments", body: Self.upload("file:///etc/passwd"))
            #expect(local.errorCode == 100 && local.errorSubcode == 2018008)
            #expect(try await h.graph("POST", "/me/message_attachments").errorCode == 100)
            #expect(await h.simulator.uploads.isEmpty)
        }
    }

    @Test func throttlesRefusalsAndLateAnswersApplyToUploads() async throws {
        try await withHarness(defaultOwner: IDs.bot, agentSubscribed: false) { h in
            await h.simulator.throttlePage(IDs.pageA, minutes: 2)
            let throttled = try await h.graph("POST", "/me/message_attachments", body: Self.upload())
            #expect(throttled.errorCode == 80006 && throttled.headers.first(name: "X-Business-Use-Case-Usage") != nil)
            await h.simulator.liftThrottle(page: IDs.pageA)

            await h.simulator.refuseCalls(to: "message_attachments", code: 100, subcode: 2018047, message: "(#100) Upload attachment failure.")
            #expect(try await h.graph("POST", "/me/message_attachments", body: Self.upload()).errorSubcode == 2018047)
            await h.simulator.refuseCalls(to: "message_attachments", code: nil)

            await h.simulator.setTransientSendFailureRate(1)
            let transient = try await h.graph("POST", "/me/message_attachments", body: Self.upload())
            #expect(transient.json["error"]?["is_transient"] == .bool(true))
            await h.simulator.setTransientSendFailureRate(0)

            // A late answer: the upload is saved at once, the client times out before hearing its id.
            await h.simulator.setLateAnswer(.seconds(3), for: "message_attachments")
            await #expect(throws: (any Error).self) {
                _ = try await h.graph("POST", "/me/message_attachments", body: Self.upload(), timeout: .milliseconds(300))
            }
            try await waitUntil("the late upload was saved", timeout: .seconds(10)) { await h.simulator.uploads.count == 1 }
            await h.simulator.setLateAnswer(nil, for: "message_attachments")

            let calls = await h.simulator.graphCalls(page: IDs.pageA).filter { $0.endpoint == "message_attachments" }
            #expect(calls.map(\.accepted) == [false, false, false, true])
            #expect(calls.first?.throttled == true && calls.last?.answerDelayMilliseconds == 3000)
        }
    }
}
