import BatonCore
import BatonStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The HTTP face of the runtime: Meta's verification handshake, signed webhook POSTs,
/// health and metrics.
public struct WebhookController: Sendable {
    let verifyToken: String
    let signature: WebhookSignature
    let maxBodyBytes: Int
    /// How long a body may take to arrive.
    let bodyTimeout: Duration
    /// Open connections, shown in `/metrics`.
    let connections: ConnectionLimit.Counts
    let store: any BatonStore
    let gate: IntakeGate
    let metrics: RuntimeMetrics
    let logger: Logger
    /// Called with the threads that got new events, once they are durable.
    let onRecorded: @Sendable (Set<ThreadKey>) -> Void
    /// Pages whose Graph calls are paused by a throttle, shown in `/metrics`.
    var throttle: PageThrottle? = nil

    /// Adds `GET/POST /webhook`, `GET /healthz` and `GET /metrics` for a server of one app.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        addWebhookRoutes(to: router, path: "/webhook")
        let endpoint = MetricsEndpoint(metrics: metrics, stores: [store], connections: connections, throttles: throttle.map { [$0] } ?? [])
        addServerRoutes(to: router, gate: gate, metrics: endpoint)
    }

    /// Adds `GET` (the verification handshake) and `POST` (signed events) at `path`.
    public func addWebhookRoutes(to router: Router<BasicRequestContext>, path: String) {
        router.get(RouterPath(path)) { request, _ in try verify(request) }
        router.group(RouterPath(path))
            .add(middleware: StatusCountMiddleware(metrics: metrics, metric: .webhookRequests))
            .post { request, _ in try await receive(request) }
    }

    /// `GET /webhook`: echoes `hub.challenge` when the mode and token match.
    func verify(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        guard query["hub.mode"].map(String.init) == "subscribe",
            let token = query["hub.verify_token"].map(String.init),
            WebhookSignature.constantTimeEquals(Array(token.utf8), Array(verifyToken.utf8))
        else {
            logger.notice("webhook verification refused")
            throw HTTPError(.forbidden, message: "verification failed")
        }
        let challenge = query["hub.challenge"].map(String.init) ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: challenge)))
    }

    /// `POST /webhook`: checks the signature, parses, records every event durably, then 200.
    func receive(_ request: Request) async throws -> Response {
        guard gate.isOpen else {
            throw HTTPError(.serviceUnavailable, message: "shutting down")
        }
        let buffer: ByteBuffer
        switch await readBody(request) {
        case .complete(let bytes):
            buffer = bytes
        case .tooLarge:
            logger.notice("webhook body over the limit", metadata: ["limit": "\(maxBodyBytes)"])
            throw HTTPError(.contentTooLarge, message: "body over \(maxBodyBytes) bytes")
        case .tooSlow:
            logger.notice("webhook body not received in time", metadata: ["timeout": "\(bodyTimeout)"])
            var headers = HTTPFields()
            headers[.connection] = "close"
            throw HTTPError(.requestTimeout, headers: headers, message: "body not received within \(bodyTimeout)")
        }
        let body = Array(buffer.readableBytesView)
        guard signature.isValid(header: request.headers[.xHubSignature256], body: body) else {
            logger.notice("webhook signature missing or wrong")
            throw HTTPError(.unauthorized, message: "missing or wrong X-Hub-Signature-256")
        }
        let batch: WebhookBatch
        do { batch = try WebhookParser.parse(body) } catch {
            logger.notice("webhook body refused", metadata: ["error": "\(error)"])
            throw HTTPError(.badRequest, message: error.description)
        }
        var events = batch.events.map(InboundEvent.init)
        // What cannot be handled (the dashboard's `changes` shape, malformed events) is
        // recorded too, so nothing that was answered 200 disappears without a trace.
        events += batch.ignored.map { Self.inboundRecord(of: $0) }
        let inserted: [Bool]
        do { inserted = try await store.recordInbound(events) } catch {
            logger.error("could not record webhook events; Meta will deliver them again", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, message: "storage unavailable")
        }
        var threads = Set<ThreadKey>()
        for (event, isNew) in zip(events, inserted) {
            metrics.increment(.webhookEvents, [.kind: event.kind.rawValue, .new: isNew ? "true" : "false"])
            if isNew { threads.insert(event.thread) }
        }
        logger.debug(
            "webhook recorded",
            metadata: ["events": "\(events.count)", "new": "\(inserted.filter { $0 }.count)", "ignored": "\(batch.ignored.count)"])
        if !threads.isEmpty { onRecorded(threads) }
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "EVENT_RECEIVED")))
    }
}

/// Adds `GET /healthz` (503 once the gate closes) and `GET /metrics`.
func addServerRoutes(to router: Router<BasicRequestContext>, gate: IntakeGate, metrics endpoint: MetricsEndpoint) {
    router.get("/healthz") { _, _ in
        gate.isOpen ? Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
            : Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "shutting down\n")))
    }
    router.get("/metrics") { _, _ in await endpoint.response() }
}

extension WebhookController {
    /// The inbox record of an item the parser set aside: keyed by its content, on a thread
    /// with no user, so it is processed (as ignored) and kept like every other event.
    static func inboundRecord(of item: IgnoredItem) -> InboundEvent {
        let digest = SHA256.hash(data: Array(((item.page?.rawValue ?? "") + "|" + item.rawJSON).utf8))
        let key = Hex.encode(digest.prefix(16))
        return InboundEvent(
            ignored: item, dedupeKey: "ignored:\(key)", timestamp: Int64(clamping: Date().timeIntervalSince1970 * 1000))
    }
}

extension HTTPField.Name {
    /// Meta's webhook signature header.
    static let xHubSignature256 = HTTPField.Name("X-Hub-Signature-256")!
}

extension WebhookController {
    enum BodyRead: Sendable {
        case complete(ByteBuffer)
        case tooLarge
        case tooSlow
    }

    /// Reads the whole body within ``bodyTimeout`` and ``maxBodyBytes``: a client that
    /// trickles its body cannot hold a connection (and its memory) for long.
    func readBody(_ request: Request) async -> BodyRead {
        let limit = maxBodyBytes
        let timeout = bodyTimeout
        return await withTaskGroup(of: BodyRead.self) { group in
            group.addTask {
                do { return .complete(try await request.body.collect(upTo: limit)) } catch { return .tooLarge }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .tooSlow
            }
            let first = await group.next() ?? .tooSlow
            group.cancelAll()
            return first
        }
    }
}
