import Metrics
import Prometheus

/// The counters and gauges of one runtime: swift-metrics handles backed by a swift-prometheus
/// registry of its own, rendered in Prometheus' text format at `/metrics`.
///
/// Each runtime owns one, so several ``BatonServer``s in a process (as in the tests) keep
/// apart; the global `MetricsSystem` is never bootstrapped. Metrics are named by their
/// ``RuntimeMetric`` declaration and labels by ``MetricLabel``, never by string literals.
public final class RuntimeMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: RuntimeMetricsFactory

    /// An empty registry, with every unlabeled counter shown at 0 from the start.
    public init() {
        registry = PrometheusCollectorRegistry()
        factory = RuntimeMetricsFactory(registry: registry)
        for metric in RuntimeMetric.counters where metric.labels.isEmpty {
            increment(metric, by: 0)
        }
    }

    /// Adds `amount` to a counter.
    ///
    /// - Parameters:
    ///   - metric: a counter's declaration; a gauge is left alone.
    ///   - labels: a value for each of the metric's labels (a missing one is empty, an
    ///     undeclared one ignored).
    ///   - amount: how much to add; nothing is added when it is not positive.
    public func increment(_ metric: RuntimeMetric, _ labels: [MetricLabel: String] = [:], by amount: Int = 1) {
        guard metric.kind == .counter else { return }
        let counter = CoreMetrics.Counter(
            label: metric.name, dimensions: Self.dimensions(metric, labels), factory: factory)
        if amount > 0 { counter.increment(by: amount) }
    }

    /// Sets a gauge.
    ///
    /// - Parameters:
    ///   - metric: a gauge's declaration; a counter is left alone.
    ///   - labels: a value for each of the metric's labels.
    ///   - value: the value `/metrics` shows until the next set.
    public func set(_ metric: RuntimeMetric, _ labels: [MetricLabel: String] = [:], to value: Double) {
        guard metric.kind == .gauge else { return }
        CoreMetrics.Gauge(label: metric.name, dimensions: Self.dimensions(metric, labels), factory: factory)
            .record(value)
    }

    /// Takes a gauge out of `/metrics` until it is set again (its value is unknown).
    ///
    /// - Parameters:
    ///   - metric: a gauge's declaration; a counter is left alone.
    ///   - labels: a value for each of the metric's labels.
    public func remove(_ metric: RuntimeMetric, _ labels: [MetricLabel: String] = [:]) {
        guard metric.kind == .gauge else { return }
        CoreMetrics.Gauge(label: metric.name, dimensions: Self.dimensions(metric, labels), factory: factory)
            .destroy()
    }

    /// The current value of one series, as `/metrics` shows it (0 when absent).
    ///
    /// - Parameters:
    ///   - name: the metric name, such as `baton_skill_calls_total`.
    ///   - labels: the series' labels as (name, value) pairs, in any order.
    public func value(_ name: String, _ labels: [(String, String)] = []) -> Double {
        let wanted = Dictionary(labels, uniquingKeysWith: { first, _ in first })
        return samples().filter { $0.name == name && $0.labels == wanted }.reduce(0) { $0 + $1.value }
    }

    /// The current value of one series of `metric` (0 when absent).
    ///
    /// - Parameters:
    ///   - metric: the metric's declaration.
    ///   - labels: a value for each of its labels.
    public func value(_ metric: RuntimeMetric, _ labels: [MetricLabel: String] = [:]) -> Double {
        value(metric.name, labels.map { ($0.key.name, $0.value) })
    }

    /// The sum of a metric over all its label values.
    ///
    /// - Parameter name: the metric name, such as `baton_graph_retries_total`.
    public func total(_ name: String) -> Double {
        samples().filter { $0.name == name }.reduce(0) { $0 + $1.value }
    }

    /// Prometheus text exposition format 0.0.4, with `# HELP` and `# TYPE` for every metric.
    public func render() -> String {
        registry.emitToString()
    }

    private func samples() -> [MetricSample] {
        MetricSample.parse(render())
    }

    /// The metric's label names, in their declared order, with the given values.
    private static func dimensions(_ metric: RuntimeMetric, _ labels: [MetricLabel: String]) -> [(String, String)] {
        metric.labels.map { ($0.name, labels[$0] ?? "") }
    }
}
