import BatonCore
import BatonGraph
import Testing

/// How the client reads Conversation Routing's answers and Meta's newer errors.
@Suite("Conversation Routing answers")
struct ConversationRoutingReadingTests {
    @Test func threadOwnerAnswersAreReadPerCaller() async throws {
        let cases: [(String, ThreadOwnerAnswer)] = [
            (#"{"data":[{"thread_owner":{"app_id":"712345678901234","expiration":1730548800}}]}"#, .app(TestIDs.botApp, expiration: 1_730_548_800)),
            // Someone else owns it: Meta tells the other apps the expiration alone.
            (#"{"data":[{"thread_owner":{"expiration":1730548800}}]}"#, .anotherApp(expiration: 1_730_548_800)),
            (#"{"data":[{"thread_owner":{"expiration":"1730548800"}}]}"#, .anotherApp(expiration: 1_730_548_800)),
            (#"{"data":[]}"#, .idle),
            ("{}", .idle),
        ]
        for (body, expected) in cases {
            try await withGraphServer(respond: { _ in CannedResponse(body: Array(body.utf8)) }) { client, _, _ in
                let answer = try await client.threadOwnerAnswer(user: TestIDs.user, page: TestIDs.page, token: TestIDs.token)
                #expect(answer == expected, "\(body)")
            }
        }
    }

    @Test func expirationsConvertWithoutTrapping() {
        #expect(ThreadOwnerAnswer.app(TestIDs.botApp, expiration: .max).lookup == .app(TestIDs.botApp, expiresAt: .max))
        #expect(ThreadOwnerAnswer.anotherApp(expiration: .min).lookup == .anotherApp(expiresAt: .min))
        #expect(ThreadOwnerAnswer.anotherApp(expiration: 2).lookup == .anotherApp(expiresAt: 2_000))
    }

    @Test func aTemporarilyRestrictedPageIsClassifiedAndRetryable() {
        let body = #"{"error":{"message":"(#10) Page temporarily restricted","type":"OAuthException","code":10,"error_subcode":1893063,"fbtrace_id":"A"}}"#
        let error = GraphError.fromResponse(httpStatus: 400, headers: [], body: Array(body.utf8))
        #expect(error.classification == .pageRestricted)
        #expect(error.isRetryable)
    }

    @Test func businessUseCaseUsageGivesMinutesAndExtremesDoNotTrap() {
        let usage = #"{"109876543210987":[{"type":"messenger","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":7}]}"#
        #expect(GraphError.retryAfter(headers: [("X-Business-Use-Case-Usage", usage)]) == .seconds(420))
        let huge = #"{"1":[{"type":"messenger","estimated_time_to_regain_access":9223372036854775807}]}"#
        #expect(GraphError.retryAfter(headers: [("x-business-use-case-usage", huge)]) == .seconds(86_400))
        #expect(GraphError.retryAfter(headers: [("Retry-After", "9223372036854775807")]) == .seconds(86_400))
        #expect(GraphError.retryAfter(headers: [("Retry-After", "-5")]) == nil)
    }
}
