/// Errors of the simulator's Swift API.
public enum SimulatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The PSID is not a user of that Page.
    case unknownUser(String)
    /// The Page ID is not configured.
    case unknownPage(String)
    /// The simulated platform refused the action (same rule as the Graph API).
    case refused(GraphError)
    /// The server is not running (call `start()` first) or was already started.
    case notRunning
    /// `start()` was called twice.
    case alreadyStarted
    /// A wait ran out of time.
    case timedOut(String)

    /// One line saying what went wrong.
    public var description: String {
        switch self {
        case .unknownUser(let psid): return "unknown user \(psid)"
        case .unknownPage(let page): return "unknown page \(page)"
        case .refused(let error): return "refused: \(error.description)"
        case .notRunning: return "the simulator is not running"
        case .alreadyStarted: return "the simulator was already started"
        case .timedOut(let what): return "timed out waiting for \(what)"
        }
    }
}
