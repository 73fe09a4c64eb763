import BatonGraph
import Testing

/// The expected reading of every `graph-error-*.json` fixture.
let errorFixtureTable:
    [String: (code: Int, subcode: Int?, classification: GraphError.Classification, retryable: Bool)] = [
        "graph-error-another-app-controls-thread.json": (10, 2_018_300, .anotherAppControlsThread, false),
        "graph-error-app-rate-limit-4.json": (4, nil, .rateLimited(retryAfter: nil), true),
        "graph-error-docs-example-190.json": (190, 1_234_567, .invalidToken, false),
        "graph-error-invalid-parameter-100.json": (100, nil, .invalidRequest, false),
        "graph-error-invalid-token-190.json": (190, 463, .invalidToken, false),
        "graph-error-no-matching-user-100.json": (100, 2_018_001, .invalidRequest, false),
        "graph-error-outside-allowed-window.json": (10, 2_018_278, .outsideWindow, false),
        "graph-error-page-rate-limit-32.json": (32, nil, .rateLimited(retryAfter: nil), true),
        "graph-error-permission-200.json": (200, 2_018_028, .permission, false),
        "graph-error-rate-limit-613.json": (613, nil, .rateLimited(retryAfter: nil), true),
        "graph-error-temporary-send-failure-1200.json": (1200, nil, .transient, true),
        "graph-error-unknown-2.json": (2, nil, .transient, true),
        "graph-error-user-unavailable-551.json": (551, 1_545_041, .userUnavailable, false),
    ]

@Suite("Graph errors")
struct GraphErrorTests {
    @Test func tableCoversEveryErrorFixture() {
        let files = GraphFixtures.names.filter { $0.hasPrefix("graph-error-") }
        #expect(files.count == 13)
        #expect(Set(files) == Set(errorFixtureTable.keys))
    }

    @Test(arguments: errorFixtureTable.keys.sorted())
    func fixtureDecodesAndClassifies(name: String) throws {
        let expected = try #require(errorFixtureTable[name])
        let fixture = try GraphFixtures.json(name)["error"] as? [String: Any]
        let error = GraphError.fromResponse(httpStatus: 400, headers: [], body: try GraphFixtures.bytes(name))
        #expect(error.httpStatus == 400)
        #expect(error.code == expected.code)
        #expect(error.subcode == expected.subcode)
        #expect(error.classification == expected.classification)
        #expect(error.isRetryable == expected.retryable)
        #expect(error.type == "OAuthException")
        #expect(error.fbtraceID == fixture?["fbtrace_id"] as? String)
        #expect(error.message == fixture?["message"] as? String)
        #expect(!error.description.contains("\n"))
        #expect(error.description.contains("\(expected.code)"))
    }

    @Test func retryAfterHeaderIsRead() throws {
        let error = GraphError.fromResponse(
            httpStatus: 400, headers: [(name: "Retry-After", value: "30")],
            body: try GraphFixtures.bytes("graph-error-rate-limit-613.json"))
        #expect(error.classification == .rateLimited(retryAfter: .seconds(30)))
        #expect(error.retryAfter == .seconds(30))
    }

    @Test func businessUseCaseUsageGivesMinutes() {
        let usage =
            "{\"109876543210987\":[{\"type\":\"messenger\",\"call_count\":100,\"total_cputime\":20,\"total_time\":30,\"estimated_time_to_regain_access\":5}]}"
        let body = Array(
            "{\"error\":{\"message\":\"(#80006) There have been too many messenger api calls to this Page account.\",\"type\":\"OAuthException\",\"code\":80006,\"fbtrace_id\":\"x\"}}"
                .utf8)
        let error = GraphError.fromResponse(
            httpStatus: 400, headers: [(name: "x-business-use-case-usage", value: usage)], body: body)
        #expect(error.classification == .rateLimited(retryAfter: .seconds(300)))
        #expect(GraphError.retryAfter(headers: [(name: "X-Business-Use-Case-Usage", value: "not json")]) == nil)
    }

    @Test(arguments: [
        (500, "<html>oops</html>", GraphError.Classification.transient),
        (503, "", .transient),
        (429, "", .rateLimited(retryAfter: nil)),
        (404, "Not Found", .unknown),
        (400, "{\"error\":{\"message\":\"x\",\"code\":1,\"is_transient\":true}}", .transient),
        (400, "{\"error\":{\"message\":\"x\",\"code\":1}}", .unknown),
        (400, "{\"error\":{\"message\":\"x\",\"code\":\"10\",\"error_subcode\":\"2018065\"}}", .outsideWindow),
        (400, "{\"error\":{\"message\":\"x\",\"code\":10}}", .permission),
    ])
    func statusAndEdgeCases(status: Int, body: String, classification: GraphError.Classification) {
        #expect(
            GraphError.fromResponse(httpStatus: status, headers: [], body: Array(body.utf8)).classification
                == classification)
    }

    @Test func tokensAreRedactedFromMessages() {
        let body =
            "{\"error\":{\"message\":\"Malformed access token \(TestIDs.token)\",\"type\":\"OAuthException\",\"code\":190}}"
        let error = GraphError.fromResponse(httpStatus: 400, headers: [], body: Array(body.utf8))
        #expect(!error.description.contains(TestIDs.token))
        #expect(!error.message.contains(TestIDs.token))
        #expect(error.description.contains("EAA<redacted>"))
        #expect(GraphError.redactingTokens(in: "EAAshort stays") == "EAAshort stays")
    }
}
