import BatonCore
import Foundation
import Yams

extension Transcript {
    /// Reads a transcript from YAML text.
    /// - Parameters:
    ///   - yaml: The document.
    ///   - file: The file name to use in errors and reports.
    ///   - apps: Bots defined elsewhere (`baton skill test --app`, see ``apps(commandLine:)``): the
    ///     transcript is read as if its header named them; one with its own `apps:` is then an error.
    /// - Throws: ``TranscriptParseError`` naming the turn and key at fault.
    public static func parse(yaml: String, file: String, apps: [App] = []) throws(TranscriptParseError) -> Transcript {
        var reader = TranscriptReader(file: file)
        return try reader.read(yaml, given: apps)
    }

    /// Reads a transcript file.
    /// - Parameters:
    ///   - path: The file.
    ///   - apps: Bots defined on the command line, as for ``parse(yaml:file:apps:)``.
    /// - Throws: ``TranscriptParseError``.
    public static func load(path: String, apps: [App] = []) throws(TranscriptParseError) -> Transcript {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TranscriptParseError(file: path, message: "cannot read the file")
        }
        return try parse(yaml: String(decoding: data, as: UTF8.self), file: path, apps: apps)
    }
}

/// Turns a YAML node tree into a ``Transcript``, keeping track of where it is for errors.
struct TranscriptReader {
    let file: String
    var turn: Int?
    /// The bots of `apps:` (or the command line), resolved; empty for one skill.
    var apps: [Transcript.App] = []
    /// The live-agent app's id (`human` in the turns).
    var agent = ""

    init(file: String) { self.file = file }

    func fail(_ key: String?, _ message: String) -> TranscriptParseError {
        TranscriptParseError(file: file, turn: turn, key: key, message: message)
    }

    mutating func read(_ yaml: String, given: [Transcript.App] = []) throws(TranscriptParseError) -> Transcript {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw fail(nil, "not valid YAML (\(String(describing: error).split(separator: "\n").first ?? ""))")
        }
        guard let mapping = root?.mapping else { throw fail(nil, "the document must be a mapping with name and turns") }
        let top = try entries(mapping, key: nil, allowed: ["name", "skill_config", "handover", "apps", "turns"])
        guard let name = try top["name"].map({ node throws(TranscriptParseError) in try string(node, "name") }) else {
            throw fail("name", "is required")
        }
        var transcript = Transcript(name: name, file: file, turns: [])
        if let config = top["skill_config"] {
            guard config.mapping != nil else { throw fail("skill_config", "must be a mapping (the skill's JSON configuration)") }
            transcript.skillConfigJSON = JSONText.render(config)
        }
        if let handover = top["handover"] { transcript.handover = try readHandover(handover) }
        agent = transcript.agentAppID
        if let node = top["apps"] {
            guard given.isEmpty else { throw fail("apps", "this transcript names its own bots: leave out --app") }
            apps = try readApps(node)
        } else {
            apps = given
        }
        if !apps.isEmpty, top["skill_config"] != nil {
            throw fail("skill_config", "with several bots each skill has its own config: under apps[].skills[] (a header) instead")
        }
        transcript.apps = apps
        guard let turns = top["turns"]?.sequence else { throw fail("turns", "is required and must be a list") }
        for (index, node) in turns.enumerated() {
            turn = index + 1
            transcript.turns.append(try readTurn(node))
        }
        turn = nil
        return transcript
    }

    // MARK: Sections

    func readHandover(_ node: Node) throws(TranscriptParseError) -> Transcript.HandoverOverrides {
        guard let mapping = node.mapping else { throw fail("handover", "must be a mapping") }
        let keys = ["take_back_keywords", "max_fallbacks", "escalation_threshold", "agent_app_id", "handover_message", "fallback_message"]
        let values = try entries(mapping, key: "handover", allowed: keys)
        var result = Transcript.HandoverOverrides()
        if let value = values["take_back_keywords"] { result.takeBackKeywords = try strings(value, "handover.take_back_keywords") }
        if let value = values["max_fallbacks"] { result.maxFallbacks = try int(value, "handover.max_fallbacks") }
        if let value = values["escalation_threshold"] {
            let threshold = try double(value, "handover.escalation_threshold")
            guard (0...1).contains(threshold) else { throw fail("handover.escalation_threshold", "must be between 0 and 1") }
            result.escalationThreshold = threshold
        }
        if let value = values["agent_app_id"] { result.agentAppID = try string(value, "handover.agent_app_id") }
        if let value = values["handover_message"] { result.handoverMessage = try string(value, "handover.handover_message") }
        if let value = values["fallback_message"] { result.fallbackMessage = try string(value, "handover.fallback_message") }
        return result
    }

    func readTurn(_ node: Node) throws(TranscriptParseError) -> Transcript.Turn {
        guard let mapping = node.mapping else { throw fail(nil, "a turn must be a mapping such as {user: hello}") }
        let inputKeys = ["user", "standby", "agent", "agent_passes_control", "advance_clock"]
        let values = try entries(mapping, key: nil, allowed: inputKeys + ["expect"])
        let present = inputKeys.filter { values[$0] != nil }
        guard present.count == 1, let key = present.first, let value = values[key] else {
            throw fail(present.count > 1 ? present[1] : nil, "a turn needs exactly one of \(inputKeys.joined(separator: ", "))")
        }
        let input: Transcript.Input
        switch key {
        case "user": input = try readUser(value)
        case "standby": input = .standby(try string(value, "standby"))
        case "agent": input = .agentReplies(try string(value, "agent"))
        case "agent_passes_control":
            if let flag = plainBool(value) {
                guard flag else { throw fail(key, "must be true or an app id") }
                input = .agentPassesControl(to: nil)
            } else {
                input = .agentPassesControl(to: try appReference(value, key, human: false))
            }
        default: input = .advanceClock(try duration(value, key))
        }
        var expect = Transcript.Expectations()
        if let node = values["expect"] { expect = try readExpect(node) }
        return Transcript.Turn(input: input, expect: expect)
    }

    func readUser(_ node: Node) throws(TranscriptParseError) -> Transcript.Input {
        if node.scalar != nil { return .text(try string(node, "user")) }
        guard let mapping = node.mapping else { throw fail("user", "must be a text or a mapping") }
        let values = try entries(mapping, key: "user", allowed: ["text", "quick_reply", "postback", "attachment"])
        if let postback = values["postback"] {
            guard let inner = postback.mapping else { throw fail("user.postback", "must be a mapping with title and payload") }
            let fields = try entries(inner, key: "user.postback", allowed: ["title", "payload"])
            guard let payload = fields["payload"] else { throw fail("user.postback.payload", "is required") }
            let title = try fields["title"].map { n throws(TranscriptParseError) in try string(n, "user.postback.title") }
            return .postback(title: title ?? "", payload: try string(payload, "user.postback.payload"))
        }
        if let attachment = values["attachment"] {
            guard let inner = attachment.mapping else { throw fail("user.attachment", "must be a mapping with type and url") }
            let fields = try entries(inner, key: "user.attachment", allowed: ["type", "url"])
            guard let type = fields["type"] else { throw fail("user.attachment.type", "is required") }
            let url = try fields["url"].map { n throws(TranscriptParseError) in try string(n, "user.attachment.url") }
            return .attachment(type: try string(type, "user.attachment.type"), url: url ?? "https://example.com/file")
        }
        guard let textNode = values["text"] else { throw fail("user.text", "is required (or postback, or attachment)") }
        let text = try string(textNode, "user.text")
        if let payload = values["quick_reply"] { return .quickReply(text: text, payload: try string(payload, "user.quick_reply")) }
        return .text(text)
    }

    func readExpect(_ node: Node) throws(TranscriptParseError) -> Transcript.Expectations {
        guard let mapping = node.mapping else { throw fail("expect", "must be a mapping") }
        let keys = ["reply", "reply_contains", "reply_matches", "quick_replies", "no_reply", "escalation", "control_passed_to", "owner", "from"]
        let values = try entries(mapping, key: "expect", allowed: keys)
        var expect = Transcript.Expectations()
        if let value = values["reply"] { expect.reply = try string(value, "expect.reply") }
        if let value = values["reply_contains"] { expect.replyContains = try string(value, "expect.reply_contains") }
        if let value = values["reply_matches"] {
            let pattern = try string(value, "expect.reply_matches")
            guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                throw fail("expect.reply_matches", "not a valid regular expression: \(pattern)")
            }
            expect.replyMatches = pattern
        }
        if let value = values["quick_replies"] { expect.quickReplies = try strings(value, "expect.quick_replies") }
        if let value = values["no_reply"] {
            guard let flag = plainBool(value) else { throw fail("expect.no_reply", "must be true or false") }
            expect.noReply = flag
        }
        if let value = values["escalation"] {
            guard let inner = value.mapping else { throw fail("expect.escalation", "must be a mapping with reason and min_score") }
            let fields = try entries(inner, key: "expect.escalation", allowed: ["reason", "min_score"])
            var escalation = Transcript.Expectations.Escalation()
            if let reason = fields["reason"] { escalation.reason = try string(reason, "expect.escalation.reason") }
            if let score = fields["min_score"] { escalation.minScore = try double(score, "expect.escalation.min_score") }
            expect.escalation = escalation
        }
        if let value = values["control_passed_to"] { expect.controlPassedTo = try appReference(value, "expect.control_passed_to", human: true) }
        if let value = values["from"] { expect.from = try sender(value) }
        if let value = values["owner"], !apps.isEmpty {
            expect.owner = try owner(value)
        } else if let value = values["owner"] {
            switch try string(value, "expect.owner") {
            case "bot": expect.owner = .bot
            case "agent": expect.owner = .agent
            case "idle": expect.owner = .idle
            case let id where !id.isEmpty && id.allSatisfy(\.isNumber): expect.owner = .app(id)
            case let other: throw fail("expect.owner", "must be bot, agent, idle or an app id, got '\(other)'")
            }
        }
        return expect
    }

    // MARK: Scalars

    func entries(_ mapping: Node.Mapping, key: String?, allowed: [String]) throws(TranscriptParseError) -> [String: Node] {
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else { throw fail(key, "keys must be plain words") }
            let path = key.map { "\($0).\(name)" } ?? name
            guard allowed.contains(name) else { throw fail(path, "unknown key (expected one of \(allowed.joined(separator: ", ")))") }
            guard result[name] == nil else { throw fail(path, "appears twice") }
            result[name] = value
        }
        return result
    }

    func string(_ node: Node, _ key: String) throws(TranscriptParseError) -> String {
        guard let scalar = node.scalar else { throw fail(key, "must be a text") }
        return scalar.string
    }

    func strings(_ node: Node, _ key: String) throws(TranscriptParseError) -> [String] {
        guard let items = node.sequence else { throw fail(key, "must be a list of texts") }
        var result: [String] = []
        for item in items { result.append(try string(item, key)) }
        return result
    }

    func int(_ node: Node, _ key: String) throws(TranscriptParseError) -> Int {
        guard let text = node.scalar?.string, let value = Int(text), value >= 0 else { throw fail(key, "must be a whole number") }
        return value
    }

    func double(_ node: Node, _ key: String) throws(TranscriptParseError) -> Double {
        guard let text = node.scalar?.string, let value = Double(text) else { throw fail(key, "must be a number") }
        return value
    }

    func plainBool(_ node: Node) -> Bool? {
        guard let scalar = node.scalar, scalar.style == .plain else { return nil }
        switch scalar.string {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    func duration(_ node: Node, _ key: String) throws(TranscriptParseError) -> Duration {
        guard let text = node.scalar?.string.trimmingCharacters(in: .whitespaces), let unit = text.last,
            let amount = Double(text.dropLast()), amount >= 0
        else { throw fail(key, "must be a number with s, m, h or d, like 25h") }
        let seconds: Double
        switch unit {
        case "s": seconds = amount
        case "m": seconds = amount * 60
        case "h": seconds = amount * 3600
        case "d": seconds = amount * 86400
        default: throw fail(key, "must be a number with s, m, h or d, like 25h")
        }
        return .milliseconds(Int64(clamping: seconds * 1000))
    }
}
