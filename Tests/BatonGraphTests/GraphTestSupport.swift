import AsyncHTTPClient
import BatonCore
import BatonGraph
import BatonTestSupport
import Foundation

/// Reads the Messenger fixtures from `Tests/Fixtures/messenger`.
enum GraphFixtures {
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try MessengerFixtures.data(name))
    }

    static func json(_ name: String) throws -> [String: Any] {
        try MessengerFixtures.json(name)
    }

    /// `body` of a request-description fixture, as a comparable dictionary.
    static func requestBody(_ name: String) throws -> NSDictionary {
        (try json(name)["body"] as? NSDictionary) ?? NSDictionary()
    }

    /// `path` of a request-description fixture.
    static func requestPath(_ name: String) throws -> String {
        (try json(name)["path"] as? String) ?? ""
    }

    static var names: [String] { MessengerFixtures.names }
}

/// Test identities (the fixtures' ids) and a made-up token.
enum TestIDs {
    static let page: PageID = "109876543210987"
    static let user: UserID = "5012345678901234"
    static let user2: UserID = "4987654321098765"
    static let botApp: AppID = "712345678901234"
    static let agentApp: AppID = "823456789012345"
    static let token = "EAAJZCfakeZBpageZCtokenZAforZDtestsZC0123456789"
    static let secret = "7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b"
}

/// Runs `body` with a client pointed at a fresh fixture server, then stops the server.
@discardableResult
func withGraphServer<T>(
    timeout: Duration = .seconds(5),
    respond: @escaping @Sendable (RecordedRequest) -> CannedResponse,
    _ body: (GraphClient, GraphFixtureServer, LogRecords) async throws -> T
) async throws -> T {
    let server = try await GraphFixtureServer.start(respond)
    let logs = LogRecords()
    let logger = logs.logger("graph-test")
    let client = GraphClient(
        configuration: GraphConfiguration(baseURL: server.baseURL, appSecret: TestIDs.secret, timeout: timeout),
        httpClient: HTTPClient.shared, logger: logger)
    do {
        let result = try await body(client, server, logs)
        try await server.stop()
        return result
    } catch {
        try? await server.stop()
        throw error
    }
}

/// A canned answer with a fixture file's bytes.
func fixtureResponse(_ name: String, status: Int = 200, headers: [(String, String)] = []) -> CannedResponse {
    CannedResponse(status: status, headers: headers, body: (try? GraphFixtures.bytes(name)) ?? [])
}
