import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

extension MessengerSimulator {
    /// Binds the HTTP server (Graph API and `/control`) and starts webhook delivery.
    /// - Parameters:
    ///   - host: The address to bind.
    ///   - port: The port; 0 picks a free one (read it from `port`).
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws {
        guard server == nil, !isShutDown else { throw SimulatorError.alreadyStarted }
        let (portStream, portContinuation) = AsyncThrowingStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await self.respond(to: request)
        }
        // Requests cancelled at shutdown (answers held back past the grace) make Hummingbird log
        // errors; only critical server messages are worth showing.
        var serverLogger = logger
        serverLogger.logLevel = .critical
        let application = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: serverLogger
        )
        server = GracefulServer(application, logger: serverLogger) { error in
            if let error { portContinuation.finish(throwing: error) } else { portContinuation.finish() }
        }
        var iterator = portStream.makeAsyncIterator()
        guard let bound = try await iterator.next() else { throw SimulatorError.notRunning }
        boundPort = bound
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        httpClient = client
        startDeliveryWorkers(client: client)
        logger.info("messenger simulator listening", metadata: ["port": "\(bound)"])
    }

    /// Stops delivery and the server; pending webhooks are dropped and waiters fail.
    public func shutdown() async throws {
        guard !isShutDown else { return }
        isShutDown = true
        for task in deliveryTasks { task.cancel() }
        for (_, waiter) in queueWaiters { waiter.resume(returning: false) }
        queueWaiters = [:]
        for task in deliveryTasks { await task.value }
        deliveryTasks = []
        await server?.stop()
        server = nil
        try await httpClient?.shutdown()
        httpClient = nil
        for (_, waiter) in quietWaiters { waiter.resume(throwing: SimulatorError.notRunning) }
        quietWaiters = [:]
        for (_, waiter) in entryWaiters { waiter.continuation.resume(throwing: SimulatorError.notRunning) }
        entryWaiters = [:]
        eventsContinuation.finish()
        for (_, continuation) in subscribers { continuation.finish() }
        subscribers = [:]
    }

    /// Converts a Hummingbird request, dispatches it, and converts the answer.
    nonisolated func respond(to request: Request) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 4 << 20)
        let simulated = SimulatorRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            contentType: request.headers[.contentType],
            body: Array(buffer.readableBytesView)
        )
        let answer: SimulatorResponse
        if simulated.components.first == "control" {
            answer = await handleControl(simulated)
        } else {
            answer = await handleGraph(simulated)
        }
        var headers: HTTPFields = [.contentType: "application/json; charset=UTF-8"]
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        // A late answer: the change was applied, only the HTTP answer waits (the client may time out).
        if let delay = answer.delay { try? await Task.sleep(for: delay) }
        return Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }
}
