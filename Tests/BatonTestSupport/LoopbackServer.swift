import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

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
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    private init(port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.port = port
        self.task = task
        self.group = group
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
        // Stopped by a graceful shutdown, never by cancelling its task: a cancelled server can
        // drop a connection it accepted but had not handed over, and SwiftNIO then traps
        // ("Deinited NIOAsyncWriter without calling finish()", swift-nio#3481).
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: testLogger("test.loopback")))
        let task = Task { try await group.run() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            throw TestSupportError("the loopback server did not start")
        }
        return LoopbackServer(port: port, task: task, group: group)
    }

    /// Stops listening and waits until the server is down: gracefully, then, for requests still
    /// running after a second (a test's answer that never comes), by cancelling them. The listener
    /// is closed by then, so no connection can be caught half accepted.
    public func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        await withTaskGroup(of: Void.self) { waits in
            waits.addTask { _ = try? await task.value }
            waits.addTask {
                try? await Task.sleep(for: .seconds(1))
                task.cancel()
            }
            await waits.next()
            waits.cancelAll()
        }
        _ = try? await task.value
    }
}
