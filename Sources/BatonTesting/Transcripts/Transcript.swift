/// A conversation script for testing a skill: inputs (user messages, agent actions, clock moves)
/// and what must happen after each one. Parsed from YAML with ``Transcript/parse(yaml:file:)``;
/// run with ``TranscriptRunner``. The format is described in `docs/transcripts.md`.
public struct Transcript: Sendable, Equatable {
    /// The suite's name (`name:`).
    public var name: String
    /// Where the transcript came from (a file path, or a label).
    public var file: String
    /// The JSON configuration for the skill under test (`skill_config:`), `nil` for `{}`.
    public var skillConfigJSON: String?
    /// Overrides of the handover settings (`handover:`); with ``apps`` they apply to every app.
    public var handover: HandoverOverrides
    /// The bots one runtime hosts (`apps:`, or `baton skill test --app`); empty: the one skill
    /// under test. See ``App``.
    public var apps: [App]
    /// The turns, in order.
    public var turns: [Turn]

    /// Creates a transcript.
    public init(
        name: String, file: String, skillConfigJSON: String? = nil, handover: HandoverOverrides = .init(), apps: [App] = [],
        turns: [Turn]
    ) {
        self.name = name
        self.file = file
        self.skillConfigJSON = skillConfigJSON
        self.handover = handover
        self.apps = apps
        self.turns = turns
    }

    /// `handover:` overrides; `nil` keeps the runtime's default.
    public struct HandoverOverrides: Sendable, Equatable {
        /// `take_back_keywords`
        public var takeBackKeywords: [String]?
        /// `max_fallbacks`
        public var maxFallbacks: Int?
        /// `escalation_threshold`
        public var escalationThreshold: Double?
        /// `agent_app_id`
        public var agentAppID: String?
        /// `handover_message`
        public var handoverMessage: String?
        /// `fallback_message`
        public var fallbackMessage: String?
        /// No overrides.
        public init() {}
    }

    /// One step: an input and its expectations.
    public struct Turn: Sendable, Equatable {
        /// What happens in this turn.
        public var input: Input
        /// What must be true once the turn settled.
        public var expect: Expectations
        /// Creates a turn.
        public init(input: Input, expect: Expectations = .init()) {
            self.input = input
            self.expect = expect
        }
    }

    /// The input of a turn.
    public enum Input: Sendable, Equatable, CustomStringConvertible {
        /// `user: text`
        case text(String)
        /// `user: {text:, quick_reply:}`
        case quickReply(text: String, payload: String)
        /// `user: {postback: {title:, payload:}}`
        case postback(title: String, payload: String)
        /// `user: {attachment: {type:, url:}}`
        case attachment(type: String, url: String)
        /// `standby: text`: a user message while another app owns the thread.
        case standby(String)
        /// `agent: text`: the Page Inbox agent replies.
        case agentReplies(String)
        /// `agent_passes_control: true | APP_ID`: `nil` means the bot (with ``Transcript/apps``, the
        /// default app; a name there is resolved to its id).
        case agentPassesControl(to: String?)
        /// `advance_clock: 25h`
        case advanceClock(Duration)

        /// The input as one line, for reports.
        public var description: String {
            switch self {
            case .text(let text): "user \"\(text)\""
            case .quickReply(let text, let payload): "user quick reply \"\(text)\" (\(payload))"
            case .postback(let title, let payload): "user postback \"\(title)\" (\(payload))"
            case .attachment(let type, let url): "user \(type) attachment \(url)"
            case .standby(let text): "user on standby \"\(text)\""
            case .agentReplies(let text): "agent \"\(text)\""
            case .agentPassesControl(let to): "agent passes control to \(to ?? "the bot")"
            case .advanceClock(let duration): "advance clock \(duration.components.seconds)s"
            }
        }
    }

    /// Who owns a thread, as an expectation. With ``Transcript/apps`` an app's name is resolved to
    /// `.app(id)` and `human`, `inbox` or `agent` is `.agent`.
    public enum Owner: Sendable, Equatable, CustomStringConvertible {
        /// The bot under test (with ``Transcript/apps``, the default app).
        case bot
        /// The live-agent app (the Page Inbox by default).
        case agent
        /// Nobody.
        case idle
        /// A given app id.
        case app(String)

        /// The YAML spelling.
        public var description: String {
            switch self {
            case .bot: "bot"
            case .agent: "agent"
            case .idle: "idle"
            case .app(let id): id
            }
        }
    }

    /// `expect:`; every field set must hold.
    public struct Expectations: Sendable, Equatable {
        /// `reply`: exactly one bot message, with this text.
        public var reply: String?
        /// `reply_contains`: exactly one bot message, containing this.
        public var replyContains: String?
        /// `reply_matches`: exactly one bot message, matching this regular expression.
        public var replyMatches: String?
        /// `quick_replies`: the titles offered with the bot's (last) message.
        public var quickReplies: [String]?
        /// `no_reply: true`: the bot sent nothing.
        public var noReply: Bool?
        /// `escalation`: the bot passed control with this reason (and at least this score).
        public var escalation: Escalation?
        /// `control_passed_to`: the bot passed control to this app (with ``Transcript/apps``: any
        /// hosted bot did; a name or `human` is resolved to the app id).
        public var controlPassedTo: String?
        /// `from`: the app id of the hosted bot that sent every bot message of the turn (at least
        /// one); only with ``Transcript/apps``, where the transcript names the app.
        public var from: String?
        /// `owner`: who owns the thread after the turn.
        public var owner: Owner?
        /// Nothing expected.
        public init() {}

        /// `escalation: {reason:, min_score:}`
        public struct Escalation: Sendable, Equatable {
            /// The `reason` of the pass metadata (`detector`, `fallback`...); `nil` for any.
            public var reason: String?
            /// The lowest acceptable `score`; `nil` for any.
            public var minScore: Double?
            /// Creates the expectation.
            public init(reason: String? = nil, minScore: Double? = nil) {
                self.reason = reason
                self.minScore = minScore
            }
        }
    }
}
