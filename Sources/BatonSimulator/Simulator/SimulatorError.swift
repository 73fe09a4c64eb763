/// An error of the simulator's Swift API: a ``Code`` to match on, a message that says what to
/// do, and the underlying cause (the simulated Graph refusal, for ``Code/refused``).
public struct SimulatorError: Error, CustomStringConvertible {
    /// The kind of failure; an extensible set.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownUser, unknownPage, unknownApp, invalidArgument, refused, notRunning, alreadyStarted, timedOut
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The PSID is not a user of that Page.
        public static let unknownUser = Code(.unknownUser)
        /// The Page ID is not configured.
        public static let unknownPage = Code(.unknownPage)
        /// The app ID is not configured.
        public static let unknownApp = Code(.unknownApp)
        /// An argument the simulated platform would refuse (an unknown webhook field, ...).
        public static let invalidArgument = Code(.invalidArgument)
        /// The simulated platform refused the action (same rule as the Graph API).
        public static let refused = Code(.refused)
        /// The server is not running (call `start()` first).
        public static let notRunning = Code(.notRunning)
        /// `start()` was called twice.
        public static let alreadyStarted = Code(.alreadyStarted)
        /// A wait ran out of time.
        public static let timedOut = Code(.timedOut)

        /// The code's name, e.g. `unknownUser`.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do, one line.
    public var message: String
    /// The underlying cause: for ``Code/refused`` the Graph error the simulator answered.
    public var underlying: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong and what to do, one line.
    ///   - underlying: The cause, if any.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        (self.code, self.message, self.underlying) = (code, message, underlying)
    }

    /// One line saying what went wrong.
    public var description: String { message }

    /// The PSID is not a user of the Page.
    static func unknownUser(_ psid: String) -> SimulatorError {
        SimulatorError(.unknownUser, "unknown user \(psid): add it to the Page with addUser first")
    }

    /// The Page is not configured.
    static func unknownPage(_ page: String) -> SimulatorError {
        SimulatorError(.unknownPage, "unknown page \(page): add it to SimulatorConfiguration.pages")
    }

    /// The app is not configured.
    static func unknownApp(_ app: String) -> SimulatorError {
        SimulatorError(.unknownApp, "unknown app \(app): add it to SimulatorConfiguration.apps")
    }

    /// The simulated platform refused, with Meta's error.
    static func refused(_ error: SimulatedGraphError) -> SimulatorError {
        SimulatorError(.refused, "refused: \(error.description)", underlying: error)
    }

    /// The server is not running.
    static let notRunning = SimulatorError(.notRunning, "the simulator is not running: call start() first")

    /// `start()` was called twice.
    static let alreadyStarted = SimulatorError(
        .alreadyStarted, "the simulator was already started: call start() once per simulator")

    /// A wait ran out of time.
    static func timedOut(_ what: String) -> SimulatorError {
        SimulatorError(.timedOut, "timed out waiting for \(what)")
    }
}
