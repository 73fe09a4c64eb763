import ArgumentParser
import BatonTesting
import Foundation

/// `baton skill test [LIB.so] [--with OTHER.so ...] [--app NAME=LIB.so[,LIB2.so] ...] [--junit FILE] FILE...`
struct SkillTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run conversation transcripts against a skill or several bots; exit 0 if every turn passes, 1 if not.",
        discussion: """
            Each transcript (YAML, see docs/transcripts.md) runs in a fresh Baton runtime wired to the \
            Messenger simulator over loopback HTTP, with LIB (given the transcript's skill_config) and the \
            --with libraries loaded in order. Turns never sleep: each waits until the thread's work is done, \
            then compares what happened with its expectations. Failed turns are reported as - expected / \
            + actual lines with the conversation so far; the last line is 'N passed, M failed' (in turns). \
            A transcript that cannot be parsed is reported in one line naming the turn and key, and exits 2.

            Several bots: a transcript whose apps: header names the bots and their skills needs no LIB \
            (relative library paths are found in the transcript's folder, then beside this executable). \
            For transcripts without a header, --app NAME=LIB.so[,LIB2.so] (repeatable, the first is the \
            default app) defines the bots instead of LIB; LIB.so@TARGET sets that library's escalate_to \
            (human, back, another app's name or an app id).
            """)

    @Argument(help: "The skill library under test (.so); leave it out with --app or transcripts with an apps: header.")
    var library: String?

    @Option(name: .long, help: "Another skill library to load with it (repeatable, in order).")
    var with: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A bot for transcripts without an apps: header: NAME=LIB.so[@TARGET][,LIB2.so...] (repeatable; the first is the default app).",
            valueName: "name=libs"))
    var app: [String] = []

    @Option(name: .long, help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Argument(help: "Transcript files (YAML).")
    var files: [String] = []

    /// The library and the transcripts: a first argument ending in .yaml or .yml is a transcript.
    var inputs: (library: String?, files: [String]) {
        guard let library else { return (nil, files) }
        return Self.isTranscript(library) ? (nil, [library] + files) : (library, files)
    }

    static func isTranscript(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") }

    func validate() throws {
        let (library, files) = inputs
        if files.isEmpty { throw ValidationError("give at least one transcript file") }
        if library != nil, !app.isEmpty { throw ValidationError("give either LIB.so or --app, not both") }
        if library == nil, !with.isEmpty { throw ValidationError("--with goes with LIB.so; with --app list the libraries after NAME=") }
    }

    func run() async throws {
        let (library, files) = inputs
        let apps: [Transcript.App]
        do {
            apps = try Transcript.apps(commandLine: app).map(Self.locating)
        } catch {
            throw Self.failure("\(error)")
        }
        var transcripts: [Transcript] = []
        for file in files {
            let transcript: Transcript
            do {
                transcript = try Transcript.load(path: file, apps: apps)
            } catch {
                throw Self.failure("\(error)")
            }
            if library == nil, !transcript.hostsSeveralBots {
                throw Self.failure("\(file): has no apps: header: give the skill library (baton skill test LIB.so FILE) or --app")
            }
            transcripts.append(transcript)
        }
        let runner = TranscriptRunner(
            skill: library.map(Self.absolute) ?? "", with: with.map(Self.absolute), skillFolders: [SkillLocator.executableFolder()])
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

    /// One line on standard error, exit 2: a transcript or an option that cannot be read.
    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        return ExitCode(2)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// An `--app` library relative to the working directory, else beside the `baton` executable.
    static func locating(_ app: Transcript.App) -> Transcript.App {
        var app = app
        for index in app.skills.indices {
            let path = app.skills[index].path
            let beside = SkillLocator.executableFolder() + "/" + path
            let found = path.hasPrefix("/") || FileManager.default.fileExists(atPath: absolute(path))
            app.skills[index].path = found || !FileManager.default.fileExists(atPath: beside) ? absolute(path) : beside
        }
        return app
    }
}
