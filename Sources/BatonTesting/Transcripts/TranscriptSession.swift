import BatonSimulator
import Foundation

/// Plays the turns of one transcript in one harness and checks them. "The bot" is any of the
/// cast's hosted bots: one for a single skill, the transcript's apps otherwise.
struct TranscriptSession {
    let harness: ConversationHarness
    let transcript: Transcript
    let turnTimeout: Duration
    /// The hosted bots and the live-agent app.
    let cast: TranscriptCast

    var renderer: TimelineRenderer { cast.renderer }

    mutating func play(_ turn: Transcript.Turn, index: Int, user: String) async -> TranscriptResult.TurnResult {
        let started = ContinuousClock.now
        let simulator = harness.simulator
        let page = harness.pageID
        let before = await simulator.timeline(page: page, user: user).count
        var mismatches: [TranscriptResult.Mismatch] = []
        do {
            switch turn.input {
            case .text(let text):
                await simulator.userSends(text: text, page: page, user: user)
            case .quickReply(let text, let payload):
                await simulator.userSends(text: text, quickReplyPayload: payload, page: page, user: user)
            case .postback(let title, let payload):
                await simulator.userPostback(title: title, payload: payload, page: page, user: user)
            case .attachment(let type, let url):
                await simulator.userSendsAttachment(type: type, url: url, page: page, user: user)
            case .standby(let text):
                let owner = await simulator.threadOwner(page: page, user: user)
                if cast.isBot(owner) {
                    mismatches.append(cast.several
                        ? .init(key: "standby", expected: "no bot here owns the thread", actual: "\(cast.name(owner)) owns it")
                        : .init(key: "standby", expected: "another app owns the thread", actual: "the bot owns it"))
                }
                await simulator.userSends(text: text, page: page, user: user)
            case .agentReplies(let text):
                try await simulator.agentReplies(text: text, page: page, user: user)
            case .agentPassesControl(let target):
                try await simulator.agentPassesControl(to: target ?? cast.defaultBot, metadata: nil, page: page, user: user)
            case .advanceClock(let duration):
                await simulator.advanceClock(by: duration)
            }
            try await harness.settle(timeout: turnTimeout)
        } catch {
            mismatches.append(.init(key: "input", expected: "the turn runs", actual: "\(error)"))
        }
        let timeline = await simulator.timeline(page: page, user: user)
        let gained = Array(timeline.dropFirst(before))
        let owner = await simulator.threadOwner(page: page, user: user)
        mismatches += check(turn.expect, gained: gained, owner: owner)
        return .init(
            index: index, input: cast.describe(turn.input), mismatches: mismatches,
            transcriptSoFar: renderer.transcript(timeline) + renderer.controlTimeline(timeline),
            seconds: TranscriptRunner.seconds(since: started))
    }

    func check(_ expect: Transcript.Expectations, gained: [TimelineEntry], owner: String?) -> [TranscriptResult.Mismatch] {
        var mismatches: [TranscriptResult.Mismatch] = []
        let replies = gained.compactMap(\.sent).filter { cast.isBot($0.appID) && $0.senderAction == nil && $0.mid != nil }
        let texts = replies.map { $0.text.map { "\"\($0)\"" } ?? "[\($0.attachmentType ?? "attachment")]" }
        let actualReplies = replies.isEmpty ? "no reply" : "\(replies.count) repl\(replies.count == 1 ? "y" : "ies"): " + texts.joined(separator: ", ")
        func single(_ key: String, _ expected: String, _ holds: (String) -> Bool) {
            if replies.count == 1, let text = replies[0].text, holds(text) { return }
            mismatches.append(.init(key: key, expected: expected, actual: actualReplies))
        }
        if let reply = expect.reply { single("reply", "reply \"\(reply)\"") { $0 == reply } }
        if let part = expect.replyContains { single("reply_contains", "one reply containing \"\(part)\"") { $0.contains(part) } }
        if let pattern = expect.replyMatches {
            let regex = try? NSRegularExpression(pattern: pattern)
            single("reply_matches", "one reply matching /\(pattern)/") { text in
                regex?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            }
        }
        if let titles = expect.quickReplies {
            let offered = replies.last?.quickReplies.compactMap(\.title) ?? []
            if offered != titles {
                mismatches.append(.init(
                    key: "quick_replies", expected: "quick replies [\(titles.joined(separator: ", "))]",
                    actual: replies.isEmpty ? "no reply" : "quick replies [\(offered.joined(separator: ", "))]"))
            }
        }
        if expect.noReply == true, !replies.isEmpty {
            mismatches.append(.init(key: "no_reply", expected: "no reply", actual: actualReplies))
        }
        if let from = expect.from, let mismatch = checkFrom(from, replies: replies) { mismatches.append(mismatch) }
        mismatches += checkControl(expect, gained: gained, owner: owner)
        return mismatches
    }

    /// The expectations on thread control: `escalation`, `control_passed_to` and `owner`.
    func checkControl(_ expect: Transcript.Expectations, gained: [TimelineEntry], owner: String?) -> [TranscriptResult.Mismatch] {
        var mismatches: [TranscriptResult.Mismatch] = []
        let passes = gained.compactMap(\.control).filter { $0.action == .pass && cast.isBot($0.by) }
        if let escalation = expect.escalation, let mismatch = Self.check(escalation, passes: passes) {
            mismatches.append(mismatch)
        }
        if let target = expect.controlPassedTo, !passes.contains(where: { $0.to == target }) {
            let shown: (String?) -> String = { cast.several ? cast.name($0) : $0 ?? "idle" }
            let actual = passes.isEmpty ? "control not passed" : "control passed to " + passes.map { shown($0.to) }.joined(separator: ", ")
            mismatches.append(.init(key: "control_passed_to", expected: "control passed to \(shown(target))", actual: actual))
        }
        if let expected = expect.owner {
            let wanted: String? = switch expected {
            case .bot: cast.defaultBot
            case .agent: cast.agent
            case .idle: nil
            case .app(let id): id
            }
            if owner != wanted {
                let shown = cast.several ? cast.name(wanted) : expected.description
                mismatches.append(.init(key: "owner", expected: "owner \(shown)", actual: "owner \(cast.name(owner))"))
            }
        }
        return mismatches
    }

    /// The `escalation` expectation against the bot's passes of control: nil when one matches.
    static func check(_ escalation: Transcript.Expectations.Escalation, passes: [ControlChange]) -> TranscriptResult.Mismatch? {
        let metadata = passes.map { Self.metadata($0.metadata) }
        let found = metadata.contains { fields in
            (escalation.reason == nil || fields.reason == escalation.reason)
                && (escalation.minScore.map { minimum in (fields.score ?? -1) >= minimum } ?? true)
        }
        if found { return nil }
        var expected = "escalation"
        if let reason = escalation.reason { expected += " reason \(reason)" }
        if let minimum = escalation.minScore { expected += " score >= \(minimum)" }
        let actual = metadata.isEmpty
            ? "no escalation"
            : metadata.map { "escalation reason \($0.reason ?? "?") score \($0.score.map { "\($0)" } ?? "none")" }.joined(separator: "; ")
        return .init(key: "escalation", expected: expected, actual: actual)
    }

    /// `from`: every bot message of the turn came from this app, and there was one; nil when so.
    func checkFrom(_ app: String, replies: [SentMessage]) -> TranscriptResult.Mismatch? {
        var senders: [String] = []
        for reply in replies where !senders.contains(reply.appID) { senders.append(reply.appID) }
        if senders == [app] { return nil }
        let actual = senders.isEmpty ? "no reply" : "reply from " + senders.map { cast.name($0) }.joined(separator: " and ")
        return .init(key: "from", expected: "reply from \(cast.name(app))", actual: actual)
    }

    static func metadata(_ text: String?) -> (reason: String?, score: Double?) {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return (nil, nil)
        }
        return (object["reason"] as? String, (object["score"] as? NSNumber)?.doubleValue)
    }
}
