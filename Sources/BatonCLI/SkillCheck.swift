import ArgumentParser
import BatonTesting
import Foundation

/// `baton skill check LIB.so`
struct SkillCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a skill library against the ABI; exit 0 if it conforms, 1 with the reasons if not, 3 if it needs --config.",
        discussion: """
            The library runs in a child process, so a skill that crashes gives a report, not a dead checker. \
            Checks: the entry symbol, ABI versions, struct_size, descriptor fields, create/destroy with empty \
            and given config, respond/detect on a battery of inputs (empty text, 64 KiB, emoji, right-to-left, \
            combining marks, attachments only, postback only, quick-reply payload only), valid output, the same \
            answer for the same input, concurrent calls when the skill declares itself thread-safe, and a time \
            budget per call. A skill that refuses the empty configuration {} with a reason, when no --config \
            was given, is reported as NEEDS CONFIG (exit 3): pass --config to check its calls. A --config value that \
            is neither a JSON object nor a readable file exits 2.
            """)

    @Argument(help: "The skill library (.so).")
    var library: String

    @Option(name: .long, help: "Configuration for the 'given config' check: a JSON object, or a file holding one.")
    var config: String?

    @Option(name: .long, help: "Time budget per call, in milliseconds.")
    var budgetMs: Int = 2000

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Flag(name: .long, help: .hidden)
    var child = false

    @Option(name: .long, help: ArgumentHelp(
        "Check a plain C function of the library against this prototype instead of the skill ABI.",
        valueName: "\"double refund_score(const char *text, size_t length)\""))
    var ffi: String?

    func run() async throws {
        if let ffi { return try await checkFunction(prototype: ffi) }
        let configJSON: String?
        // The child gets the JSON itself from its parent.
        do { configJSON = child ? config : try config.map(Self.configText) } catch {
            printError("skill check: \(error)")
            throw ExitCode(2)
        }
        let checker = SkillChecker(path: library, configJSON: configJSON, budget: .milliseconds(budgetMs))
        if child {
            await SkillCheckProcess.serve(checker)
            return
        }
        let arguments = ["skill", "check", "--child"] + (configJSON.map { ["--config", $0] } ?? [])
            + ["--budget-ms", "\(budgetMs)", library]
        let results = try SkillCheckProcess.run(
            executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(), arguments: arguments)
        let report = SkillCheckReport(library: library, checks: results)
        print(json ? report.json : report.text)
        if report.verdict != .pass { throw ExitCode(report.verdict.exitStatus) }
    }

    /// The configuration JSON `--config` names: the value itself when it starts with `{`,
    /// else the text of the file at that path.
    static func configText(_ value: String) throws -> String {
        if value.drop(while: \.isWhitespace).hasPrefix("{") { return value }
        guard let data = FileManager.default.contents(atPath: value) else {
            throw ConfigFileError(path: value)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A `--config` value that is neither a JSON object nor a readable file.
    struct ConfigFileError: Error, CustomStringConvertible {
        var path: String
        var description: String { "--config \(path): not a JSON object (it does not start with '{') and not a readable file" }
    }
}
