import BatonStore
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /metrics`: reads the gauges (the backlog from storage, paused Pages, open
/// connections), then renders the registry with swift-prometheus.
struct MetricsEndpoint: Sendable {
    let metrics: RuntimeMetrics
    /// Every hosted app's store: the backlog gauges add them up.
    let stores: [any BatonStore]
    let connections: ConnectionLimit.Counts
    /// Every hosted app's Page throttle.
    let throttles: [PageThrottle]

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
        var totals = [Int](repeating: 0, count: storageGauges.count)
        var readable = true
        for store in stores {
            guard let backlog = try? await store.backlog() else {
                readable = false
                break
            }
            for (index, (_, read)) in storageGauges.enumerated() { totals[index] += read(backlog) }
        }
        for (index, (metric, _)) in storageGauges.enumerated() {
            if readable { metrics.set(metric, to: Double(totals[index])) } else { metrics.remove(metric) }
        }
        metrics.set(.pagesPaused, to: Double(throttles.reduce(0) { $0 + $1.pausedPages }))
        metrics.set(.httpConnections, to: Double(connections.open))
        metrics.set(.httpConnectionsPeak, to: Double(connections.peak))
    }
}
