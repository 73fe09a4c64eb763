/// The name of a label (a Prometheus dimension) of a ``RuntimeMetric``.
///
/// Every label the runtime uses is a constant here, so a call site cannot misspell one.
public struct MetricLabel: Hashable, Sendable, CustomStringConvertible {
    /// The label name as it appears in `/metrics`.
    public let name: String

    /// A label named `name`; use the constants below rather than new names at call sites.
    ///
    /// - Parameter name: a Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
    public init(_ name: String) { self.name = name }

    /// The label name.
    public var description: String { name }
}

extension MetricLabel {
    /// An HTTP status code, such as `200`.
    public static let status = MetricLabel("status")
    /// An event kind, such as `message`.
    public static let kind = MetricLabel("kind")
    /// Whether a webhook event was new (`true`) or a redelivery (`false`).
    public static let new = MetricLabel("new")
    /// Why something happened, such as an escalation or a pause.
    public static let reason = MetricLabel("reason")
    /// A Graph API action, such as `send_reply`.
    public static let action = MetricLabel("action")
    /// How a call ended, such as `done`, `ok` or `timeout`.
    public static let result = MetricLabel("result")
    /// A skill's name.
    public static let skill = MetricLabel("skill")
    /// A skill operation, such as `respond`.
    public static let op = MetricLabel("op")
    /// A Graph error code, or the error's classification when it has none.
    public static let code = MetricLabel("code")
    /// What proved a send arrived: `echo` or `conversation`.
    public static let by = MetricLabel("by")
}
