import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
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

/// A tiny HTTP/1.1 server on loopback that records requests and serves canned fixture bytes.
final class GraphFixtureServer: Sendable {
    private let channel: any Channel
    private let log: RequestLog
    /// The port it listens on at 127.0.0.1.
    let port: Int

    /// `http://127.0.0.1:<port>/v25.0`, the base URL a client should use.
    var baseURL: String { "http://127.0.0.1:\(port)/v25.0" }

    private init(channel: any Channel, log: RequestLog, port: Int) {
        self.channel = channel
        self.log = log
        self.port = port
    }

    /// Every request received so far.
    var requests: [RecordedRequest] { log.items.withLock { $0 } }

    /// Starts a server that answers every request with `respond(request)`.
    static func start(_ respond: @escaping @Sendable (RecordedRequest) -> CannedResponse) async throws
        -> GraphFixtureServer
    {
        let log = RequestLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FixtureHandler(log: log, respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return GraphFixtureServer(channel: channel, log: log, port: channel.localAddress?.port ?? 0)
    }

    /// Closes the listening socket.
    func stop() async throws {
        try await channel.close()
    }
}

/// The requests a server received, shared with its connection handlers.
private final class RequestLog: Sendable {
    let items = Mutex<[RecordedRequest]>([])
}

/// Collects one request, records it and writes the canned answer.
private final class FixtureHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: RequestLog
    private let respond: @Sendable (RecordedRequest) -> CannedResponse
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(log: RequestLog, respond: @escaping @Sendable (RecordedRequest) -> CannedResponse) {
        self.log = log
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body += Array(buffer.readableBytesView)
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for header in head.headers { headers[header.name.lowercased()] = header.value }
            let request = RecordedRequest(method: head.method.rawValue, uri: head.uri, headers: headers, body: body)
            log.items.withLock { $0.append(request) }
            let response = respond(request)
            if response.hang { return }
            var responseHeaders = HTTPHeaders(response.headers)
            responseHeaders.add(name: "Content-Type", value: "application/json")
            responseHeaders.add(name: "Content-Length", value: String(response.body.count))
            let status = HTTPResponseStatus(statusCode: response.status)
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: responseHeaders))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
