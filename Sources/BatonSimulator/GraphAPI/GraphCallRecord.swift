/// One Send API, attachment upload or thread-control Graph call (including `thread_owner`), as the simulator answered it:
/// who owned the thread at that moment, and whether the call was accepted.
public struct GraphCallRecord: Sendable, Hashable, Codable {
    /// Position among recorded calls (starts at 1).
    public var number: Int
    /// Simulator clock when the call arrived, ms since 1970.
    public var timestamp: Int64
    /// The Page.
    public var page: String
    /// The recipient PSID, when the call named one.
    public var psid: String?
    /// The calling app.
    public var appID: String
    /// `messages`, `pass_thread_control`, `take_thread_control`, `request_thread_control`,
    /// `release_thread_control`, `extend_thread_control`, `thread_owner` or `message_attachments`.
    public var endpoint: String
    /// The thread owner when the call arrived (after any lapse); `nil` when idle or unknown.
    public var ownerAtCall: String?
    /// Whether the call succeeded (HTTP 200).
    public var accepted: Bool
    /// The error code of a refused call.
    public var code: Int?
    /// The error subcode of a refused call.
    public var subcode: Int?
    /// Whether it was refused because of a Page throttle.
    public var throttled: Bool
    /// How long the answer was held back (knob `lateAnswerDelays`), in ms; `nil` when answered at once.
    public var answerDelayMilliseconds: Int64?

    private enum CodingKeys: String, CodingKey {
        case number, timestamp, page, psid, endpoint, accepted, code, subcode, throttled
        case appID = "app_id"
        case ownerAtCall = "owner_at_call"
        case answerDelayMilliseconds = "answer_delay_ms"
    }
}
