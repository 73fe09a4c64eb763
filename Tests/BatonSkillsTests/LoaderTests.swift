import BatonCore
import BatonSkills
import BatonTestSupport
import Foundation
import Logging
import Testing

/// Loading and calling a well-behaved skill compiled from `include/` alone.
@Suite("Skill loader")
struct LoaderTests {
    @Test("a minimal C skill loads with its descriptor and the load is logged")
    func loadsGoodSkill() async throws {
        try await LoaderHarness.with { harness in
            let path = try harness.bench.compile("good.c")
            let skill = try harness.loader.load(path: path)
            #expect(skill.name == "good")
            #expect(skill.version == "1.2.3")
            #expect(skill.description == "a well-behaved test skill")
            #expect(skill.kind == [.responder, .detector])
            #expect(!skill.isThreadSafe)
            #expect(skill.abiMinor == 0)
            #expect(skill.path == path)
            #expect(harness.loader.loadedSkills["good"] === skill)

            let loaded = harness.logs.all.filter { $0.message == "loaded skill" }
            #expect(loaded.count == 1)
            #expect(loaded.first?.metadata["skill"] == "good")
            #expect(loaded.first?.metadata["version"] == "1.2.3")
            #expect(loaded.first?.metadata["abi"] == "1.0")
            #expect(loaded.first?.metadata["path"] == path)

            let instance = try skill.makeInstance()
            defer { instance.destroy() }
            // The skill's own log line (host->log in create) carries its name.
            let created = harness.logs.all.filter { $0.message == "created" }
            #expect(created.count == 1)
            #expect(created.first?.level == .info)
            #expect(created.first?.metadata["skill"] == "good")
        }
    }

    @Test("respond returns text with quick replies, an attachment, or no answer; detect a score")
    func respondAndDetect() async throws {
        try await LoaderHarness.withInstance(of: "good.c") { _, instance async throws in

            let echo = try await instance.respond(LoaderInputs.text("hello"))
            #expect(echo == ReplyMessage(body: .text("echo: hello"), quickReplies: [QuickReply(title: "Human", payload: "HUMAN")]))

            let none = try await instance.respond(LoaderInputs.text("none"))
            #expect(none == nil)
            // A message without text: input_field says UNSUPPORTED and the skill has no answer.
            #expect(try await instance.respond(LoaderInputs.text(nil)) == nil)

            let attachment = try await instance.respond(LoaderInputs.text("attach"))
            #expect(
                attachment
                    == ReplyMessage(
                        body: .attachment(
                            try #require(
                                ReplyAttachment(json: "{\"type\":\"template\",\"payload\":{\"template_type\":\"button\"}}"))),
                        quickReplies: [QuickReply(title: "Yes", payload: "YES")]))

            let score = try await instance.detect(LoaderInputs.text("hello"))
            #expect(score == SkillScore(score: 0.25, reason: "calm"))
        }
    }

    @Test("respond runs on a thread of the NIOThreadPool, never on the caller's thread")
    func runsOnThreadPool() async throws {
        try await LoaderHarness.withInstance(of: "good.c") { _, instance async throws in
            let reply = try await instance.respond(LoaderInputs.text("thread"))
            guard case .text(let threadName)? = reply?.body else {
                Issue.record("no text reply")
                return
            }
            #expect(threadName.hasPrefix("TP-#"), "ran on \(threadName)")
        }
    }

    @Test(
        "input_field serves the header's keys from typed and raw input",
        arguments: [
            ("field:message.mid", "m_1"),
            ("field:conversation.page_id", "109876543210987"),
            ("field:conversation.psid", "5012345678901234"),
            ("field:message.postback_title", "<unsupported>"),
            ("field:message.quick_reply_payload", "<unsupported>"),
            ("field:message.secret", "<unsupported>"),
            ("field:", "<unsupported>"),
        ])
    func inputFields(text: String, expected: String) async throws {
        try await LoaderHarness.withInstance(of: "good.c") { _, instance async throws in
            let reply = try await instance.respond(LoaderInputs.text(text))
            #expect(reply?.body == .text(expected))
        }
    }

    @Test("raw input JSON reaches the skill and feeds input_field")
    func rawInput() async throws {
        try await LoaderHarness.withInstance(of: "good.c") { _, instance async throws in
            let json = """
                {"schema":1,"message":{"mid":"m_raw","timestamp":1,"text":"field:message.postback_payload",\
                "postback":{"title":"Talk to us","payload":"TALK"},"attachments":[]},\
                "conversation":{"page_id":"p","psid":"u","recent_turns":[],"consecutive_fallbacks":0,\
                "seconds_since_last_user_message":null}}
                """
            #expect(try await instance.respond(inputJSON: json)?.body == .text("TALK"))
            #expect(try await instance.detect(inputJSON: json) == SkillScore(score: 0.25, reason: "calm"))
            // Not JSON at all: the skill finds no text and has no answer.
            #expect(try await instance.respond(inputJSON: "not json") == nil)
        }
    }

    @Test("destroy is idempotent and later calls fail clearly")
    func destroyThenCall() async throws {
        try await LoaderHarness.with { harness in
            let instance = try harness.loader.load(path: try harness.bench.compile("good.c")).makeInstance()
            instance.destroy()
            instance.destroy()
            let error = await #expect(throws: SkillCallError.self) {
                try await instance.respond(LoaderInputs.text("hello"))
            }
            #expect(error?.description == "skill good: respond failed (-4): the instance was destroyed")
            #expect(error?.code == .unavailable)
            let detectError = await #expect(throws: SkillCallError.self) {
                try await instance.detect(LoaderInputs.text("hello"))
            }
            #expect(detectError?.description == "skill good: detect failed (-4): the instance was destroyed")
        }
    }

    @Test("a configuration that is not a JSON object is refused before create")
    func configMustBeObject() async throws {
        try await LoaderHarness.with { harness in
            let path = try harness.bench.compile("good.c")
            let skill = try harness.loader.load(path: path)
            let error = #expect(throws: SkillLoadError.self) { try skill.makeInstance(configJSON: "[1]") }
            #expect(error?.code == .createFailed)
            #expect(error?.description == "skill \(path): configuration is not a JSON object")
            let instance = try skill.makeInstance(configJSON: "{\"greeting\": \"hi\"}")
            instance.destroy()
        }
    }

    @Test("unregister frees the name for a new version loaded from a new path")
    func unregisterAllowsReload() async throws {
        try await LoaderHarness.with { harness in
            let first = try harness.loader.load(path: try harness.bench.compile("good.c", as: "good_v1"))
            #expect(harness.loader.unregister(name: "good") === first)
            let second = try harness.loader.load(path: try harness.bench.compile("good.c", as: "good_v2"))
            #expect(second.path.hasSuffix("libgood_v2.so"))
            #expect(harness.loader.loadedSkills.count == 1)
            harness.loader.shutdown()
        }
    }

    @Test("the input document is written exactly as the header shows and reads back")
    func inputJSON() throws {
        let input = SkillInput(
            message: .init(
                mid: "m_1", timestamp: 1_730_462_400_000, text: "say \"hi\"\n", quickReplyPayload: "YES",
                postback: .init(title: "Start", payload: "GET_STARTED"),
                attachments: [.init(type: "image", url: "https://example.com/a.jpg"), .init(type: "fallback")]),
            conversation: .init(
                pageID: "109876543210987", psid: "5012345678901234",
                recentTurns: [.init(from: .user, text: "hello", timestamp: 5), .init(from: .agent, text: "hi", timestamp: 6)],
                consecutiveFallbacks: 2, secondsSinceLastUserMessage: 12.5))
        let expected =
            #"{"schema":1,"message":{"mid":"m_1","timestamp":1730462400000,"text":"say \"hi\"\n","#
            + #""quick_reply_payload":"YES","postback":{"title":"Start","payload":"GET_STARTED"},"#
            + #""attachments":[{"type":"image","url":"https://example.com/a.jpg"},{"type":"fallback"}]},"#
            + #""conversation":{"page_id":"109876543210987","psid":"5012345678901234","#
            + #""recent_turns":[{"from":"user","text":"hello","timestamp":5},{"from":"agent","text":"hi","timestamp":6}],"#
            + #""consecutive_fallbacks":2,"seconds_since_last_user_message":12.5}}"#
        #expect(input.jsonString() == expected)
        let decoded = try JSONDecoder().decode(SkillInput.self, from: Data(input.jsonString().utf8))
        #expect(decoded == input)

        let first = LoaderInputs.text(nil)
        #expect(
            first.jsonString()
                == #"{"schema":1,"message":{"mid":"m_1","timestamp":1730462400000,"attachments":[]},"#
                + #""conversation":{"page_id":"109876543210987","psid":"5012345678901234","recent_turns":[],"#
                + #""consecutive_fallbacks":0,"seconds_since_last_user_message":null}}"#)
        let reencoded = try JSONDecoder().decode(SkillInput.self, from: JSONEncoder().encode(first))
        #expect(reencoded == first)
    }

    @Test("extreme integers are written in full, digit by digit, and read back", arguments: [Int64.min, -1, 0, 9, 10, Int64.max])
    func extremeIntegers(_ value: Int64) throws {
        let input = SkillInput(
            message: .init(mid: "m_1", timestamp: value, text: "hi"),
            conversation: .init(
                pageID: "1", psid: "2", recentTurns: [.init(from: .user, text: "a", timestamp: value)],
                consecutiveFallbacks: Int(clamping: value)))
        let json = input.jsonString()
        #expect(json.contains(#""timestamp":\#(value),"text""#))
        #expect(json.contains(#""consecutive_fallbacks":\#(value),"#))
        #expect(try JSONDecoder().decode(SkillInput.self, from: Data(json.utf8)) == input)
        #expect(PackedSkillInput(input).bytes.suffix(json.utf8.count).elementsEqual(json.utf8))
    }
}
