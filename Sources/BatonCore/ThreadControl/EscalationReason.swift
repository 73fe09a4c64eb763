/// Why a conversation goes to a human. An open set: Baton's own reasons are named here; a
/// stored or configured one Baton does not know keeps its text. Stored and sent (in the pass
/// metadata, in metrics) as its raw value.
public struct EscalationReason: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// A detector scored the message at or above the threshold.
    public static let detector: EscalationReason = "detector"
    /// No responder answered `max_fallbacks` messages in a row.
    public static let fallback: EscalationReason = "fallback"
    /// Every skill that could answer is switched off by its circuit breaker.
    public static let circuitOpen: EscalationReason = "circuit_open"
    /// The process kept dying while skills handled the message.
    public static let skillCrash: EscalationReason = "skill_crash"
    /// The message was quarantined: its processing kept killing the process.
    public static let quarantined: EscalationReason = "quarantined"
}
