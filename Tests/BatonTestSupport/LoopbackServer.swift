import HTTPTypes
import Hummingbird
import Logging
import BatonSimulator
import NIOCore

/// A Hummingbird server on `127.0.0.1` and a port the kernel picks, answering every request
/// with a closure: the stand-in for whatever a test talks to (a bot's webhook, Meta's Graph API).
public final class LoopbackServer: Sendable {
    /// One request, body read whole.
    public struct Request: Sendable {
        /// `GET`, `POST`...
        public var method: String
        /// The path, without the query.
        public var path: String
        /// The raw (still percent-encoded) query, without `?`.
        public var query: String
        /// The request's headers, by lowercased name (the last of a repeated name wins).
        public var headers: [String: String]
        /// The body's bytes.
        public var body: [UInt8]
    }

    /// What the server answers.
    public struct Answer: Sendable {
        /// The status code.
        public var status: Int
        /// Response headers, in order.
        public var headers: [(String, String)]
        /// The body.
        public var body: [UInt8]

        /// - Parameters:
        ///   - status: the status code.
        ///   - headers: response headers.
        ///   - body: the body.
        public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    /// The port it listens on.
    public let port: Int
    private let server: GracefulServer

    private init(port: Int, server: GracefulServer) {
        self.port = port
        self.server = server
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts a server and returns once it listens.
    /// - Parameter answer: makes the answer to each request (requests may come concurrently).
    public static func start(_ answer: @escaping @Sendable (Request) async -> Answer) async throws -> LoopbackServer {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let answer = await answer(
                Request(
                    method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                    headers: headers, body: Array(buffer.readableBytesView)))
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
            }
            return Response(
                status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: testLogger("test.loopback"))
        let server = GracefulServer(app, logger: testLogger("test.loopback"))
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await server.stop()
            throw TestSupportError("the loopback server did not start")
        }
        return LoopbackServer(port: port, server: server)
    }

    /// Stops listening and waits until the server is down (see ``BatonSimulator/GracefulServer/stop(cancellingAfter:)``).
    public func stop() async {
        await server.stop()
    }
}
