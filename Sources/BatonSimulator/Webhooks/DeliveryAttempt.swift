/// One attempt to POST a webhook body to an app (kept for tests and `GET /control/deliveries`).
public struct DeliveryAttempt: Sendable, Hashable, Codable {
    /// The receiving app.
    public var appID: String
    /// 1 for the first try of a body, 2 for its first retry, and so on.
    public var attempt: Int
    /// Whether this is a knob-made duplicate of an acknowledged body.
    public var isDuplicate: Bool
    /// Whether the body was held back or redelivered late (knobs `holdBackRate`, `lateRedeliveryRate`).
    public var isLate: Bool = false
    /// Number of events (entries) in the body.
    public var eventCount: Int
    /// The HTTP status the app answered, or `nil` when the call failed or timed out.
    public var status: Int?
    /// The transport error, if any.
    public var error: String?
    /// The exact body sent.
    public var body: String

    private enum CodingKeys: String, CodingKey {
        case attempt, status, error, body
        case appID = "app_id"
        case isDuplicate = "is_duplicate"
        case isLate = "is_late"
        case eventCount = "event_count"
    }
}
