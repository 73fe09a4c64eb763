import ArgumentParser
import BatonTesting
import Foundation

/// `baton skill check LIB.so`
struct SkillCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a skill library against the ABI; exit 0 if it conforms, 1 with the reasons if not.",
        discussion: """
            The library runs in a child process, so a skill that crashes gives a report, not a dead checker. \
            Checks: the entry symbol, ABI versions, struct_size, descriptor fields, create/destroy with empty \
            and given config, respond/detect on a battery of inputs (empty text, 64 KiB, emoji, right-to-left, \
            combining marks, attachments only, postback only, quick-reply payload only), valid output, the same \
            answer for the same input, concurrent calls when the skill declares itself thread-safe, and a time \
            budget per call.
            """)

    @Argument(help: "The skill library (.so).")
    var library: String

    @Option(name: .long, help: "Configuration JSON for the 'given config' check.")
    var config: String = "{}"

    @Option(name: .long, help: "Time budget per call, in milliseconds.")
    var budgetMs: Int = 2000

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Flag(name: .long, help: .hidden)
    var child = false

    func run() async throws {
        let checker = SkillChecker(path: library, configJSON: config, budget: .milliseconds(budgetMs))
        if child {
            // One JSON line per event on stdout, flushed at once, for the parent to read.
            await checker.run(
                starting: { name in Self.emit(["start": name]) },
                report: { result in Self.emit(["result": result]) })
            return
        }
        let results = try await runChild()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = SkillCheckReport(library: library, passed: results.allSatisfy(\.passed), checks: results)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for result in results { print("\(result.passed ? "PASS" : "FAIL")  \(result.name): \(result.detail)") }
            let failed = results.filter { !$0.passed }.count
            print(failed == 0 ? "\(results.count) checks passed" : "\(failed) of \(results.count) checks failed")
        }
        if !results.allSatisfy(\.passed) { throw ExitCode(1) }
    }

    /// Runs the checks in a child `baton skill check --child` and turns a crash into a result.
    private func runChild() async throws -> [SkillCheckResult] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["skill", "check", "--child", "--config", config, "--budget-ms", "\(budgetMs)", library]
        // Swift's crash backtracer would keep a crashing child alive for seconds (while its other
        // threads go on reporting): the child should die at once, so the crash is pinned on its check.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var results: [SkillCheckResult] = []
        var current: String?
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let event = try? JSONDecoder().decode(ChildEvent.self, from: Data(line)) else { continue }
            if let start = event.start { current = start }
            if let result = event.result {
                results.append(result)
                current = nil
            }
        }
        if process.terminationReason == .uncaughtSignal {
            let signal = process.terminationStatus
            results.append(.init(
                name: "no crash", passed: false,
                detail: "the skill crashed the process with signal \(signal) (\(Self.signalName(signal)))"
                    + (current.map { " during '\($0)'" } ?? "")))
        } else if process.terminationStatus != 0 {
            results.append(.init(name: "no crash", passed: false, detail: "the checker process exited with status \(process.terminationStatus)"))
        } else if results.isEmpty {
            results.append(.init(name: "load", passed: false, detail: "the checker produced no result"))
        }
        return results
    }

    private struct ChildEvent: Codable {
        var start: String?
        var result: SkillCheckResult?
    }

    private struct SkillCheckReport: Codable {
        var library: String
        var passed: Bool
        var checks: [SkillCheckResult]
    }

    private static func emit(_ event: [String: String]) {
        emitLine(ChildEvent(start: event["start"], result: nil))
    }

    private static func emit(_ event: [String: SkillCheckResult]) {
        emitLine(ChildEvent(start: nil, result: event["result"]))
    }

    private static func emitLine(_ event: ChildEvent) {
        guard let data = try? JSONEncoder().encode(event) else { return }
        FileHandle.standardOutput.write(data + Data([UInt8(ascii: "\n")]))
    }

    private static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGILL: "SIGILL"
        case SIGFPE: "SIGFPE"
        case SIGKILL: "SIGKILL"
        case SIGTRAP: "SIGTRAP"
        default: "signal \(signal)"
        }
    }
}
