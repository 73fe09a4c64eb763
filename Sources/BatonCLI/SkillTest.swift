import ArgumentParser
import BatonTesting
import Foundation

/// `baton skill test LIB.so [--with OTHER.so ...] [--junit FILE] FILE...`
struct SkillTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run conversation transcripts against a skill; exit 0 if every turn passes, 1 if not.",
        discussion: """
            Each transcript (YAML, see docs/transcripts.md) runs in a fresh Baton runtime wired to the \
            Messenger simulator over loopback HTTP, with LIB (given the transcript's skill_config) and the \
            --with libraries loaded in order. Turns never sleep: each waits until the thread's work is done, \
            then compares what happened with its expectations. Failed turns are reported as - expected / \
            + actual lines with the conversation so far; the last line is 'N passed, M failed' (in turns). \
            A transcript that cannot be parsed is reported in one line naming the turn and key, and exits 2.
            """)

    @Argument(help: "The skill library under test (.so).")
    var library: String

    @Option(name: .long, help: "Another skill library to load with it (repeatable, in order).")
    var with: [String] = []

    @Option(name: .long, help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Argument(help: "Transcript files (YAML).")
    var files: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one transcript file") }
    }

    func run() async throws {
        var transcripts: [Transcript] = []
        for file in files {
            do {
                transcripts.append(try Transcript.load(path: file))
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        let runner = TranscriptRunner(skill: Self.absolute(library), with: with.map(Self.absolute))
        let results = await runner.run(transcripts)
        print(TranscriptReport.text(results))
        if let junit {
            do {
                try TranscriptReport.junit(results).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("cannot write \(junit): \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        if !results.allSatisfy(\.passed) { throw ExitCode(1) }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
