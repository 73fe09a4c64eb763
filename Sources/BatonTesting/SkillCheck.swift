public import BatonSkills
import Foundation
import Logging
import NIOPosix

/// The result of one check of a skill library.
public struct SkillCheckResult: Sendable, Equatable, Codable {
    /// The check's name (`load`, `respond: emoji`...).
    public var name: String
    public var passed: Bool
    /// One line: what was found.
    public var detail: String
    public init(name: String, passed: Bool, detail: String) {
        self.name = name
        self.passed = passed
        self.detail = detail
    }
}

/// Runs the conformance checks of `baton skill check` against a library, in this process.
/// (`baton skill check` runs this in a child process, so a crash becomes a report.)
public struct SkillChecker: Sendable {
    /// The library.
    public var path: String
    /// The configuration handed to `create` in the "given config" check.
    public var configJSON: String
    /// How long one respond or detect call may take.
    public var budget: Duration

    public init(path: String, configJSON: String = "{}", budget: Duration = .seconds(2)) {
        self.path = path
        self.configJSON = configJSON
        self.budget = budget
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
        var logger = Logger(label: "baton.skill-check")
        logger.logLevel = .critical
        let loader = SkillLoader(logger: logger, threadPool: NIOThreadPool.singleton)
        starting("load")
        let skill: LoadedSkill
        do { skill = try loader.load(path: path) } catch {
            report(.init(name: "load", passed: false, detail: error.message))
            return
        }
        let kinds = [skill.kind.contains(.responder) ? "responder" : nil, skill.kind.contains(.detector) ? "detector" : nil]
            .compactMap { $0 }.joined(separator: "+")
        report(.init(name: "load", passed: true,
                     detail: "\(skill.name) \(skill.version) (ABI 1.\(skill.abiMinor), \(kinds)\(skill.isThreadSafe ? ", thread-safe" : ""))"))

        starting("create with empty config")
        do {
            let instance = try skill.makeInstance(configJSON: "{}")
            instance.destroy()
            report(.init(name: "create with empty config", passed: true, detail: "created and destroyed"))
        } catch {
            report(.init(name: "create with empty config", passed: false, detail: error.message))
        }
        starting("create with given config")
        let instance: SkillInstance
        do {
            instance = try skill.makeInstance(configJSON: configJSON)
            report(.init(name: "create with given config", passed: true, detail: "created with \(configJSON.prefix(60))"))
        } catch {
            report(.init(name: "create with given config", passed: false, detail: error.message))
            return
        }
        defer { instance.destroy() }

        for (name, input) in Self.battery() {
            if skill.kind.contains(.responder) {
                starting("respond: \(name)")
                report(await check("respond: \(name)") { try await Self.describe(instance.respond(input)) })
            }
            if skill.kind.contains(.detector) {
                starting("detect: \(name)")
                report(await check("detect: \(name)") { try await Self.describe(instance.detect(input)) })
            }
        }

        starting("same answer for the same input")
        let probe = Self.battery()[0].input
        let first = await outcome { try await Self.answers(instance, skill, probe) }
        let second = await outcome { try await Self.answers(instance, skill, probe) }
        report(.init(name: "same answer for the same input", passed: first == second,
                     detail: first == second ? "identical" : "first: \(first.prefix(80)) / second: \(second.prefix(80))"))

        if skill.isThreadSafe {
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
    }

    private func check(_ name: String, _ body: @escaping @Sendable () async throws -> String) async -> SkillCheckResult {
        let start = ContinuousClock.now
        let result: Result<String, any Error>? = await withTaskGroup(of: Result<String, any Error>?.self) { group in
            group.addTask { do { return .success(try await body()) } catch { return .failure(error) } }
            group.addTask { try? await Task.sleep(for: budget); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        let elapsed = ContinuousClock.now - start
        switch result {
        case .success(let text)?:
            return .init(name: name, passed: true, detail: "\(text) in \(Self.milliseconds(elapsed))")
        case .failure(let error)?:
            return .init(name: name, passed: false, detail: "\(error)")
        case nil:
            return .init(name: name, passed: false, detail: "no answer within the \(Self.milliseconds(budget)) budget")
        }
    }

    private static func answers(_ instance: SkillInstance, _ skill: LoadedSkill, _ input: SkillInput) async throws -> String {
        var parts: [String] = []
        if skill.kind.contains(.responder) { parts.append(describe(try await instance.respond(input))) }
        if skill.kind.contains(.detector) { parts.append(describe(try await instance.detect(input))) }
        return parts.joined(separator: " / ")
    }

    static func describe(_ reply: SkillReply?) -> String {
        guard let reply else { return "no answer" }
        var text: String
        switch reply.body {
        case .text(let body): text = "text of \(body.unicodeScalars.count) characters"
        case .attachment(let json): text = "attachment of \(json.utf8.count) bytes"
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

private func outcome(_ body: () async throws -> String) async -> String {
    do { return try await body() } catch { return "error: \(error)" }
}
