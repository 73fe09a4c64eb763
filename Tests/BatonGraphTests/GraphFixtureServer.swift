import BatonTestSupport
import Foundation
import Synchronization

/// A request the fixture server received.
struct RecordedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [String: String]
    var body: [UInt8]

    /// The path without the query.
    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }

    /// The raw (still percent-encoded) query string.
    var rawQuery: String {
        let parts = uri.split(separator: "?", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : ""
    }

    /// The decoded query parameters, in order.
    var query: [(name: String, value: String)] {
        rawQuery.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let decode = { (text: String) in text.removingPercentEncoding ?? text }
            return (decode(parts[0]), decode(parts.count == 2 ? parts[1] : ""))
        }
    }

    /// The value of one query parameter.
    func query(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// The body parsed as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body)) }
}

/// What the fixture server answers.
struct CannedResponse: Sendable {
    var status: Int = 200
    var headers: [(String, String)] = []
    var body: [UInt8] = Array("{\"success\":true}".utf8)
    /// Never answer (to test timeouts).
    var hang = false
}

/// A loopback server that records requests and serves canned fixture bytes.
final class GraphFixtureServer: Sendable {
    private let server: LoopbackServer
    private let log: RequestLog

    /// The port it listens on at 127.0.0.1.
    var port: Int { server.port }

    /// `http://127.0.0.1:<port>/v25.0`, the base URL a client should use.
    var baseURL: String { server.baseURL + "/v25.0" }

    private init(server: LoopbackServer, log: RequestLog) {
        self.server = server
        self.log = log
    }

    /// Every request received so far.
    var requests: [RecordedRequest] { log.items.withLock { $0 } }

    /// Starts a server that answers every request with `respond(request)`.
    static func start(_ respond: @escaping @Sendable (RecordedRequest) -> CannedResponse) async throws
        -> GraphFixtureServer
    {
        let log = RequestLog()
        let server = try await LoopbackServer.start { incoming in
            let uri = incoming.query.isEmpty ? incoming.path : incoming.path + "?" + incoming.query
            let request = RecordedRequest(method: incoming.method, uri: uri, headers: incoming.headers, body: incoming.body)
            log.items.withLock { $0.append(request) }
            let response = respond(request)
            if response.hang { await neverAnswer() }
            return LoopbackServer.Answer(
                status: response.status, headers: response.headers + [("Content-Type", "application/json")], body: response.body)
        }
        return GraphFixtureServer(server: server, log: log)
    }

    /// Waits until the server stops (its requests are cancelled then).
    private static func neverAnswer() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Never.self)
        for await _ in stream {}
        continuation.finish()
    }

    /// Stops the server.
    func stop() async throws {
        await server.stop()
    }
}

/// The requests a server received, shared with its request handler.
private final class RequestLog: Sendable {
    let items = Mutex<[RecordedRequest]>([])
}
