import ArgumentParser
import BatonRuntime
import Foundation
import Logging

/// `baton skill host`: a skill worker process, started by `baton serve` for skills with
/// `isolation: process` and for the start-up check of in-process skills. Not for people to
/// run: it speaks the framed protocol of docs/skill-isolation.md on its standard input and
/// output.
struct SkillHost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Serve one skill to baton serve over standard input and output (internal).",
        shouldDisplay: false)

    @Option(name: .long, help: "The level the worker logs at, on standard error.")
    var logLevel: String = "info"

    func run() throws {
        LoggingBootstrap.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .info)
        let status = WorkerHost.run(logger: Logger(label: "baton.worker"))
        if status != 0 { throw ExitCode(status) }
    }
}
