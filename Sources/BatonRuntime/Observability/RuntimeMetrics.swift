import BatonCore
import Foundation
import Synchronization

/// Counters and gauges of the runtime, rendered in Prometheus' text format at `/metrics`.
/// Small on purpose: a few dozen series, no dependency.
public final class RuntimeMetrics: Sendable {
    private struct Series: Hashable, Comparable {
        var name: String
        var labels: String
        static func < (lhs: Series, rhs: Series) -> Bool { (lhs.name, lhs.labels) < (rhs.name, rhs.labels) }
    }

    private let counters = Mutex<[Series: Double]>([:])
    private let help: [String: String] = [
        "baton_webhook_requests_total": "Webhook POSTs by HTTP status.",
        "baton_webhook_events_total": "Webhook events by kind and whether they were new.",
        "baton_events_processed_total": "Events processed by decision.",
        "baton_messages_outside_window_total": "User messages not answered because the 24-hour window had closed.",
        "baton_escalations_total": "Conversations passed to a human, by reason.",
        "baton_graph_calls_total": "Graph API calls by action and result.",
        "baton_skill_calls_total": "Skill calls by skill, operation and result.",
        "baton_outbox_dead_total": "Graph calls given up on (dead letters).",
        "baton_outbox_confirmed_total": "Sends from before a restart found to have arrived (by echo or conversation read), not repeated.",
        "baton_graph_retries_total": "Graph calls retried after a transient failure, by action and error code.",
        "baton_skill_crash_loops_total": "Messages whose skills kept killing the process, escalated instead.",
        "baton_events_quarantined_total": "Events set aside after their processing began 3 times without finishing, by kind.",
        "baton_escalations_failed_total": "Escalation passes Meta refused or that ran out of retries, by reason; each is retried later.",
        "baton_page_pauses_total": "Times a Page's Graph calls were paused because Meta throttled or restricted it, by reason.",
    ]

    public init() {}

    /// Adds `value` to a counter.
    public func increment(_ name: String, _ labels: [(String, String)] = [], by value: Double = 1) {
        let series = Series(name: name, labels: Self.render(labels))
        counters.withLock { $0[series, default: 0] += value }
    }

    /// The current value of a counter (for tests and the demo).
    public func value(_ name: String, _ labels: [(String, String)] = []) -> Double {
        counters.withLock { $0[Series(name: name, labels: Self.render(labels))] ?? 0 }
    }

    /// The sum of a counter over all its label values.
    public func total(_ name: String) -> Double {
        counters.withLock { $0.filter { $0.key.name == name }.values.reduce(0, +) }
    }

    /// Prometheus text exposition format 0.0.4: every counter, then `gauges` (name, help, value).
    public func render(gauges: [(name: String, help: String, value: Double)] = []) -> String {
        let snapshot = counters.withLock { $0 }
        var out = ""
        for gauge in gauges {
            out += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n"
            out += "\(gauge.name) \(String(Int64(clamping: gauge.value)))\n"
        }
        var lastName = ""
        for (series, value) in snapshot.sorted(by: { $0.key < $1.key }) {
            if series.name != lastName {
                if let text = help[series.name] { out += "# HELP \(series.name) \(text)\n" }
                out += "# TYPE \(series.name) counter\n"
                lastName = series.name
            }
            let number = value == value.rounded() ? String(Int64(clamping: value)) : String(value)
            out += "\(series.name)\(series.labels) \(number)\n"
        }
        return out
    }

    private static func render(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        let body = labels.map { name, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(name)=\"\(escaped)\""
        }
        return "{" + body.joined(separator: ",") + "}"
    }
}
