import BatonCore
import BatonGraph
import BatonTestSupport
import Foundation
import Testing

/// The Attachment Upload API and sends by `attachment_id`, over loopback HTTP.
@Suite("Attachment upload through the Graph client")
struct GraphAttachmentUploadTests {
    static let video = ReplyMedia(kind: .video, url: "https://cdn.example.com/media/welcome.mp4")

    /// Uploads `video` and gives the error it must fail with; records an issue if it succeeds.
    func uploadError(_ client: GraphClient) async -> GraphError? {
        do throws(GraphError) {
            let id = try await client.uploadAttachment(Self.video, page: TestIDs.page, token: TestIDs.token)
            Issue.record("expected an error, got \(id)")
            return nil
        } catch {
            return error
        }
    }

    @Test func uploadPostsTheDocumentedBodyAndReadsTheId() async throws {
        try await withGraphServer(respond: { _ in fixtureResponse("graph-attachment-upload-response.json") }) {
            client, server, logs in
            let id = try await client.uploadAttachment(Self.video, page: TestIDs.page, token: TestIDs.token)
            #expect(id == "1857777774821032")
            let request = try #require(server.requests.first)
            #expect(server.requests.count == 1)
            #expect(request.method == "POST")
            #expect(request.path == (try GraphFixtures.requestPath("graph-attachment-upload-request.json")))
            #expect(request.headers["content-type"] == "application/json")
            #expect((request.json as? NSDictionary) == (try GraphFixtures.requestBody("graph-attachment-upload-request.json")))
            // is_reusable is the JSON literal true, not a string.
            #expect(String(decoding: request.body, as: UTF8.self).contains(#""is_reusable":true"#))
            expectAuthenticated(request)
            expectNoSecrets(logs.lines)
        }
    }

    @Test func eachMediaTypeIsUploadedUnderItsOwnType() async throws {
        try await withGraphServer(respond: { _ in fixtureResponse("graph-attachment-upload-response.json") }) {
            client, server, _ in
            for kind in ReplyMedia.Kind.allCases {
                _ = try await client.uploadAttachment(
                    ReplyMedia(kind: kind, url: "https://cdn.example.com/a \"b\""), page: TestIDs.page, token: TestIDs.token)
            }
            let attachments = server.requests.map {
                (($0.json as? [String: Any])?["message"] as? [String: Any])?["attachment"] as? [String: Any]
            }
            #expect(attachments.map { $0?["type"] as? String } == ["image", "video", "audio", "file"])
            #expect(attachments.allSatisfy { ($0?["payload"] as? [String: Any])?["url"] as? String == "https://cdn.example.com/a \"b\"" })
        }
    }

    @Test(arguments: [(#"{"attachment_id":1857777774821032}"#, "1857777774821032"), (#"{"attachment_id":"42"}"#, "42")])
    func theIdIsReadAsAStringOrANumber(body: String, expected: String) async throws {
        try await withGraphServer(respond: { _ in CannedResponse(body: Array(body.utf8)) }) { client, _, _ in
            let id = try await client.uploadAttachment(Self.video, page: TestIDs.page, token: TestIDs.token)
            #expect(id == AttachmentID(expected))
        }
    }

    @Test(arguments: [#"{"success":true}"#, #"{"attachment_id":""}"#, "not json"])
    func anAnswerWithoutAnIdIsAnError(body: String) async throws {
        try await withGraphServer(respond: { _ in CannedResponse(body: Array(body.utf8)) }) { client, _, _ in
            let error = try #require(await uploadError(client))
            #expect(error.classification == .unknown)
        }
    }

    @Test func aRefusedUploadIsClassifiedLikeAnyCall() async throws {
        try await withGraphServer(respond: { _ in
            fixtureResponse("graph-error-invalid-parameter-100.json", status: 400)
        }) { client, _, _ in
            let error = try #require(await uploadError(client))
            #expect(error.code == 100)
            #expect(error.classification == .invalidRequest)
            #expect(!error.isRetryable)
        }
        try await withGraphServer(respond: { _ in fixtureResponse("graph-error-temporary-send-failure-1200.json", status: 500) }) {
            client, _, _ in
            let error = try #require(await uploadError(client))
            #expect(error.isRetryable)
        }
    }

    @Test func aSendByAttachmentIdKeepsItsQuickReplies() async throws {
        try await withGraphServer(respond: { _ in fixtureResponse("send-success-response.json") }) { client, server, _ in
            let message = ReplyMessage(
                body: .attachment(ReplyAttachment(kind: .video, attachmentID: "1857777774821032")),
                quickReplies: [QuickReply(title: "Talk to a person", payload: "HANDOVER_TO_HUMAN")])
            _ = try await client.send(message, to: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
            let request = try #require(server.requests.first)
            #expect(request.path == (try GraphFixtures.requestPath("send-attachment-id-request.json")))
            #expect((request.json as? NSDictionary) == (try GraphFixtures.requestBody("send-attachment-id-request.json")))
        }
    }

    /// Meta refuses an unknown or expired attachment id with code 100; a missing user is also
    /// 100, but a new upload cannot help it.
    @Test func whichErrorsMeanTheAttachmentIdWasRefused() {
        #expect(GraphError(httpStatus: 400, code: 100, message: "(#100) Invalid attachment_id").refusesAttachmentID)
        #expect(GraphError(httpStatus: 400, code: 100, subcode: 2_018_047, message: "upload failure").refusesAttachmentID)
        #expect(!GraphError(httpStatus: 400, code: 100, subcode: 2_018_001, message: "No matching user found").refusesAttachmentID)
        #expect(!GraphError(httpStatus: 400, code: 10, subcode: 2_018_278, message: "outside window").refusesAttachmentID)
        #expect(!GraphError(httpStatus: 500, code: 1200, message: "temporary").refusesAttachmentID)
        #expect(!GraphError(classification: .network, message: "timed out").refusesAttachmentID)
    }
}
