import BatonCore
import BatonTestSupport
import BatonTesting
import Foundation
import Testing

/// Transcripts that drive several bots: an `apps:` header (or `baton skill test --app`) names the
/// bots and their skills; `from` and `owner` name who answered and who owns the thread.
@Suite("Transcripts with several bots")
struct TranscriptSeveralBotsTests {
    static let example = TranscriptCommandTests.suite("billing-round-trip.yaml")

    /// A transcript whose bots are the example skills built in this package.
    static func header(_ turns: String) -> String {
        """
        name: inline bots
        apps:
          - name: concierge
            skills:
              - path: \(TestPaths.library("KeywordEscalation"))
                config: {keywords: [invoice]}
                escalate_to: billing
              - \(TestPaths.library("EchoSkill"))
          - name: billing
            app_id: "555000111"
            skills:
              - path: \(TestPaths.library("KeywordEscalation"))
                config: {keywords: [thanks]}
                escalate_to: back
              - \(TestPaths.library("EchoSkill"))
        turns:
        \(turns)
        """
    }

    // MARK: Reading

    @Test func theHeaderResolvesNamesIDsAndTargets() throws {
        let yaml = Self.header("""
              - user: my invoice
                expect: {from: billing, owner: billing, control_passed_to: billing}
              - agent_passes_control: concierge
                expect: {owner: human}
              - agent_passes_control: true
                expect: {owner: idle, control_passed_to: inbox}
            """)
        let transcript = try Transcript.parse(yaml: yaml, file: "inline")
        #expect(transcript.apps.map(\.name) == ["concierge", "billing"])
        let concierge = try #require(transcript.apps.first)
        #expect(concierge.defaultApp, "the first app is the default app when none says so")
        #expect(transcript.apps.last?.defaultApp == false)
        #expect(!concierge.id.isEmpty && concierge.id.allSatisfy(\.isNumber), "a generated id is numeric: \(concierge.id)")
        #expect(concierge.id != "555000111" && concierge.id != AppID.pageInbox.rawValue)
        #expect(concierge.skills.first?.escalation == .app("555000111"))
        #expect(concierge.skills.first?.configJSON == #"{"keywords":["invoice"]}"#)
        #expect(concierge.skills.last?.escalation == nil)
        #expect(transcript.apps.last?.skills.first?.escalation == .back)
        let first = transcript.turns[0].expect
        #expect(first.from == "555000111")
        #expect(first.owner == .app("555000111"))
        #expect(first.controlPassedTo == "555000111")
        #expect(transcript.turns[1].input == .agentPassesControl(to: concierge.id))
        #expect(transcript.turns[1].expect.owner == .agent)
        #expect(transcript.turns[2].input == .agentPassesControl(to: nil))
        #expect(transcript.turns[2].expect.controlPassedTo == AppID.pageInbox.rawValue)
    }

    @Test func mistakesInTheHeaderOrTheTurnsNameTheKey() {
        let cases: [(String, String)] = [
            (Self.header("  - user: hi\n    expect: {from: sales}\n"), "turn 1, key expect.from: must be one of the apps (concierge, billing), got 'sales'"),
            (Self.header("  - user: hi\n    expect: {owner: bot}\n"), "turn 1, key expect.owner: must be one of the apps"),
            (Self.header("  - agent_passes_control: sales\n"), "turn 1, key agent_passes_control: must be an app id or one of the apps"),
            ("name: x\nturns:\n  - user: hi\n    expect: {from: billing}\n", "turn 1, key expect.from: names one of several bots: add an apps: header"),
            ("name: x\napps:\n  - name: a\n    skills: [l.so]\n  - name: a\n    skills: [l.so]\nturns: []\n", "key apps[1].name: app a is listed twice"),
            ("name: x\napps:\n  - name: human\n    skills: [l.so]\nturns: []\n", "key apps[0].name: 'human' is a reserved word"),
            (
                "name: x\napps:\n  - {name: a, default_app: true, skills: [l.so]}\n  - {name: b, default_app: true, skills: [l.so]}\nturns: []\n",
                "key apps[1].default_app: a is already the default app"
            ),
            ("name: x\napps:\n  - name: a\n    skills: [{path: l.so, escalate_to: sales}]\nturns: []\n", "key apps[0].skills[0].escalate_to: must be human, back"),
            ("name: x\napps:\n  - name: a\n    skills: [{path: l.so, escalate_to: a}]\nturns: []\n", "key apps[0].skills[0].escalate_to: names this app itself"),
            ("name: x\nskill_config: {}\napps:\n  - name: a\n    skills: [l.so]\nturns: []\n", "key skill_config: with several bots each skill has its own config"),
            ("name: x\napps:\n  - name: a\n    app_id: abc\n    skills: [l.so]\nturns: []\n", "key apps[0].app_id: must be a numeric app id"),
        ]
        for (yaml, expected) in cases {
            #expect(throws: TranscriptParseError.self, "\(expected)") { try Transcript.parse(yaml: yaml, file: "x.yaml") }
            do {
                _ = try Transcript.parse(yaml: yaml, file: "x.yaml")
            } catch {
                #expect(error.description.hasPrefix("x.yaml: " + expected), "\(error)")
            }
        }
    }

    @Test func commandLineAppsAreReadLikeAHeader() throws {
        let apps = try Transcript.apps(commandLine: ["concierge=libKeywordEscalation.so@billing,libEchoSkill.so", "billing=libEchoSkill.so"])
        #expect(apps.map(\.name) == ["concierge", "billing"])
        #expect(apps.map(\.defaultApp) == [true, false])
        #expect(apps[0].skills.map(\.path) == ["libKeywordEscalation.so", "libEchoSkill.so"])
        #expect(apps[0].skills[0].escalation == .app(AppID(apps[1].id)))
        #expect(apps[0].id != apps[1].id)
        let transcript = try Transcript.parse(yaml: "name: x\nturns:\n  - user: hi\n    expect: {from: billing}\n", file: "x.yaml", apps: apps)
        #expect(transcript.turns[0].expect.from == apps[1].id)
        #expect(throws: TranscriptParseError.self) { try Transcript.apps(commandLine: ["concierge"]) }
        #expect(throws: TranscriptParseError.self) { try Transcript.apps(commandLine: ["a=l.so@nowhere"]) }
        #expect(throws: TranscriptParseError.self) {
            try Transcript.parse(yaml: Self.header("  - user: hi\n"), file: "x.yaml", apps: apps)
        }
    }

    // MARK: Running

    @Test func theExampleRoundTripPasses() async throws {
        let transcript = try Transcript.load(path: Self.example)
        let result = await TranscriptRunner(skillFolders: [TestPaths.buildProducts]).run(transcript)
        #expect(result.setupError == nil, "\(TranscriptReport.text([result]))")
        #expect(result.turns.count == 10)
        #expect(result.passed, "\(TranscriptReport.text([result]))")
    }

    @Test func aWrongAppIsReportedWithTheTurnAndBothApps() async throws {
        let yaml = Self.header("""
              - user: hello
                expect: {reply: "You said: hello", from: billing, owner: billing}
              - user: my invoice
                expect: {from: billing, owner: billing}
              - user: thanks
                expect: {from: billing, owner: billing}
            """)
        let result = await TranscriptRunner().run(try Transcript.parse(yaml: yaml, file: "wrong-app.yaml"))
        #expect(result.setupError == nil)
        #expect(result.turns.map(\.passed) == [false, true, false])
        let report = TranscriptReport.text([result])
        let lines = report.split(separator: "\n").map(String.init)
        #expect(lines.contains("  turn 1: user \"hello\""), "\(report)")
        #expect(lines.contains("  - expected: reply from billing"), "\(report)")
        #expect(lines.contains("  + actual: reply from concierge"), "\(report)")
        #expect(lines.contains("  - expected: owner billing"), "\(report)")
        #expect(lines.contains("  + actual: owner concierge"), "\(report)")
        #expect(lines.contains("  turn 3: user \"thanks\""), "\(report)")
        #expect(report.contains("concierge  \"You said: hello\""), "the transcript so far names the apps")
        #expect(lines.last == "1 passed, 2 failed", "\(report)")
    }

    @Test func aMissingLibraryInTheHeaderIsASetupFailureNamingIt() async throws {
        let yaml = "name: x\napps:\n  - name: a\n    skills: [libNothingHere.so]\nturns:\n  - user: hi\n"
        let result = await TranscriptRunner(skillFolders: ["/nonexistent"]).run(try Transcript.parse(yaml: yaml, file: "/tmp/x.yaml"))
        #expect(!result.passed)
        #expect(result.setupError?.contains("libNothingHere.so") == true, "\(result.setupError ?? "")")
        #expect(result.setupError?.contains("/nonexistent") == true, "\(result.setupError ?? "")")
    }

    // MARK: The command

    @Test func theExampleRunsWithoutALibraryFindingSkillsBesideBaton() async throws {
        let run = try await CommandLineTests.baton(["skill", "test", Self.example], timeout: .seconds(180))
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").last == "10 passed, 0 failed", "\(run.stdout)")
    }

    static let headerless = """
        name: bots from the command line
        turns:
          - user: hello
            expect: {reply: "You said: hello", from: concierge, owner: concierge}
          - user: I want a person
            expect: {reply: "You said: I want a person", from: billing, owner: billing}
        """

    @Test func appOptionsDefineTheBotsOfATranscriptWithoutAHeader() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-transcripts")
        let path = try TranscriptCommandTests.temporaryFile("bots.yaml", Self.headerless, in: folder)
        let keywords = TestPaths.library("KeywordEscalation")
        let echo = TestPaths.library("EchoSkill")
        let run = try await CommandLineTests.baton(
            ["skill", "test", "--app", "concierge=\(keywords)@billing,\(echo)", "--app", "billing=libEchoSkill.so", path],
            timeout: .seconds(180))
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").last == "2 passed, 0 failed", "\(run.stdout)")

        let wrong = try await CommandLineTests.baton(
            ["skill", "test", "--app", "billing=\(echo)", "--app", "concierge=\(keywords)@billing,\(echo)", path], timeout: .seconds(180))
        #expect(wrong.status == 1, "\(wrong.stdout)\n\(wrong.stderr)")
        #expect(wrong.stdout.contains("  - expected: reply from concierge\n  + actual: reply from billing"), "\(wrong.stdout)")
    }

    @Test func aTranscriptWithoutBotsOrWithTwoDefinitionsIsRefused() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-transcripts")
        let headerless = try TranscriptCommandTests.temporaryFile("bots.yaml", Self.headerless, in: folder)
        let none = try await CommandLineTests.baton(["skill", "test", headerless], timeout: .seconds(30))
        #expect(none.status == 2, "\(none.stderr)")
        #expect(none.stderr.hasPrefix(headerless + ": turn 1, key expect.from: names one of several bots: add an apps: header"), "\(none.stderr)")
        let plain = try TranscriptCommandTests.temporaryFile("plain.yaml", "name: x\nturns:\n  - user: hi\n", in: folder)
        let noLibrary = try await CommandLineTests.baton(["skill", "test", plain], timeout: .seconds(30))
        #expect(noLibrary.status == 2, "\(noLibrary.stderr)")
        #expect(noLibrary.stderr == plain + ": has no apps: header: give the skill library (baton skill test LIB.so FILE) or --app\n")
        #expect(noLibrary.stdout.isEmpty, "nothing runs")
        let both = try await CommandLineTests.baton(["skill", "test", "--app", "a=libEchoSkill.so", Self.example], timeout: .seconds(30))
        #expect(both.status == 2, "\(both.stderr)")
        #expect(both.stderr.hasPrefix(Self.example + ": key apps: this transcript names its own bots: leave out --app"), "\(both.stderr)")
        let badOption = try await CommandLineTests.baton(["skill", "test", "--app", "a=l.so@nowhere", headerless], timeout: .seconds(30))
        #expect(badOption.status == 2, "\(badOption.stderr)")
        #expect(badOption.stderr.hasPrefix("--app: key a.skills[0].escalate_to: must be human, back"), "\(badOption.stderr)")
    }
}
