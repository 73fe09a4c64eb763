import AsyncHTTPClient
import BatonCore
import BatonGraph
import BatonTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// Checks the parts every Graph call shares: token, proof, no secrets in logs.
func expectAuthenticated(_ request: RecordedRequest) {
    #expect(request.query("access_token") == TestIDs.token)
    #expect(
        request.query("appsecret_proof")
            == GraphClient.appSecretProof(accessToken: TestIDs.token, appSecret: TestIDs.secret))
    #expect(request.query.suffix(2).map(\.name) == ["access_token", "appsecret_proof"])
}

func expectNoSecrets(_ lines: [String]) {
    let proof = GraphClient.appSecretProof(accessToken: TestIDs.token, appSecret: TestIDs.secret)
    #expect(!lines.isEmpty)
    for line in lines {
        #expect(!line.contains(TestIDs.token))
        #expect(!line.contains(proof))
        #expect(!line.contains(TestIDs.secret))
    }
}

/// Sends "hi" and gives the error it must fail with; records an issue and gives nil if it succeeds.
func sendError(_ client: GraphClient) async -> GraphError? {
    do throws(GraphError) {
        _ = try await client.send(.text("hi"), to: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
        Issue.record("expected an error")
        return nil
    } catch {
        return error
    }
}

@Suite("Graph client over loopback HTTP")
struct GraphClientHTTPTests {
    @Test(arguments: SendCase.all)
    func sendPostsTheFixtureBody(testCase: SendCase) async throws {
        try await withGraphServer(respond: { _ in fixtureResponse("send-success-response.json") }) {
            client, server, logs in
            let result = try await client.send(
                testCase.message, metadata: testCase.metadata, to: testCase.user, page: TestIDs.page,
                token: TestIDs.token, messagingType: testCase.messagingType, tag: testCase.tag)
            #expect(result.recipientID == TestIDs.user)
            #expect(result.messageID.hasPrefix("m_Fu1cA6vp4QgD2aM7yW3xBhS9jK1lO5zU0iP"))
            let request = try #require(server.requests.first)
            #expect(server.requests.count == 1)
            #expect(request.method == "POST")
            #expect(request.path == (try GraphFixtures.requestPath(testCase.fixture)))
            #expect(request.headers["content-type"] == "application/json")
            #expect((request.json as? NSDictionary) == (try GraphFixtures.requestBody(testCase.fixture)))
            expectAuthenticated(request)
            expectNoSecrets(logs.lines)
        }
    }

    @Test func attachmentAndSenderActionsOverHTTP() async throws {
        try await withGraphServer(respond: { request in
            request.json.flatMap { ($0 as? [String: Any])?["sender_action"] } != nil
                ? fixtureResponse("send-sender-action-response.json") : fixtureResponse("send-success-response.json")
        }) { client, server, _ in
            _ = try await client.send(
                ReplyMessage(body: .attachment(try #require(ReplyAttachment(json: try buttonTemplateAttachment())))),
                to: TestIDs.user2, page: TestIDs.page, token: TestIDs.token)
            try await client.senderAction(.typingOn, to: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
            try await client.senderAction(.markSeen, to: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
            let bodies = server.requests.map { $0.json as? NSDictionary }
            #expect(bodies.count == 3)
            #expect(bodies[0] == (try GraphFixtures.requestBody("send-button-template-request.json")))
            #expect(bodies[1] == (try GraphFixtures.requestBody("send-sender-action-typing-on-request.json")))
            #expect(bodies[2] == (try GraphFixtures.requestBody("send-sender-action-mark-seen-request.json")))
        }
    }

    @Test func handoverCallsMatchFixtures() async throws {
        try await withGraphServer(respond: { _ in fixtureResponse("graph-success-response.json") }) {
            client, server, _ in
            let metadata = "{\"reason\":\"user_requested_human\",\"order\":\"48213\",\"lang\":\"fr\"}"
            try await client.passThreadControl(
                user: TestIDs.user, page: TestIDs.page, token: TestIDs.token, targetApp: TestIDs.agentApp,
                metadata: metadata)
            try await client.passThreadControl(
                user: TestIDs.user, page: TestIDs.page, token: TestIDs.token, targetApp: .pageInbox,
                metadata: "escalated: bot could not parse intent")
            try await client.takeThreadControl(
                user: TestIDs.user, page: TestIDs.page, token: TestIDs.token,
                metadata: "bot resuming after agent timeout")
            try await client.requestThreadControl(
                user: TestIDs.user, page: TestIDs.page, token: TestIDs.token, metadata: "agent app wants this thread")
            try await client.releaseThreadControl(
                user: TestIDs.user, page: TestIDs.page, token: TestIDs.token, metadata: "conversation complete")
            try await client.extendThreadControl(
                user: TestIDs.user, page: TestIDs.page, token: TestIDs.token, duration: .seconds(86_400))
            try await client.releaseThreadControl(
                user: TestIDs.user, page: TestIDs.page, token: TestIDs.token, metadata: nil)
            let fixtures = [
                "graph-pass-thread-control-request.json", "graph-pass-thread-control-to-page-inbox-request.json",
                "graph-take-thread-control-request.json", "graph-request-thread-control-request.json",
                "graph-release-thread-control-request.json", "graph-extend-thread-control-request.json",
            ]
            let requests = server.requests
            try #require(requests.count == fixtures.count + 1)
            for (request, fixture) in zip(requests, fixtures) {
                #expect(request.method == "POST")
                let edge = try GraphFixtures.requestPath(fixture).split(separator: "/").last.map(String.init) ?? ""
                #expect(request.path == "/v25.0/me/\(edge)")
                #expect((request.json as? NSDictionary) == (try GraphFixtures.requestBody(fixture)), "\(fixture)")
                expectAuthenticated(request)
            }
            #expect((requests.last?.json as? NSDictionary) == ["recipient": ["id": "5012345678901234"]] as NSDictionary)
        }
    }

    @Test func takeControlAcceptsBothResponseShapes() async throws {
        let bodies = [
            "{\"success\":true}",
            "{\"data\":[{\"thread_owner\":{\"app_id\":\"712345678901234\",\"expiration\":1730548800}}]}",
            "{\"success\":\"true\"}",
        ]
        for body in bodies {
            try await withGraphServer(respond: { _ in CannedResponse(body: Array(body.utf8)) }) { client, _, _ in
                try await client.takeThreadControl(
                    user: TestIDs.user, page: TestIDs.page, token: TestIDs.token, metadata: nil)
            }
        }
        try await withGraphServer(respond: { _ in CannedResponse(body: Array("{\"success\":false}".utf8)) }) {
            client, _, _ in
            await #expect(throws: GraphError.self) {
                try await client.takeThreadControl(
                    user: TestIDs.user, page: TestIDs.page, token: TestIDs.token, metadata: nil)
            }
        }
    }

    @Test func threadOwnerShapes() async throws {
        let cases: [(String, ThreadOwnerInfo?)] = [
            (
                String(decoding: try GraphFixtures.bytes("graph-thread-owner-response.json"), as: UTF8.self),
                ThreadOwnerInfo(appID: TestIDs.botApp, expiration: 1_730_548_800)
            ),
            (String(decoding: try GraphFixtures.bytes("graph-thread-owner-response-empty.json"), as: UTF8.self), nil),
            ("{\"data\":[{\"thread_owner\":{\"app_id\":712345678901234}}]}", ThreadOwnerInfo(appID: TestIDs.botApp)),
            ("{\"thread_owner\":{\"app_id\":\"1919718111377911\"}}", ThreadOwnerInfo(appID: "1919718111377911")),
            ("{\"data\":[{\"thread_owner\":{\"expiration\":1730548800}}]}", nil),
            ("{}", nil),
        ]
        for (body, expected) in cases {
            try await withGraphServer(respond: { _ in CannedResponse(body: Array(body.utf8)) }) { client, server, _ in
                let owner = try await client.threadOwner(user: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
                #expect(owner == expected, "\(body)")
                let request = try #require(server.requests.first)
                #expect(request.method == "GET")
                #expect(request.path == (try GraphFixtures.requestPath("graph-thread-owner-request.json")))
                #expect(request.query("recipient") == TestIDs.user.rawValue)
                expectAuthenticated(request)
            }
        }
    }

    @Test func conversationMessagesAreListed() async throws {
        let body = """
            {"data":[{"messages":{"data":[\
            {"message":"Sure - can you share your order number?","created_time":"2024-11-01T12:00:00+0000","id":"m_2"},\
            {"message":"Hi, I need help","created_time":"2024-11-01T11:59:59+0000","id":"m_1"},\
            {"created_time":"2024-11-01T11:59:58+0000","id":"m_0"}],\
            "paging":{"cursors":{"before":"a","after":"b"}}},"id":"t_1"}]}
            """
        try await withGraphServer(respond: { _ in CannedResponse(body: Array(body.utf8)) }) { client, server, _ in
            let messages = try await client.conversationMessages(
                user: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
            #expect(
                messages == [
                    ConversationMessage(
                        id: "m_2", text: "Sure - can you share your order number?",
                        createdTime: "2024-11-01T12:00:00+0000"),
                    ConversationMessage(id: "m_1", text: "Hi, I need help", createdTime: "2024-11-01T11:59:59+0000"),
                    ConversationMessage(id: "m_0", text: nil, createdTime: "2024-11-01T11:59:58+0000"),
                ])
            let request = try #require(server.requests.first)
            #expect(request.path == "/v25.0/109876543210987/conversations")
            #expect(request.query("user_id") == TestIDs.user.rawValue)
            #expect(request.query("fields") == "messages{message,created_time}")
            #expect(request.rawQuery.contains("fields=messages%7Bmessage%2Ccreated_time%7D"))
            expectAuthenticated(request)
        }
    }

    @Test(arguments: errorFixtureTable.keys.sorted())
    func errorFixturesOverHTTP(name: String) async throws {
        let expected = try #require(errorFixtureTable[name])
        let status = expected.classification == .transient ? 500 : 400
        try await withGraphServer(respond: { _ in fixtureResponse(name, status: status) }) { client, _, logs in
            do throws(GraphError) {
                _ = try await client.send(
                    .text("hi"), to: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
                Issue.record("send succeeded on \(name)")
            } catch {
                #expect(error.httpStatus == status)
                #expect(error.code == expected.code)
                #expect(error.subcode == expected.subcode)
                #expect(error.classification == expected.classification)
                #expect(error.isRetryable == expected.retryable)
            }
            expectNoSecrets(logs.lines)
        }
    }

    @Test func rateLimitHeadersReachTheError() async throws {
        try await withGraphServer(respond: { _ in
            fixtureResponse("graph-error-app-rate-limit-4.json", status: 400, headers: [("Retry-After", "42")])
        }) { client, _, _ in
            do throws(GraphError) {
                try await client.senderAction(.typingOn, to: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
                Issue.record("expected a rate-limit error")
            } catch {
                #expect(error.classification == .rateLimited(retryAfter: .seconds(42)))
            }
        }
    }

    @Test func serverErrorWithoutEnvelopeIsTransient() async throws {
        try await withGraphServer(respond: { _ in
            CannedResponse(status: 502, body: Array("<html>bad gateway</html>".utf8))
        }) { client, _, _ in
            do throws(GraphError) {
                _ = try await client.threadOwner(user: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
                Issue.record("expected an error")
            } catch {
                #expect(error.classification == .transient)
                #expect(error.httpStatus == 502)
                #expect(error.code == nil)
            }
        }
    }

    @Test func tokenQuotedByGraphIsRedacted() async throws {
        let body =
            "{\"error\":{\"message\":\"Malformed access token \(TestIDs.token)\",\"type\":\"OAuthException\",\"code\":190,\"fbtrace_id\":\"T\"}}"
        try await withGraphServer(respond: { _ in CannedResponse(status: 400, body: Array(body.utf8)) }) {
            client, _, logs in
            if let error = await sendError(client) {
                #expect(error.classification == .invalidToken)
                #expect(!error.description.contains(TestIDs.token))
                #expect(!"\(error)".contains(TestIDs.token))
            }
            expectNoSecrets(logs.lines)
        }
    }

    @Test func unexpectedSuccessBodyIsAnError() async throws {
        try await withGraphServer(respond: { _ in CannedResponse(body: Array("{\"recipient_id\":\"1\"}".utf8)) }) {
            client, _, _ in
            #expect(await sendError(client)?.classification == .unknown)
        }
    }

    @Test func hangingServerTimesOut() async throws {
        // The error says "timed out": the client's own deadline ended the call, not the
        // server. (No wall-clock bound: the machine is shared and noisy.)
        try await withGraphServer(timeout: .seconds(1), respond: { _ in CannedResponse(hang: true) }) {
            client, server, logs in
            do throws(GraphError) {
                try await client.takeThreadControl(
                    user: TestIDs.user, page: TestIDs.page, token: TestIDs.token, metadata: nil)
                Issue.record("expected a timeout")
            } catch {
                #expect(error.classification == .network)
                #expect(error.isRetryable)
                #expect(error.message.contains("timed out"))
            }
            // Under load the request may still be on its way when the client gives up.
            try await waitUntil("the server saw the request", timeout: .seconds(10)) { server.requests.count >= 1 }
            #expect(server.requests.count == 1)
            expectNoSecrets(logs.lines)
        }
    }

    @Test func refusedConnectionIsANetworkError() async throws {
        let server = try await GraphFixtureServer.start { _ in CannedResponse() }
        let baseURL = server.baseURL
        try await server.stop()
        let client = GraphClient(
            configuration: GraphConfiguration(baseURL: baseURL, appSecret: TestIDs.secret, timeout: .seconds(1)),
            httpClient: HTTPClient.shared, logger: .init(label: "graph-test"))
        do throws(GraphError) {
            _ = try await client.threadOwner(user: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
            Issue.record("expected a network error")
        } catch {
            #expect(error.classification == .network)
            #expect(error.isRetryable)
            #expect(!error.description.contains(TestIDs.token))
        }
    }
}
