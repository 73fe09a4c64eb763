public import BatonCore

extension Transcript {
    /// One bot app of a transcript with several bots (`apps:` in the transcript, or
    /// `baton skill test --app`): one runtime hosts them all on one Page with the Page Inbox,
    /// and a detector's `escalate_to` moves the conversation between them.
    ///
    /// Names are resolved when the transcript is read: ``id`` is given (`app_id:`) or generated,
    /// each skill's `escalate_to` is an ``EscalationTarget``, and the turns' `from`, `owner`,
    /// `control_passed_to` and `agent_passes_control` carry app ids.
    public struct App: Sendable, Equatable {
        /// The app's name (`name:`): what the turns and the report call it.
        public var name: String
        /// The app id, numeric (`app_id:`, or generated).
        public var id: String
        /// Whether it is the Page's default app, which owns new threads (`default_app: true`, or
        /// the first app when none says so).
        public var defaultApp: Bool
        /// Its skills, in order.
        public var skills: [Skill]

        /// - Parameters:
        ///   - name: the app's name.
        ///   - id: its numeric app id.
        ///   - defaultApp: whether it owns new threads.
        ///   - skills: its skills, in order.
        public init(name: String, id: String, defaultApp: Bool = false, skills: [Skill]) {
            (self.name, self.id, self.defaultApp, self.skills) = (name, id, defaultApp, skills)
        }

        /// One skill library of an app.
        public struct Skill: Sendable, Equatable {
            /// The library as written: absolute, or relative to the transcript's folder, or found
            /// in the runner's ``TranscriptRunner/skillFolders``.
            public var path: String
            /// The skill's configuration as a JSON object (`config:`).
            public var configJSON: String
            /// Where this detector's escalation goes (`escalate_to:`); nil: a human.
            public var escalation: EscalationTarget?
            /// This detector's own threshold (`threshold:`); nil: the handover setting.
            public var threshold: Double?

            /// - Parameters:
            ///   - path: the library.
            ///   - configJSON: its configuration, a JSON object.
            ///   - escalation: where its escalation goes (nil: a human).
            ///   - threshold: its own threshold.
            public init(path: String, configJSON: String = "{}", escalation: EscalationTarget? = nil, threshold: Double? = nil) {
                (self.path, self.configJSON, self.escalation, self.threshold) = (path, configJSON, escalation, threshold)
            }
        }
    }

    /// Whether this transcript drives several bots (it has ``apps``).
    public var hostsSeveralBots: Bool { !apps.isEmpty }

    /// The id of the app the turns call `human`, `inbox` or `agent`: `handover.agent_app_id`, or the Page Inbox.
    var agentAppID: String { handover.agentAppID ?? AppID.pageInbox.rawValue }
}

/// An app as written (in a transcript's `apps:` or on the command line), before names are resolved.
struct TranscriptAppDraft {
    var name: String
    var id: String?
    var defaultApp: Bool
    var skills: [Skill]
    /// Where it was written, for errors: `apps[1]` or `--app billing=...`.
    var key: String

    struct Skill {
        var path: String
        var configJSON = "{}"
        var escalateTo: String?
        var threshold: Double?
    }

    /// Words the turns use for something else, so no app may be called them.
    static let reserved: Set<String> = ["human", "back", "inbox", "agent", "bot", "idle"]

    /// An app name: 1 to 64 of a-z, 0-9, `-` and `_`, as in a Baton configuration, and none of ``reserved``.
    static func nameProblem(_ name: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ allowed.contains($0) }) else {
            return "must be 1 to 64 of a-z, 0-9, - and _, got '\(name)'"
        }
        if reserved.contains(name) { return "'\(name)' is a reserved word in transcripts; choose another name" }
        return nil
    }

    static func isAppID(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } }

    /// Resolves drafts into apps: distinct names and ids, ids generated where missing, one
    /// default app (the first when none is marked), `escalate_to` turned into targets.
    /// - Parameters:
    ///   - drafts: the apps, in order.
    ///   - agent: the live-agent app's id, which no app may take.
    ///   - fail: makes the error for a key and message.
    static func resolve(
        _ drafts: [TranscriptAppDraft], agent: String, fail: (String, String) -> TranscriptParseError
    ) throws(TranscriptParseError) -> [Transcript.App] {
        var taken: Set<String> = [agent]
        var names: Set<String> = []
        for draft in drafts {
            guard names.insert(draft.name).inserted else { throw fail("\(draft.key).name", "app \(draft.name) is listed twice") }
            if let id = draft.id {
                guard taken.insert(id).inserted else {
                    throw fail("\(draft.key).app_id", id == agent ? "\(id) is the live-agent app's id" : "app id \(id) is listed twice")
                }
            }
        }
        let defaults = drafts.filter(\.defaultApp)
        if defaults.count > 1, let second = defaults.dropFirst().first {
            throw fail("\(second.key).default_app", "\(defaults[0].name) is already the default app; a Page has one")
        }
        var next: UInt64 = 910_000_000_000_001
        var apps: [Transcript.App] = []
        for (index, draft) in drafts.enumerated() {
            var id = draft.id
            while id == nil {
                let candidate = String(next)
                next += 1
                if taken.insert(candidate).inserted { id = candidate }
            }
            let isDefault = defaults.isEmpty ? index == 0 : draft.defaultApp
            apps.append(.init(name: draft.name, id: id ?? "", defaultApp: isDefault, skills: []))
        }
        for (index, draft) in drafts.enumerated() {
            for (skillIndex, skill) in draft.skills.enumerated() {
                let key = "\(draft.key).skills[\(skillIndex)].escalate_to"
                let target = try skill.escalateTo.map { text throws(TranscriptParseError) in
                    try Self.target(text, apps: apps, own: apps[index].id, key: key, fail: fail)
                }
                apps[index].skills.append(.init(path: skill.path, configJSON: skill.configJSON, escalation: target, threshold: skill.threshold))
            }
        }
        return apps
    }

    /// `human`, `back`, an app's name or a numeric app id, as a Baton configuration reads `escalate_to`.
    static func target(
        _ text: String, apps: [Transcript.App], own: String, key: String, fail: (String, String) -> TranscriptParseError
    ) throws(TranscriptParseError) -> EscalationTarget {
        switch text {
        case "human": return .human
        case "back": return .back
        default: break
        }
        let id: String
        if let app = apps.first(where: { $0.name == text }) {
            id = app.id
        } else if isAppID(text) {
            id = text
        } else {
            throw fail(key, "must be human, back, an app id or an app's name (\(apps.map(\.name).joined(separator: ", "))), got '\(text)'")
        }
        guard id != own else { throw fail(key, "names this app itself: an escalation must go to another app") }
        return .app(AppID(id))
    }
}
