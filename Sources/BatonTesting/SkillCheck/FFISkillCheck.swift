public import BatonSkills
import BatonCore
import Foundation
import Logging
import NIOPosix

/// The checks of `baton skill check --ffi PROTOTYPE LIB.so`: a plain C function against its
/// declared prototype, in this process (`baton skill check` runs it in a child process, so a
/// function that crashes gives a report naming the signal and the call).
///
/// Checks: the prototype parses and fits the kind; the library opens and exports the symbol;
/// a call on each text of the checker's battery returns a valid result (a score in [0, 1], or a
/// reply that fits its buffer and is UTF-8) within the budget; and 16 concurrent calls agree,
/// since the runtime calls a plain function from several threads at once.
public struct FFISkillChecker: Sendable {
    /// The library.
    public var path: String
    /// The function's prototype as declared.
    public var prototype: String
    /// `.responder` or `.detector`; nil: what the prototype's shape says (a responder when it
    /// ends with `char *out, size_t out_capacity`).
    public var kind: SkillKind?
    /// How long one call may take.
    public var budget: Duration

    /// - Parameters:
    ///   - path: the library.
    ///   - prototype: the function's prototype, e.g. `double refund_score(const char *text, size_t length)`.
    ///   - kind: the kind (nil: from the prototype's shape).
    ///   - budget: how long one call may take.
    public init(path: String, prototype: String, kind: SkillKind? = nil, budget: Duration = .seconds(2)) {
        (self.path, self.prototype, self.kind, self.budget) = (path, prototype, kind, budget)
    }

    /// Runs every check, reporting each result as soon as it is known (and each check's name
    /// before it starts, so a crash can be pinned on it).
    public func run(starting: @Sendable (String) -> Void = { _ in }, report: @Sendable (SkillCheckResult) -> Void) async {
        starting("prototype")
        let parsed: FFIPrototype
        let kind: SkillKind
        do throws(FFISkillError) {
            parsed = try FFIPrototype(parsing: prototype)
            kind = self.kind ?? parsed.inferredKind
            try parsed.check(for: kind)
        } catch {
            report(.init(name: "prototype", passed: false, detail: error.message))
            return
        }
        report(.init(name: "prototype", passed: true, detail: "\(parsed): a \(kind)"))
        starting("symbol")
        var logger = Logger(label: "baton.skill-check")
        logger.logLevel = .critical
        let skill: FFISkill
        do throws(FFISkillError) {
            skill = try FFISkill.bind(library: path, prototype: parsed, kind: kind, threadPool: .singleton, logger: logger)
        } catch {
            report(.init(name: "symbol", passed: false, detail: error.message))
            return
        }
        report(.init(name: "symbol", passed: true, detail: "'\(parsed.name)' found in \(path)"))
        let operation = kind == .responder ? "respond" : "detect"
        var first: String?
        for (name, input) in SkillChecker.battery() where input.message.text != nil {
            let check = "\(operation): \(name)"
            starting(check)
            let (result, answer) = await call(check, skill, input)
            report(result)
            if result.overran { return }
            if first == nil { first = answer }
        }
        starting("concurrent calls")
        let probe = SkillChecker.battery()[0].input
        let answers = await withTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { await Self.answer(skill, probe) } }
            var all: [String] = []
            for await answer in group { all.append(answer) }
            return all
        }
        let agree = Set(answers).count == 1 && answers.first == first
        report(.init(
            name: "concurrent calls", passed: agree,
            detail: agree ? "16 concurrent calls agree" : "concurrent calls disagree or fail: \(Set(answers).sorted().first?.prefix(80) ?? "")"))
    }

    /// One call against the budget, in its own task so a hung function does not hold the checker.
    private func call(_ name: String, _ skill: FFISkill, _ input: SkillInput) async -> (SkillCheckResult, String?) {
        let start = ContinuousClock.now
        let race = CallRace()
        let call = Task { race.finish(await Result { try await Self.describe(skill, input) }) }
        let timer = Task { [budget] in
            try? await Task.sleep(for: budget)
            race.finish(nil)
        }
        let outcome = await race.value()
        timer.cancel()
        _ = call
        let elapsed = ContinuousClock.now - start
        switch outcome {
        case .success(let text)?:
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            return (.init(name: name, passed: true, detail: "\(text) in \(String(format: "%.1f ms", ms))"), text)
        case .failure(let error)?:
            return (.init(name: name, passed: false, detail: "\(error)"), "error: \(error)")
        case nil:
            var result = SkillCheckResult(name: name, passed: false, detail: "no answer within the \(budget) budget")
            result.overran = true
            return (result, nil)
        }
    }

    private static func describe(_ skill: FFISkill, _ input: SkillInput) async throws -> String {
        if skill.kind == .responder { return SkillChecker.describe(try await skill.respond(input)) }
        return SkillChecker.describe(try await skill.detect(input))
    }

    private static func answer(_ skill: FFISkill, _ input: SkillInput) async -> String {
        do { return try await describe(skill, input) } catch { return "error: \(error)" }
    }
}

extension SkillCheckProcess {
    /// The child side of `baton skill check --ffi`: runs every check of `checker`, writing
    /// each event on standard output at once.
    /// - Parameter checker: the checks to run, in this process.
    public static func serve(_ checker: FFISkillChecker) async {
        await checker.run(
            starting: { name in writeEvent(Event(start: name)) },
            report: { result in writeEvent(Event(result: result)) })
    }

    private static func writeEvent(_ event: Event) {
        guard let data = try? JSONEncoder().encode(event) else { return }
        FileHandle.standardOutput.write(data + Data([UInt8(ascii: "\n")]))
    }
}
