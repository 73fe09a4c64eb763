import Foundation

/// Runs a ``SkillChecker`` in a child process, so a skill that crashes gives a report, not a
/// dead checker.
///
/// The parent starts an executable whose arguments make it call ``serve(_:)``; the child writes
/// one JSON line on standard output per event (`{"start": NAME}` before a check, `{"result": …}`
/// after it). The parent reads them, and a child that dies becomes a failed `no crash` check
/// naming the signal and the check that was running.
public enum SkillCheckProcess {
    /// The child side: runs every check, writing each event on standard output at once.
    /// - Parameter checker: the checks to run, in this process.
    public static func serve(_ checker: SkillChecker) async {
        await checker.run(
            starting: { name in write(Event(start: name)) },
            report: { result in write(Event(result: result)) })
    }

    /// The parent side: runs the child and reads its results.
    /// - Parameters:
    ///   - executable: the program to start (often this one: `/proc/self/exe`).
    ///   - arguments: the arguments that make it call ``serve(_:)``.
    /// - Returns: the results in order, ending with a failed `no crash` check when the child died,
    ///   or a failed `load` check when it produced none.
    /// - Throws: when the child cannot be started.
    public static func run(executable: URL, arguments: [String]) throws -> [SkillCheckResult] {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // Swift's crash backtracer would keep a crashing child alive for seconds (while its other
        // threads go on reporting): the child should die at once, so the crash is pinned on its check.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readAllRetryingInterrupts()
        process.waitUntilExit()
        var (results, running) = read(data)
        if let last = ending(process, running: running, resultCount: results.count) { results.append(last) }
        return results
    }

    /// The results in the child's output, and the check that started without a result.
    static func read(_ output: Data) -> (results: [SkillCheckResult], running: String?) {
        var results: [SkillCheckResult] = []
        var running: String?
        for line in output.split(separator: UInt8(ascii: "\n")) {
            guard let event = try? JSONDecoder().decode(Event.self, from: Data(line)) else { continue }
            if let start = event.start { running = start }
            if let result = event.result {
                results.append(result)
                running = nil
            }
        }
        return (results, running)
    }

    /// The result a child's end adds: a crash, a failing exit status, or no result at all.
    private static func ending(_ process: Process, running: String?, resultCount: Int) -> SkillCheckResult? {
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal {
            return .init(
                name: "no crash", passed: false,
                detail: "the skill crashed the process with signal \(status) (\(signalName(status)))"
                    + (running.map { " during '\($0)'" } ?? ""))
        }
        if status != 0 {
            return .init(name: "no crash", passed: false, detail: "the checker process exited with status \(status)")
        }
        if resultCount == 0 {
            return .init(name: "load", passed: false, detail: "the checker produced no result")
        }
        return nil
    }

    /// One line of the child's output.
    struct Event: Codable {
        var start: String?
        var result: SkillCheckResult?
    }

    private static func write(_ event: Event) {
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
