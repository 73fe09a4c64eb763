public import BatonCore

extension Transcript {
    /// The bots of `baton skill test --app NAME=LIB.so[@TARGET][,LIB2.so...]`, one option per app, in
    /// order; the first is the default app. Each library gets `{}` as its configuration; `@TARGET`
    /// is its `escalate_to` (`human`, `back`, another app's name or an app id). Paths stay as written.
    ///
    /// - Parameters:
    ///   - options: the option values, such as `concierge=libKeywordEscalation.so@billing,libEchoSkill.so`.
    ///   - agent: the live-agent app's id, which no app may take.
    /// - Throws: ``TranscriptParseError`` with `--app` as its file.
    public static func apps(commandLine options: [String], agent: String = AppID.pageInbox.rawValue) throws(TranscriptParseError) -> [App] {
        func fail(_ key: String?, _ message: String) -> TranscriptParseError {
            TranscriptParseError(file: "--app", key: key, message: message)
        }
        var drafts: [TranscriptAppDraft] = []
        for option in options {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw fail(nil, "'\(option)' must be NAME=LIB.so[,LIB2.so...]") }
            let name = parts[0]
            if let problem = TranscriptAppDraft.nameProblem(name) { throw fail(name, problem) }
            var draft = TranscriptAppDraft(name: name, defaultApp: drafts.isEmpty, skills: [], key: name)
            for library in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                let pieces = library.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard let path = pieces.first, !path.isEmpty else { throw fail(name, "'\(option)' has an empty library path") }
                draft.skills.append(.init(path: path, escalateTo: pieces.count == 2 ? pieces[1] : nil))
            }
            drafts.append(draft)
        }
        return try TranscriptAppDraft.resolve(drafts, agent: agent) { key, message in fail(key, message) }
    }
}
