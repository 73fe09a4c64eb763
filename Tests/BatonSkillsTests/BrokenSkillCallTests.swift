import BatonCore
import BatonSkills
import BatonTestSupport
import Testing

/// One way `misbehaving.c` breaks a builder rule, chosen by the message text.
struct Misbehaviour: Sendable, CustomTestStringConvertible {
    var text: String
    var operation: String
    var expected: String
    var testDescription: String { text }

    /// The error's code: the skill's own failure, or a builder rule it broke.
    var code: SkillCallError.Code { text.hasPrefix("fail") ? .skillFailed : .invalidOutput }
}

/// Skills that fail or break the builder rules during respond/detect. Each failure
/// is one exact line; afterwards the same instance and a fresh good skill still work.
@Suite("Broken skills: calls")
struct BrokenSkillCallTests {
    static let cases: [Misbehaviour] = [
        .init(text: "fail", operation: "respond", expected: "skill misbehaving: respond failed (-7): upstream timed out"),
        .init(text: "fail-silently", operation: "respond", expected: "skill misbehaving: respond failed (-7): no reason given"),
        .init(text: "utf8", operation: "respond", expected: "skill misbehaving: respond failed (-2): reply is not valid UTF-8"),
        .init(
            text: "long", operation: "respond",
            expected: "skill misbehaving: respond failed (-3): reply text is longer than 2000 characters"),
        .init(
            text: "long-wide", operation: "respond",
            expected: "skill misbehaving: respond failed (-3): reply text is longer than 2000 characters"),
        .init(text: "quick14", operation: "respond", expected: "skill misbehaving: respond failed (-3): more than 13 quick replies"),
        .init(text: "twice", operation: "respond", expected: "skill misbehaving: respond failed (-4): a reply was already set"),
        .init(
            text: "bad-attachment", operation: "respond",
            expected: "skill misbehaving: respond failed (-1): attachment JSON is not an object with a string \"type\""),
        .init(text: "high", operation: "detect", expected: "skill misbehaving: detect failed (-1): score 1.5 is outside [0, 1]"),
        .init(text: "nan", operation: "detect", expected: "skill misbehaving: detect failed (-1): score nan is outside [0, 1]"),
        .init(
            text: "reply", operation: "detect",
            expected: "skill misbehaving: detect failed (-4): reply_text is only valid in respond"),
    ]

    @Test("a broken call fails with its exact error, then the host goes on", arguments: cases)
    func brokenCall(_ misbehaviour: Misbehaviour) async throws {
        try await LoaderHarness.withInstance(of: "misbehaving.c") { harness, instance async throws in
            let input = LoaderInputs.text(misbehaviour.text)
            let error = await #expect(throws: SkillCallError.self) {
                if misbehaviour.operation == "respond" {
                    _ = try await instance.respond(input)
                } else {
                    _ = try await instance.detect(input)
                }
            }
            #expect(error?.description == misbehaviour.expected)
            #expect(error?.skill == "misbehaving")
            #expect(error?.operation == misbehaviour.operation)
            #expect(error?.code == misbehaviour.code)
            // The same instance answers the next message, and a fresh skill loads and answers.
            #expect(try await instance.respond(LoaderInputs.text("ok"))?.body == .text("fine"))
            #expect(try await instance.detect(LoaderInputs.text("ok")) == SkillScore(score: 0.5, reason: "ok"))
            try await harness.expectHostStillWorks()
        }
    }

    @Test("2000 two-byte characters are within the limit")
    func longestReply() async throws {
        try await LoaderHarness.withInstance(of: "misbehaving.c") { _, instance async throws in
            let reply = try await instance.respond(LoaderInputs.text("longest"))
            #expect(reply?.body == .text(String(repeating: "é", count: 2000)))
        }
    }

    @Test("a call handle kept past its call gets BATON_E_STATE")
    func handleUsedLate() async throws {
        try await LoaderHarness.withInstance(of: "misbehaving.c") { _, instance async throws in
            #expect(try await instance.respond(LoaderInputs.text("keep"))?.body == .text("kept"))
            #expect(try await instance.respond(LoaderInputs.text("late"))?.body == .text("late status -4"))
        }
    }
}
