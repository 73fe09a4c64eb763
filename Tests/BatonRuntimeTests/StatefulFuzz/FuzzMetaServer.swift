import BatonTestSupport
import Foundation

/// The Meta model's Graph API on loopback: every request goes to
/// ``FuzzMetaModel/answer(method:path:query:body:)``.
final class FuzzMetaServer: Sendable {
    private let server: LoopbackServer

    private init(server: LoopbackServer) { self.server = server }

    /// The Graph base URL to give Baton.
    var baseURL: String { server.baseURL + "/v25.0" }

    static func start(_ model: FuzzMetaModel) async throws -> FuzzMetaServer {
        let server = try await LoopbackServer.start { request in
            let (status, body) = await model.answer(
                method: request.method, path: request.path, query: Self.query(request.query), body: request.body)
            return .init(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
        return FuzzMetaServer(server: server)
    }

    func stop() async {
        await server.stop()
    }

    /// The decoded query parameters (the last value of a repeated name wins).
    static func query(_ raw: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            result[parts[0]] = parts.count == 2 ? parts[1] : ""
        }
        return result
    }
}
