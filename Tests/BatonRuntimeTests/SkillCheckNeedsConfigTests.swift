import BatonTestSupport
import Foundation
import Testing

/// `baton skill check` on a skill that needs a configuration (the example FAQSkill refuses `{}`
/// with a reason): without `--config` it is NEEDS CONFIG (exit 3), not a failure; with a valid
/// configuration it passes; with a given configuration that `create` refuses it fails as before.
@Suite("baton skill check: needs a configuration")
struct SkillCheckNeedsConfigTests {
    static let faq = TestPaths.library("FAQSkill")
    static let reason = "FAQSkill: config.entries must be a list of {question, answer}"
    /// A generous budget: debug builds on a busy 2-core machine (the budget has its own test).
    static let budget = ["--budget-ms", "20000"]

    @Test func withoutConfigTheVerdictIsNeedsConfigWithExit3() async throws {
        let run = try await CommandLineTests.baton(["skill", "check"] + Self.budget + [Self.faq], timeout: .seconds(60))
        #expect(run.reason == .exit)
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("FAIL") }, "\(run.stdout)")
        #expect(lines.contains(
            "NEEDS CONFIG  create with given config: no --config given and the skill refused {}: \(Self.reason); "
                + "pass --config FILE.json (or a JSON string) to check it"), "\(run.stdout)")
        #expect(lines.last?.hasPrefix("NEEDS CONFIG: 3 checks passed; this skill needs a configuration") == true, "\(run.stdout)")

        let json = try await CommandLineTests.baton(["skill", "check", "--json"] + Self.budget + [Self.faq], timeout: .seconds(60))
        #expect(json.status == 3)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["verdict"] as? String == "needs_config")
        #expect(report["passed"] as? Bool == false)
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(checks.filter { $0["needsConfig"] as? Bool == true }.map { $0["name"] as? String } == ["create with given config"])
    }

    @Test func withAValidConfigFileItPasses() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-skill-check")
        let config = folder.file("faq.json")
        try Data(#"{"entries":[{"question":"opening hours","answer":"9 to 5"}]}"#.utf8).write(to: URL(fileURLWithPath: config))
        let run = try await CommandLineTests.baton(
            ["skill", "check", "--config", config] + Self.budget + [Self.faq], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("PASS  respond: plain text"), "\(run.stdout)")
        #expect(!run.stdout.contains("NEEDS CONFIG") && !run.stdout.contains("FAIL"), "\(run.stdout)")
        #expect(run.stdout.hasSuffix(" checks passed\n"), "\(run.stdout)")
    }

    @Test("a given configuration that create refuses is a failure", arguments: ["{}", #"{"entries": 3}"#])
    func aRefusedGivenConfigFails(_ config: String) async throws {
        let run = try await CommandLineTests.baton(
            ["skill", "check", "--config", config] + Self.budget + [Self.faq], timeout: .seconds(60))
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("FAIL  create with given config: create returned NULL: \(Self.reason)"), "\(run.stdout)")
        #expect(!run.stdout.contains("NEEDS CONFIG"), "\(run.stdout)")
        #expect(run.stdout.hasSuffix("1 of 4 checks failed\n"), "\(run.stdout)")
    }

    @Test func aConfigThatIsNeitherJSONNorAFileExits2() async throws {
        let run = try await CommandLineTests.baton(
            ["skill", "check", "--config", "/nonexistent/faq.json", Self.faq], timeout: .seconds(60))
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("--config /nonexistent/faq.json: not a JSON object"), "\(run.stderr)")
    }
}
