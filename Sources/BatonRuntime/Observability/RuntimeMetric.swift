/// One metric of the runtime, declared once: its name, help text, type and label names.
///
/// Call sites name a metric by its constant (``RuntimeMetrics/increment(_:_:by:)``), never by a
/// string; `/metrics` shows its `# HELP` and `# TYPE` lines from this declaration.
public struct RuntimeMetric: Hashable, Sendable {
    /// The Prometheus metric type.
    public enum Kind: String, Hashable, Sendable {
        /// Only goes up (until a restart).
        case counter
        /// Read at scrape time; goes up and down.
        case gauge
    }

    /// The metric name as it appears in `/metrics`.
    public let name: String
    /// The `# HELP` text.
    public let help: String
    /// The `# TYPE`.
    public let kind: Kind
    /// The label names, in the order `/metrics` shows them.
    public let labels: [MetricLabel]

    /// Declares a metric.
    ///
    /// - Parameters:
    ///   - name: the Prometheus name (`baton_…`, counters end in `_total`).
    ///   - help: one line saying what it counts.
    ///   - kind: counter or gauge.
    ///   - labels: its label names, in order.
    public init(_ name: String, help: String, kind: Kind, labels: [MetricLabel] = []) {
        (self.name, self.help, self.kind, self.labels) = (name, help, kind, labels)
    }
}

extension RuntimeMetric {
    /// Every metric of the runtime, counters then gauges.
    public static let all: [RuntimeMetric] = counters + gauges

    /// The metric called `name`, if the runtime declares one.
    ///
    /// - Parameter name: a metric name such as `baton_outbox_dead_total`.
    public static func named(_ name: String) -> RuntimeMetric? { byName[name] }

    private static let byName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
}
