import Metrics
import Prometheus

/// A swift-metrics factory backed by one runtime's own `PrometheusCollectorRegistry`.
///
/// Unlike swift-prometheus' `PrometheusMetricsFactory`, it gives every metric the help text of
/// its ``RuntimeMetric`` declaration, so `/metrics` shows a `# HELP` line for each. It is passed
/// explicitly, never bootstrapped into the global `MetricsSystem`: several runtimes may share a
/// process (the tests run many), each with its own registry.
struct RuntimeMetricsFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry

    /// The name and help text for `label`: its declaration's, or a stand-in for an undeclared name.
    private func descriptor(_ label: String) -> MetricNameDescriptor {
        let name = label.isEmpty ? "baton_unnamed" : label
        let help = RuntimeMetric.named(name)?.help ?? "Baton metric \(name)."
        return MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(
            descriptor: descriptor(label), labels: dimensions,
            buckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000])
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(
            descriptor: descriptor(label), labels: dimensions,
            buckets: [
                .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
            ])
    }

    func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
        if let histogram = handler as? ValueHistogram { registry.unregisterValueHistogram(histogram) }
    }

    func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}
