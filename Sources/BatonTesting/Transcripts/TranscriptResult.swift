/// What happened when a ``Transcript`` ran: one ``TurnResult`` per turn that ran.
public struct TranscriptResult: Sendable {
    /// The transcript's name.
    public var name: String
    /// The transcript's file.
    public var file: String
    /// One result per turn, in order.
    public var turns: [TurnResult]
    /// Set when the transcript could not run at all (the skill did not load, the harness failed).
    public var setupError: String?
    /// Total wall-clock time, in seconds.
    public var seconds: Double

    /// Creates a result.
    public init(name: String, file: String, turns: [TurnResult], setupError: String? = nil, seconds: Double = 0) {
        self.name = name
        self.file = file
        self.turns = turns
        self.setupError = setupError
        self.seconds = seconds
    }

    /// Whether every turn passed and the transcript ran.
    public var passed: Bool { setupError == nil && turns.allSatisfy(\.passed) }
    /// The turns that passed.
    public var passedCount: Int { turns.filter(\.passed).count }
    /// The turns that failed (a setup error counts as one).
    public var failedCount: Int { turns.filter { !$0.passed }.count + (setupError == nil ? 0 : 1) }

    /// One turn's outcome.
    public struct TurnResult: Sendable {
        /// The turn, counted from 1.
        public var index: Int
        /// The input, as one line.
        public var input: String
        /// Every expectation that did not hold (empty when the turn passed).
        public var mismatches: [Mismatch]
        /// The conversation up to the end of this turn, rendered by ``TimelineRenderer``.
        public var transcriptSoFar: [String]
        /// Wall-clock time, in seconds.
        public var seconds: Double

        /// Creates a turn result.
        public init(index: Int, input: String, mismatches: [Mismatch], transcriptSoFar: [String], seconds: Double) {
            self.index = index
            self.input = input
            self.mismatches = mismatches
            self.transcriptSoFar = transcriptSoFar
            self.seconds = seconds
        }

        /// Whether every expectation held.
        public var passed: Bool { mismatches.isEmpty }
    }

    /// An expectation that did not hold.
    public struct Mismatch: Sendable, Equatable {
        /// The expectation key (`reply`, `owner`...).
        public var key: String
        /// What the transcript expected, as text.
        public var expected: String
        /// What happened, as text.
        public var actual: String

        /// Creates a mismatch.
        public init(key: String, expected: String, actual: String) {
            (self.key, self.expected, self.actual) = (key, expected, actual)
        }
    }
}
