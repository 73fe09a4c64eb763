import BatonStore
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /metrics`: reads the gauges (the backlog from storage, paused Pages, open
/// connections), then renders the registry with swift-prometheus.
struct MetricsEndpoint: Sendable {
    let metrics: RuntimeMetrics
    let store: any BatonStore
    let connections: ConnectionLimit.Counts
    let throttle: PageThrottle?

    /// The `/metrics` answer.
    func response() async -> Response {
        await readGauges()
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
    }

    /// Sets every gauge; the storage ones leave `/metrics` while storage cannot be read.
    func readGauges() async {
        // The backlog, read from storage: what is recorded but not yet processed or sent.
        let storageGauges: [(RuntimeMetric, (StoreBacklog) -> Int)] = [
            (.inboxPending, { $0.inboxPending }), (.outboxPending, { $0.outboxPending }),
            (.outboxDead, { $0.outboxDead }), (.inboxQuarantined, { $0.inboxQuarantined }),
            (.escalationsPending, { $0.outboxDeferred }),
        ]
        if let backlog = try? await store.backlog() {
            for (metric, read) in storageGauges { metrics.set(metric, to: Double(read(backlog))) }
        } else {
            for (metric, _) in storageGauges { metrics.remove(metric) }
        }
        metrics.set(.pagesPaused, to: Double(throttle?.pausedPages ?? 0))
        metrics.set(.httpConnections, to: Double(connections.open))
        metrics.set(.httpConnectionsPeak, to: Double(connections.peak))
    }
}
