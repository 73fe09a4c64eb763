import Yams

/// Reading `apps:` and the turn keys that name apps.
extension TranscriptReader {
    /// `apps:`: a list of `{name, app_id, default_app, skills}`, resolved (ids generated, `escalate_to` read).
    func readApps(_ node: Node) throws(TranscriptParseError) -> [Transcript.App] {
        guard let items = node.sequence, !items.isEmpty else { throw fail("apps", "must be a list of apps, each with a name and skills") }
        var drafts: [TranscriptAppDraft] = []
        for (index, item) in items.enumerated() {
            let key = "apps[\(index)]"
            guard let mapping = item.mapping else { throw fail(key, "must be a mapping with name and skills") }
            let values = try entries(mapping, key: key, allowed: ["name", "app_id", "default_app", "skills"])
            guard let nameNode = values["name"] else { throw fail("\(key).name", "is required") }
            let name = try string(nameNode, "\(key).name")
            if let problem = TranscriptAppDraft.nameProblem(name) { throw fail("\(key).name", problem) }
            var draft = TranscriptAppDraft(name: name, defaultApp: false, skills: [], key: key)
            if let value = values["app_id"] {
                let id = try string(value, "\(key).app_id")
                guard TranscriptAppDraft.isAppID(id) else { throw fail("\(key).app_id", "must be a numeric app id, got '\(id)'") }
                draft.id = id
            }
            if let value = values["default_app"] {
                guard let flag = plainBool(value) else { throw fail("\(key).default_app", "must be true or false") }
                draft.defaultApp = flag
            }
            guard let skills = values["skills"]?.sequence else { throw fail("\(key).skills", "is required and must be a list") }
            for (skillIndex, skill) in skills.enumerated() {
                draft.skills.append(try readAppSkill(skill, key: "\(key).skills[\(skillIndex)]"))
            }
            drafts.append(draft)
        }
        return try TranscriptAppDraft.resolve(drafts, agent: agent) { key, message in fail(key, message) }
    }

    /// One skill of an app: a path, or `{path, config, escalate_to, threshold}`.
    func readAppSkill(_ node: Node, key: String) throws(TranscriptParseError) -> TranscriptAppDraft.Skill {
        if node.scalar != nil { return .init(path: try string(node, key)) }
        guard let mapping = node.mapping else { throw fail(key, "must be a library path or a mapping with path") }
        let values = try entries(mapping, key: key, allowed: ["path", "config", "escalate_to", "threshold"])
        guard let pathNode = values["path"] else { throw fail("\(key).path", "is required") }
        var skill = TranscriptAppDraft.Skill(path: try string(pathNode, "\(key).path"))
        if let config = values["config"] {
            guard config.mapping != nil else { throw fail("\(key).config", "must be a mapping (the skill's JSON configuration)") }
            skill.configJSON = JSONText.render(config)
        }
        if let value = values["escalate_to"] { skill.escalateTo = try string(value, "\(key).escalate_to") }
        if let value = values["threshold"] {
            let threshold = try double(value, "\(key).threshold")
            guard (0...1).contains(threshold) else { throw fail("\(key).threshold", "must be between 0 and 1") }
            skill.threshold = threshold
        }
        return skill
    }

    /// The app names the transcript knows, for messages.
    var appNames: String { apps.map(\.name).joined(separator: ", ") }

    /// An app named by a turn: as written for one skill; with apps, an app's name or any numeric
    /// id (and, when `human` is true, `human`, `inbox` or `agent` for the live-agent app), as an id.
    func appReference(_ node: Node, _ key: String, human: Bool) throws(TranscriptParseError) -> String {
        let text = try string(node, key)
        guard !apps.isEmpty else { return text }
        if let app = apps.first(where: { $0.name == text }) { return app.id }
        if TranscriptAppDraft.isAppID(text) { return text }
        if human, ["human", "inbox", "agent"].contains(text) { return agent }
        throw fail(key, "must be \(human ? "human, " : "")an app id or one of the apps (\(appNames)), got '\(text)'")
    }

    /// `expect.from`: one of the apps, by name or id.
    func sender(_ node: Node) throws(TranscriptParseError) -> String {
        guard !apps.isEmpty else {
            throw fail("expect.from", "names one of several bots: add an apps: header (or run with baton skill test --app)")
        }
        let text = try string(node, "expect.from")
        guard let app = apps.first(where: { $0.name == text || $0.id == text }) else {
            throw fail("expect.from", "must be one of the apps (\(appNames)), got '\(text)'")
        }
        return app.id
    }

    /// `expect.owner` with apps: an app's name or id, `human` (`inbox`, `agent`) or `idle`.
    func owner(_ node: Node) throws(TranscriptParseError) -> Transcript.Owner {
        let text = try string(node, "expect.owner")
        switch text {
        case "human", "inbox", "agent": return .agent
        case "idle": return .idle
        default: break
        }
        if let app = apps.first(where: { $0.name == text }) { return .app(app.id) }
        if TranscriptAppDraft.isAppID(text) { return .app(text) }
        throw fail("expect.owner", "must be one of the apps (\(appNames)), human, idle or an app id, got '\(text)'")
    }
}
