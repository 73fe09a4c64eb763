import BatonTesting
import BatonTestSupport
import Foundation
import Testing

/// The transcript runner as a Swift API: parsing every key of the format, and running in-process.
@Suite("Transcript runner")
struct TranscriptRunnerTests {
    @Test func parsesEveryInputAndExpectation() throws {
        let yaml = """
            name: every key
            skill_config: {entries: [{question: hours, answer: "9-5", quick_replies: [Yes, No]}], min_score: 0.4, strict: true}
            handover: {take_back_keywords: [bot], max_fallbacks: 2, escalation_threshold: 0.5, agent_app_id: "263902037430900"}
            turns:
              - user: hello
              - user: {text: Menu, quick_reply: MENU}
              - user: {postback: {title: Start, payload: START}}
              - user: {attachment: {type: image, url: "https://example.com/a.jpg"}}
              - standby: "are you there?"
              - agent: "Hi, Maria here"
              - agent_passes_control: true
              - agent_passes_control: "712345678901234"
              - advance_clock: 25h
                expect:
                  reply: "You said: hello"
                  reply_contains: open
                  reply_matches: "^We are"
                  quick_replies: [Yes, No]
                  no_reply: true
                  escalation: {reason: detector, min_score: 0.9}
                  control_passed_to: "263902037430900"
                  owner: idle
            """
        let transcript = try Transcript.parse(yaml: yaml, file: "every.yaml")
        #expect(transcript.name == "every key")
        let config = try #require(transcript.skillConfigJSON)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
        #expect(object["min_score"] as? Double == 0.4)
        #expect(object["strict"] as? Bool == true)
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.first?["quick_replies"] as? [String] == ["Yes", "No"], "Yes/No stay texts")
        #expect(transcript.handover.takeBackKeywords == ["bot"])
        #expect(transcript.handover.maxFallbacks == 2)
        #expect(transcript.handover.escalationThreshold == 0.5)
        #expect(transcript.handover.agentAppID == "263902037430900")
        #expect(transcript.turns.map(\.input) == [
            .text("hello"), .quickReply(text: "Menu", payload: "MENU"), .postback(title: "Start", payload: "START"),
            .attachment(type: "image", url: "https://example.com/a.jpg"), .standby("are you there?"),
            .agentReplies("Hi, Maria here"), .agentPassesControl(to: nil), .agentPassesControl(to: "712345678901234"),
            .advanceClock(.seconds(25 * 3600)),
        ])
        let expect = try #require(transcript.turns.last?.expect)
        #expect(expect.reply == "You said: hello")
        #expect(expect.replyContains == "open")
        #expect(expect.replyMatches == "^We are")
        #expect(expect.quickReplies == ["Yes", "No"])
        #expect(expect.noReply == true)
        #expect(expect.escalation == .init(reason: "detector", minScore: 0.9))
        #expect(expect.controlPassedTo == "263902037430900")
        #expect(expect.owner == .idle)
    }

    @Test func runsInProcessAndReportsMismatches() async throws {
        let yaml = """
            name: in process
            turns:
              - user: hello
                expect: {reply: "You said: hello", owner: bot}
              - standby: nobody owns this but the bot
                expect: {no_reply: true}
            """
        let runner = TranscriptRunner(skill: TestPaths.library("EchoSkill"))
        let result = await runner.run(try Transcript.parse(yaml: yaml, file: "inline"))
        #expect(result.setupError == nil)
        #expect(result.turns.map(\.passed) == [true, false])
        let mismatches = result.turns.last?.mismatches ?? []
        #expect(mismatches.map(\.key) == ["standby", "no_reply"])
        #expect(mismatches.last?.actual == "1 reply: \"You said: nobody owns this but the bot\"")
        #expect(TranscriptReport.summary([result]) == "1 passed, 1 failed")
    }

    @Test func aMissingLibraryIsASetupFailureNotACrash() async throws {
        let runner = TranscriptRunner(skill: "/nonexistent/libNothing.so")
        let result = await runner.run(Transcript(name: "none", file: "inline", turns: [.init(input: .text("hi"))]))
        #expect(!result.passed)
        #expect(result.setupError != nil)
        #expect(TranscriptReport.summary([result]) == "0 passed, 1 failed")
    }
}
