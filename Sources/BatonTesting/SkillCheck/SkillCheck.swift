public import BatonSkills
import BatonCore
import Foundation
import Logging
import NIOPosix

/// Runs the conformance checks of `baton skill check` against a library, in this process.
/// (`baton skill check` runs this in a child process, so a crash becomes a report.)
public struct SkillChecker: Sendable {
    /// The library.
    public var path: String
    /// The configuration handed to `create` in the "given config" check (`{}` when none was given).
    public var configJSON: String
    /// True when a configuration was given. Without one, a skill that refuses `{}` with a reason
    /// is not failed: the check reports that it needs a configuration.
    public var configGiven: Bool
    /// How long one respond or detect call may take.
    public var budget: Duration

    /// - Parameters:
    ///   - path: the library.
    ///   - configJSON: the configuration handed to `create` in the "given config" check; nil
    ///     when none was given (`{}` is used, and a refusal with a reason means "needs a configuration").
    ///   - budget: how long one respond or detect call may take.
    public init(path: String, configJSON: String? = nil, budget: Duration = .seconds(2)) {
        (self.path, self.configJSON, self.configGiven, self.budget) = (path, configJSON ?? "{}", configJSON != nil, budget)
    }

    /// The inputs every skill must survive.
    public static func battery() -> [(name: String, input: SkillInput)] {
        func input(text: String? = nil, payload: String? = nil, postback: SkillInput.Postback? = nil,
                   attachments: [SkillInput.Attachment] = []) -> SkillInput {
            SkillInput(
                message: .init(mid: "m_check", timestamp: 1_730_462_400_000, text: text, quickReplyPayload: payload,
                               postback: postback, attachments: attachments),
                conversation: .init(pageID: "109876543210987", psid: "5012345678901234", recentTurns: [],
                                    consecutiveFallbacks: 0, secondsSinceLastUserMessage: nil))
        }
        return [
            ("plain text", input(text: "hello, I need help with my order")),
            ("empty text", input(text: "")),
            ("64 KiB of text", input(text: String(repeating: "lorem ipsum ", count: 65_536 / 12 + 1))),
            ("emoji", input(text: "👋🏽 hi 🤖‍🔥 can you help? 🙏")),
            ("right-to-left script", input(text: "مرحبا، أريد التحدث إلى شخص שלום")),
            ("combining marks", input(text: "e\u{301}le\u{300}ve Z\u{335}\u{31b}a\u{337}l\u{336}g\u{334}o")),
            ("attachments only", input(attachments: [.init(type: "image", url: "https://example.com/a.jpg")])),
            ("postback only", input(postback: .init(title: "Get Started", payload: "GET_STARTED"))),
            ("quick-reply payload only", input(payload: "MENU_ORDERS")),
        ]
    }

    /// Runs every check, reporting each result as soon as it is known (and each check's
    /// name before it starts, so a crash can be pinned on it).
    public func run(starting: @Sendable (String) -> Void = { _ in }, report: @Sendable (SkillCheckResult) -> Void) async {
        starting("load")
        guard let skill = load(report: report) else { return }
        starting("exports")
        report(SkillExports.check(path: path))
        starting("create with empty config")
        report(Self.createWithEmptyConfig(skill))
        starting("create with given config")
        let instance: SkillInstance
        do {
            instance = try skill.makeInstance(configJSON: configJSON)
            report(.init(name: "create with given config", passed: true, detail: "created with \(configJSON.prefix(60))"))
        } catch {
            if !configGiven, let reason = error.skillReason {
                // Not broken: the skill wants a configuration the checker was not given.
                report(.needingConfig(
                    name: "create with given config",
                    detail: "no --config given and the skill refused {}: \(reason); \(SkillCheckReport.passConfigAdvice)"))
            } else {
                report(.init(name: "create with given config", passed: false, detail: error.message))
            }
            return
        }
        // Destroyed only when every call returned: destroy waits for calls still running.
        guard await runBattery(instance, skill, starting: starting, report: report) else { return }
        await checkConsistency(instance, skill, starting: starting, report: report)
        instance.destroy()
    }

    /// The `load` check: the library loads and describes itself.
    private func load(report: (SkillCheckResult) -> Void) -> LoadedSkill? {
        var logger = Logger(label: "baton.skill-check")
        logger.logLevel = .critical
        let loader = SkillLoader(logger: logger, threadPool: NIOThreadPool.singleton)
        let skill: LoadedSkill
        do { skill = try loader.load(path: path) } catch {
            report(.init(name: "load", passed: false, detail: error.message))
            return nil
        }
        let kinds = [skill.kind.contains(.responder) ? "responder" : nil, skill.kind.contains(.detector) ? "detector" : nil]
            .compactMap { $0 }.joined(separator: "+")
        report(.init(name: "load", passed: true,
                     detail: "\(skill.name) \(skill.version) (ABI 1.\(skill.abiMinor), \(kinds)\(skill.isThreadSafe ? ", thread-safe" : ""))"))
        return skill
    }

    /// The `create with empty config` check: created and destroyed, or refused with a reason.
    private static func createWithEmptyConfig(_ skill: LoadedSkill) -> SkillCheckResult {
        let name = "create with empty config"
        do {
            let instance = try skill.makeInstance(configJSON: "{}")
            instance.destroy()
            return .init(name: name, passed: true, detail: "created and destroyed")
        } catch {
            // Refusing an empty configuration is fine when the skill says why (set_error).
            if let reason = error.skillReason {
                return .init(name: name, passed: true, detail: "refused with a reason: \(reason)")
            }
            return .init(name: name, passed: false, detail: "\(error.message) without a reason (explain with set_error)")
        }
    }

    /// Every input of ``battery()`` through respond and detect; false when a call overran its
    /// budget (it still holds the instance: later calls would only queue behind it).
    private func runBattery(_ instance: SkillInstance, _ skill: LoadedSkill, starting: (String) -> Void,
                            report: (SkillCheckResult) -> Void) async -> Bool {
        for (name, input) in Self.battery() {
            if skill.kind.contains(.responder) {
                starting("respond: \(name)")
                let result = await check("respond: \(name)") { try await Self.describe(instance.respond(input)) }
                report(result)
                if result.overran { return false }
            }
            if skill.kind.contains(.detector) {
                starting("detect: \(name)")
                let result = await check("detect: \(name)") { try await Self.describe(instance.detect(input)) }
                report(result)
                if result.overran { return false }
            }
        }
        return true
    }

    /// The same answer twice for the same input, and, for a thread-safe skill, from 16 concurrent calls.
    private func checkConsistency(_ instance: SkillInstance, _ skill: LoadedSkill, starting: (String) -> Void,
                                  report: (SkillCheckResult) -> Void) async {
        starting("same answer for the same input")
        let probe = Self.battery()[0].input
        let first = await outcome { try await Self.answers(instance, skill, probe) }
        let second = await outcome { try await Self.answers(instance, skill, probe) }
        report(.init(name: "same answer for the same input", passed: first == second,
                     detail: first == second ? "identical" : "first: \(first.prefix(80)) / second: \(second.prefix(80))"))
        guard skill.isThreadSafe else { return }
        starting("concurrent calls")
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { await outcome { try await Self.answers(instance, skill, probe) } } }
            var all: [String] = []
            for await result in group { all.append(result) }
            return all
        }
        let consistent = Set(results).count == 1 && results.first == first
        report(.init(name: "concurrent calls", passed: consistent,
                     detail: consistent ? "16 concurrent calls agree" : "concurrent calls disagree or fail: \(Set(results).sorted().first?.prefix(80) ?? "")"))
    }

    /// Runs one call against the budget. The call runs in its own task, so a hung skill
    /// does not hold the checker: the result is reported when the budget runs out.
    private func check(_ name: String, _ body: @escaping @Sendable () async throws -> String) async -> SkillCheckResult {
        let start = ContinuousClock.now
        let race = CallRace()
        let call = Task { race.finish(await Result { try await body() }) }
        let timer = Task { [budget] in
            try? await Task.sleep(for: budget)
            race.finish(nil)
        }
        let result = await race.value()
        timer.cancel()
        _ = call
        let elapsed = ContinuousClock.now - start
        switch result {
        case .success(let text)?:
            return .init(name: name, passed: true, detail: "\(text) in \(Self.milliseconds(elapsed))")
        case .failure(let error)?:
            return .init(name: name, passed: false, detail: "\(error)")
        case nil:
            var result = SkillCheckResult(name: name, passed: false, detail: "no answer within the \(Self.milliseconds(budget)) budget")
            result.overran = true
            return result
        }
    }

    private static func answers(_ instance: SkillInstance, _ skill: LoadedSkill, _ input: SkillInput) async throws -> String {
        var parts: [String] = []
        if skill.kind.contains(.responder) { parts.append(describe(try await instance.respond(input))) }
        if skill.kind.contains(.detector) { parts.append(describe(try await instance.detect(input))) }
        return parts.joined(separator: " / ")
    }

    static func describe(_ reply: ReplyMessage?) -> String {
        guard let reply else { return "no answer" }
        var text: String
        switch reply.body {
        case .text(let body): text = "text of \(body.unicodeScalars.count) characters"
        case .attachment(let attachment): text = "attachment of \(attachment.json.utf8.count) bytes"
        }
        if !reply.quickReplies.isEmpty { text += " + \(reply.quickReplies.count) quick replies" }
        return text
    }

    static func describe(_ score: SkillScore) -> String {
        "score \(score.score)" + (score.reason.isEmpty ? "" : " (\(score.reason.prefix(60)))")
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.1f ms", ms)
    }
}

extension Result where Failure == any Error {
    /// Captures the result of an async throwing body.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

private func outcome(_ body: () async throws -> String) async -> String {
    do { return try await body() } catch { return "error: \(error)" }
}
