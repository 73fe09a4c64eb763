import BatonCore
import CBatonSkill
import Synchronization

/// The host object behind one `baton_call` handle: what a `create`, `respond` or
/// `detect` call wrote through the builders. Every builder copies and validates its
/// input at once; a refused input is remembered and makes the call fail, even when
/// the skill ignores the status it got back. Once the call returned the context is
/// closed and every builder answers `BATON_E_STATE`.
final class CallContext: Sendable {
    /// Which skill function the call is.
    enum Operation: String, Sendable {
        case create, respond, detect
    }

    /// The first input a builder refused.
    struct Refusal: Error, Equatable {
        var status: Int32
        var message: String
    }

    /// What the skill wrote during the call.
    struct Outcome: Sendable, Equatable {
        /// The reply's text or attachment, once a builder set it.
        var body: ReplyMessage.Body?
        var quickReplies: [QuickReply] = []
        var score: Double?
        var reason = ""
        var error: String?
        var refusal: Refusal?
    }

    struct State: ~Copyable {
        var closed = false
        var outcome = Outcome()

        /// Records the first refusal and returns its status.
        mutating func refuse(_ status: Int32, _ message: String) -> Int32 {
            if outcome.refusal == nil {
                outcome.refusal = Refusal(status: status, message: message)
            }
            return status
        }
    }

    /// Which function the call is.
    let operation: Operation
    /// The fields `input_field` serves; nil for `create`.
    let fields: InputFieldStorage?
    let state = Mutex(State())

    init(operation: Operation, fields: InputFieldStorage?) {
        self.operation = operation
        self.fields = fields
    }

    /// Marks the context closed and returns what the skill wrote.
    func close() -> Outcome {
        state.withLock { state in
            state.closed = true
            return state.outcome
        }
    }
}
