import BatonTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `baton skill test`: the transcript suites of the example skills, run by the real binary.
@Suite("baton skill test")
struct TranscriptCommandTests {
    /// Tests/Transcripts, located from this file.
    static let transcripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Transcripts").path

    static func suite(_ name: String) -> String { transcripts + "/" + name }

    /// The path of `name` in `folder`, written with `text` when there is one.
    static func temporaryFile(_ name: String, _ text: String? = nil, in folder: TemporaryDirectory) throws -> String {
        let path = folder.file(name)
        if let text { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        return path
    }

    @Test(arguments: [
        ("EchoSkill", [String](), "echo.yaml"),
        ("KeywordEscalation", [], "keyword-escalation.yaml"),
        ("FAQSkill", [], "faq.yaml"),
        ("EchoSkill", ["KeywordEscalation"], "handover.yaml"),
    ])
    func exampleSkillSuitesPass(skill: String, with: [String], file: String) async throws {
        let arguments = ["skill", "test", TestPaths.library(skill)] + with.flatMap { ["--with", TestPaths.library($0)] }
            + [Self.suite(file)]
        let run = try await CommandLineTests.baton(arguments, timeout: .seconds(180))
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix(" passed, 0 failed"), "\(run.stdout)")
        #expect(!last.hasPrefix("0 passed"), "\(run.stdout)")
    }

    static let wrong = """
        name: wrong on purpose
        turns:
          - user: hello
            expect: {reply: "You said: goodbye", owner: agent}
          - user: hi
            expect: {reply: "You said: hi"}
          - user: third
            expect: {no_reply: true}
        """

    @Test func aWrongTranscriptFailsWithDiffLinesAndTheTranscriptSoFar() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-transcripts")
        let path = try Self.temporaryFile("wrong.yaml", Self.wrong, in: folder)
        let run = try await CommandLineTests.baton(["skill", "test", TestPaths.library("EchoSkill"), path])
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("  turn 1: user \"hello\""), "\(run.stdout)")
        #expect(lines.contains("  - expected: reply \"You said: goodbye\""), "\(run.stdout)")
        #expect(lines.contains("  + actual: 1 reply: \"You said: hello\""), "\(run.stdout)")
        #expect(lines.contains("  - expected: owner agent"), "\(run.stdout)")
        #expect(lines.contains("  + actual: owner bot"), "\(run.stdout)")
        #expect(lines.contains("  turn 3: user \"third\""), "\(run.stdout)")
        #expect(lines.contains("  + actual: 1 reply: \"You said: third\""), "\(run.stdout)")
        #expect(!lines.contains("  turn 2: user \"hi\""), "\(run.stdout)")
        #expect(run.stdout.contains("bot        \"You said: hello\""), "the transcript so far is shown")
        #expect(lines.last == "1 passed, 2 failed", "\(run.stdout)")
    }

    @Test func junitReportIsValidXMLWithTheRightCounts() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-transcripts")
        let wrong = try Self.temporaryFile("wrong.yaml", Self.wrong, in: folder)
        let report = try Self.temporaryFile("report.xml", in: folder)
        let run = try await CommandLineTests.baton(
            ["skill", "test", TestPaths.library("EchoSkill"), "--junit", report, Self.suite("echo.yaml"), wrong],
            timeout: .seconds(180))
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: report))
        let counts = try JUnitCounts.parse(data)
        #expect(counts.suites.map(\.name) == ["echo answers text", "wrong on purpose"])
        #expect(counts.suites.map(\.tests) == [9, 3])
        #expect(counts.suites.map(\.failures) == [0, 2])
        #expect(counts.testcases == 12)
        #expect(counts.failureElements == 2)
        #expect(counts.total.0 == 12)
        #expect(counts.total.1 == 2)
    }

    @Test func helpDescribesTheCommand() async throws {
        let run = try await CommandLineTests.baton(["skill", "test", "--help"], timeout: .seconds(30))
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE"))
        #expect(run.stdout.contains("--junit"))
        #expect(run.stdout.contains("--with"))
    }

    @Test func parseErrorsNameTheTurnAndKeyInOneLine() async throws {
        let cases: [(String, String)] = [
            ("name: x\nturns:\n  - user: hi\n  - user: a\n    expect: {reply_matchs: x}\n", "turn 2, key expect.reply_matchs: unknown key"),
            ("name: x\nturns:\n  - user: hi\n    expect: {reply_matches: \"([a\"}\n", "turn 1, key expect.reply_matches: not a valid regular expression"),
            ("name: x\nturns:\n  - advance_clock: 3 weeks\n", "turn 1, key advance_clock: must be a number with s, m, h or d"),
            ("name: x\nturns:\n  - user: {postback: {title: Go}}\n", "turn 1, key user.postback.payload: is required"),
            ("name: x\nturns:\n  - user: a\n  - user: b\n  - expect: {owner: bot}\n", "turn 3: a turn needs exactly one of user"),
            ("turns: []\n", "key name: is required"),
        ]
        for (text, expected) in cases {
            let folder = try TemporaryDirectory(prefix: "baton-transcripts")
            let path = try Self.temporaryFile("bad.yaml", text, in: folder)
            let run = try await CommandLineTests.baton(["skill", "test", TestPaths.library("EchoSkill"), path], timeout: .seconds(30))
            #expect(run.status == 2, "\(run.stderr)")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(run.stderr)")
            #expect(run.stderr.hasPrefix(path + ": " + expected), "\(run.stderr)")
            #expect(run.stdout.isEmpty, "nothing runs when a transcript is bad")
        }
    }
}

/// Counts read from a JUnit XML report with a real XML parser (so malformed XML fails the test).
struct JUnitCounts {
    struct Suite {
        var name: String
        var tests: Int
        var failures: Int
    }
    var suites: [Suite] = []
    var testcases = 0
    var failureElements = 0
    var total = (0, 0)

    static func parse(_ data: Data) throws -> JUnitCounts {
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw XMLError(description: "not valid XML: \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        return delegate.counts
    }

    struct XMLError: Error, CustomStringConvertible {
        var description: String
    }

    final class Delegate: NSObject, XMLParserDelegate {
        var counts = JUnitCounts()
        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch elementName {
            case "testsuites": counts.total = (Int(attributes["tests"] ?? "") ?? -1, Int(attributes["failures"] ?? "") ?? -1)
            case "testsuite":
                counts.suites.append(.init(
                    name: attributes["name"] ?? "", tests: Int(attributes["tests"] ?? "") ?? -1,
                    failures: Int(attributes["failures"] ?? "") ?? -1))
            case "testcase": counts.testcases += 1
            case "failure": counts.failureElements += 1
            default: break
            }
        }
    }
}
