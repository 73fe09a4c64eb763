import BatonCore
import BatonRuntime
import BatonSimulator
import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// Media a skill sends by URL is uploaded once per Page (Attachment Upload API, `is_reusable`),
/// its id kept in the store, and later sends go by that id; when Meta no longer knows the id,
/// the media is uploaded again and the send goes through. The simulator plays Meta; the skill
/// is a C library compiled from `Tests/Fixtures/skills/video.c` in the test run.
@Suite("Attachment reuse")
struct AttachmentReuseTests {
    static let bot = ConversationHarness.botAppID
    static let videoURL = "https://cdn.example.com/media/welcome.mp4"

    /// The bot's messages to `user`.
    func sent(_ harness: ConversationHarness, _ user: String) async -> [SentMessage] {
        await harness.simulator.sentMessages(page: harness.pageID, user: user, byApp: Self.bot)
    }

    /// Uploads through `POST /me/message_attachments` on the harness's Page.
    func uploads(_ harness: ConversationHarness) async -> [AttachmentUpload] {
        await harness.simulator.attachmentUploads(page: harness.pageID, source: .uploadAPI)
    }

    /// Checks that `user` got exactly one message: the video by `attachmentID`, with its quick reply.
    func expectOneVideo(_ harness: ConversationHarness, _ user: String, by attachmentID: String) async {
        let messages = await sent(harness, user)
        #expect(messages.count == 1, "\(user): \(messages)")
        guard let message = messages.first else { return }
        #expect(message.attachmentType == "video")
        #expect(message.attachmentID == attachmentID, "\(user) got \(message.attachmentPayload ?? "nothing")")
        #expect(message.attachmentURL == Self.videoURL)
        #expect(message.quickReplies.map(\.title) == ["Human"])
        #expect(message.quickReplies.map(\.payload) == ["HUMAN"])
    }

    @Test(.timeLimit(.minutes(3)))
    func theSameVideoToTwentyUsersIsUploadedOnceAndUploadedAgainWhenMetaForgetsIt() async throws {
        let folder = try TemporaryDirectory()
        let library = folder.file("libvideo.so")
        try compileC(TestPaths.skillFixtures.appendingPathComponent("video.c").path, to: library)
        var harness = try await ConversationHarness.start(skills: [.init(path: library)], logger: testLogger())
        let page = harness.pageID

        // Twenty users write at once: their threads run in parallel, and all want the video.
        // The upload's answer is held back, so the sends that need it arrive while it runs.
        await harness.simulator.setLateAnswer(.milliseconds(500), for: "message_attachments")
        var users: [String] = []
        for _ in 0..<20 { users.append(await harness.simulator.createUser(page: page)) }
        for user in users { _ = await harness.simulator.userSends(text: "show me", page: page, user: user) }
        try await harness.settle()
        await harness.simulator.setLateAnswer(nil, for: "message_attachments")

        let first = await uploads(harness)
        #expect(first.count == 1, "\(first)")
        let upload = try #require(first.first)
        #expect(upload.type == "video")
        #expect(upload.url == Self.videoURL)
        #expect(upload.isReusable)
        #expect(upload.appID == Self.bot)
        for user in users { await expectOneVideo(harness, user, by: upload.attachmentID) }
        #expect(await harness.simulator.attachmentUploads(page: page).first?.sendCount == 20)
        #expect(harness.server.metrics.value(.attachmentUploads, [.result: "done"]) == 1)
        #expect(harness.server.metrics.value(.attachmentReuses) == 19)

        // The id is kept on disk: after a restart, the next user gets the video by it, no upload.
        harness = try await harness.restarted()
        let afterRestart = await harness.simulator.createUser(page: page)
        try await harness.userSays("and me?", user: afterRestart)
        await expectOneVideo(harness, afterRestart, by: upload.attachmentID)
        #expect(await uploads(harness).count == 1)
        #expect(harness.server.metrics.value(.attachmentReuses) == 1)

        // Meta forgets the id (as when it expires): the next send is refused, the video is
        // uploaded once more, and the user gets it by the new id.
        #expect(await harness.simulator.forgetAttachments(page: page) == 1)
        let afterForget = await harness.simulator.createUser(page: page)
        try await harness.userSays("one more", user: afterForget)
        let second = await uploads(harness)
        #expect(second.count == 2, "\(second)")
        let reupload = try #require(second.last)
        #expect(reupload.attachmentID != upload.attachmentID)
        await expectOneVideo(harness, afterForget, by: reupload.attachmentID)
        let refused = await harness.simulator.graphCalls(page: page, user: afterForget).filter { !$0.accepted }
        #expect(refused.map(\.endpoint) == ["messages"])
        #expect(refused.first?.code == 100)

        // And the new id is the one kept: the next user needs no upload.
        let later = await harness.simulator.createUser(page: page)
        try await harness.userSays("last", user: later)
        await expectOneVideo(harness, later, by: reupload.attachmentID)
        #expect(await uploads(harness).count == 2)
        #expect(harness.server.metrics.value(.attachmentUploads, [.result: "done"]) == 1)
        #expect(harness.server.metrics.value(.attachmentUploads, [.result: "error"]) == 0)
        await harness.stop()
    }

    /// The upload is a Graph call like the others: refused for good, the reply becomes a dead
    /// letter and nothing is sent; refused for a while, it is retried and the reply goes out.
    @Test(.timeLimit(.minutes(3)))
    func aFailedUploadIsGivenUpOrRetriedLikeAnyGraphCall() async throws {
        let folder = try TemporaryDirectory()
        let library = folder.file("libvideo.so")
        try compileC(TestPaths.skillFixtures.appendingPathComponent("video.c").path, to: library)
        // Retries spread over seconds, so the test can lift the refusal while they go on.
        let harness = try await ConversationHarness.start(
            skills: [.init(path: library)],
            retry: RetryPolicy(maxAttempts: 60, baseDelay: .milliseconds(50), maxDelay: .milliseconds(100)),
            logger: testLogger())
        let (simulator, page) = (harness.simulator, harness.pageID)

        // Meta cannot fetch the URL (100/2018008): not retried, and the video is not sent by URL instead.
        await simulator.refuseCalls(
            to: "message_attachments", code: 100, subcode: 2_018_008, message: "(#100) Failed to fetch the file from the url.")
        let refusedUser = await simulator.createUser(page: page)
        try await harness.userSays("show me", user: refusedUser)
        #expect(await sent(harness, refusedUser).isEmpty)
        #expect(await simulator.graphCalls(page: page, user: refusedUser).filter { $0.endpoint == "messages" }.isEmpty)
        #expect(harness.server.metrics.value(.attachmentUploads, [.result: "error"]) == 1)
        #expect(harness.server.metrics.value(.outboxDeadTotal) == 1)

        // A transient failure (code 2) is retried until the upload passes.
        await simulator.refuseCalls(to: "message_attachments", code: 2, message: "(#2) An unexpected error has occurred.")
        let patientUser = await simulator.createUser(page: page)
        _ = await simulator.userSends(text: "show me", page: page, user: patientUser)
        try await waitUntil("a transient upload failure was retried") {
            await simulator.graphCalls(page: page).filter { $0.endpoint == "message_attachments" && $0.code == 2 }.count >= 2
        }
        await simulator.refuseCalls(to: "message_attachments", code: nil)
        try await harness.settle()
        let upload = try #require(await uploads(harness).first)
        await expectOneVideo(harness, patientUser, by: upload.attachmentID)
        #expect(await uploads(harness).count == 1)
        #expect(harness.server.metrics.value(.attachmentUploads, [.result: "done"]) == 1)
        #expect(harness.server.metrics.value(.outboxDeadTotal) == 1)
        await harness.stop()
    }
}
