import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The Meta model's Graph API on loopback: a Hummingbird server that hands every request to
/// ``FuzzMetaModel/answer(method:path:query:body:)``.
final class FuzzMetaServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    /// The Graph base URL to give Baton.
    var baseURL: String { "http://127.0.0.1:\(port)/v25.0" }

    static func start(_ model: FuzzMetaModel) async throws -> FuzzMetaServer {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let (status, body) = await model.answer(
                method: request.method.rawValue, path: request.uri.path, query: Self.query(request.uri.query ?? ""),
                body: Array(buffer.readableBytesView))
            return Response(
                status: .init(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        var logger = Logger(label: "test.fuzz.meta")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task { try await app.run() }
        var iterator = stream.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return FuzzMetaServer(port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
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
