import BatonCore
import BatonSkills
import Foundation
import Testing

/// The example skills of `Plugins/`, loaded from their built libraries through the real ABI.
@Suite("Example skills")
struct ExampleSkillTests {
    static let faqConfig = """
        {"entries": [
          {"question": "What are your opening hours?", "answer": "We are open 9:00-17:00, Monday to Friday.",
           "quick_replies": ["Address", {"title": "Talk to a human", "payload": "HUMAN"}]},
          {"question": "How do I reset my password?", "answer": "Use the Forgot password link on the sign-in page."},
          {"question": "Do you deliver abroad?", "answer": "We ship to every country in the EU."}
        ], "min_score": 0.5}
        """

    // MARK: EchoSkill (C)

    @Test func echoDescribesItself() throws {
        let skill = try ExampleSkill.load(ExampleSkillLibraries.path(of: "EchoSkill"))
        #expect(skill.name == "EchoSkill")
        #expect(skill.version == "1.0.0")
        #expect(skill.kind == .responder)
        #expect(skill.isThreadSafe)
    }

    @Test(arguments: ["hello", "Héllo wörld 👋🏽", "  spaced  "])
    func echoRepliesWithTheText(_ text: String) async throws {
        let echo = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "EchoSkill"))
        let reply = try await echo.respond(ExampleSkill.input(text))
        #expect(ExampleSkill.text(of: reply) == "You said: \(text)")
        #expect(reply?.quickReplies == [])
    }

    @Test func echoIgnoresAMessageWithoutText() async throws {
        let echo = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "EchoSkill"))
        let reply = try await echo.respond(ExampleSkill.input(nil))
        #expect(reply == nil)
    }

    @Test func echoTruncatesToTwoThousandCharactersWithoutSplittingOne() async throws {
        let echo = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "EchoSkill"))
        let long = String(repeating: "é🙂", count: 1500)  // 3000 scalars, multi-byte
        let text = try #require(ExampleSkill.text(of: try await echo.respond(ExampleSkill.input(long))))
        #expect(text.unicodeScalars.count == 2000)
        #expect(text.hasPrefix("You said: é🙂é🙂"))
        #expect(String(text.dropFirst("You said: ".count)) == String(long.unicodeScalars.prefix(1990).map(Character.init)))
    }

    @Test func echoAnswersConcurrentCallsOnOneInstance() async throws {
        let echo = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "EchoSkill"))
        try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<64 {
                group.addTask {
                    let reply = try await echo.respond(ExampleSkill.input("message \(index)", mid: "m\(index)"))
                    return (index, ExampleSkill.text(of: reply))
                }
            }
            var seen = 0
            for try await (index, text) in group {
                #expect(text == "You said: message \(index)")
                seen += 1
            }
            #expect(seen == 64)
        }
    }

    // MARK: KeywordEscalation (Swift)

    @Test func keywordEscalationDescribesItself() throws {
        let skill = try ExampleSkill.load(ExampleSkillLibraries.path(of: "KeywordEscalation"))
        #expect(skill.name == "KeywordEscalation")
        #expect(skill.kind == .detector)
        #expect(skill.isThreadSafe)
    }

    @Test(arguments: [
        ("HUMAN please", "human"),
        ("Humán", "human"),
        ("operator!", "operator"),
        ("Can I talk to an Agent?", "agent"),
        ("a real person, now.", "person"),
        ("REPRÉSENTATIVE", "representative"),
    ])
    func keywordEscalationMatchesWholeWords(_ text: String, _ keyword: String) async throws {
        let detector = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "KeywordEscalation"))
        let score = try await detector.detect(ExampleSkill.input(text))
        #expect(score == SkillScore(score: 1, reason: "keyword: \(keyword)"))
    }

    @Test(arguments: ["humanity", "agents?", "personal question", "the operation failed", "hello there"])
    func keywordEscalationIgnoresOtherWords(_ text: String) async throws {
        let detector = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "KeywordEscalation"))
        let score = try await detector.detect(ExampleSkill.input(text))
        #expect(score.score == 0)
    }

    @Test func keywordEscalationScoresZeroWithoutText() async throws {
        let detector = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "KeywordEscalation"))
        #expect(try await detector.detect(ExampleSkill.input(nil)).score == 0)
    }

    @Test func keywordEscalationUsesConfiguredKeywords() async throws {
        let detector = try ExampleSkill.instance(
            ExampleSkillLibraries.path(of: "KeywordEscalation"),
            config: #"{"keywords": ["Manager", "real person"]}"#
        )
        #expect(try await detector.detect(ExampleSkill.input("get me your MANAGER")) == SkillScore(score: 1, reason: "keyword: Manager"))
        #expect(try await detector.detect(ExampleSkill.input("a Real  Person please")).reason == "keyword: real person")
        #expect(try await detector.detect(ExampleSkill.input("a human please")).score == 0)
        #expect(try await detector.detect(ExampleSkill.input("this person")).score == 0)
    }

    @Test func keywordEscalationRefusesAnInvalidConfig() throws {
        let skill = try ExampleSkill.load(ExampleSkillLibraries.path(of: "KeywordEscalation"))
        let error = #expect(throws: (any Error).self) {
            _ = try skill.makeInstance(configJSON: #"{"keywords": "human"}"#)
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("config.keywords must be a non-empty list"))
    }

    // MARK: FAQSkill (Swift)

    @Test func faqAnswersAQuestionWithTypos() async throws {
        let faq = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "FAQSkill"), config: Self.faqConfig)
        let reply = try await faq.respond(ExampleSkill.input("wat are ur openin hours??"))
        #expect(ExampleSkill.text(of: reply) == "We are open 9:00-17:00, Monday to Friday.")
        #expect(
            reply?.quickReplies == [
                QuickReply(title: "Address", payload: "Address"), QuickReply(title: "Talk to a human", payload: "HUMAN"),
            ])
        let password = try await faq.respond(ExampleSkill.input("How can I RESET my pasword"))
        #expect(ExampleSkill.text(of: password) == "Use the Forgot password link on the sign-in page.")
        #expect(password?.quickReplies == [])
    }

    @Test(arguments: ["Can I pay with a credit card?", "my order never arrived", "hello", "!!!"])
    func faqDeclinesUnrelatedMessages(_ text: String) async throws {
        let faq = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "FAQSkill"), config: Self.faqConfig)
        #expect(try await faq.respond(ExampleSkill.input(text)) == nil)
    }

    @Test func faqHonoursMinScore() async throws {
        let strict = Self.faqConfig.replacingOccurrences(of: #""min_score": 0.5"#, with: #""min_score": 0.99"#)
        let faq = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "FAQSkill"), config: strict)
        #expect(try await faq.respond(ExampleSkill.input("openin hours")) == nil)
        #expect(ExampleSkill.text(of: try await faq.respond(ExampleSkill.input("Do you deliver abroad?"))) != nil)
    }

    @Test(arguments: [#"{}"#, #"{"entries": "none"}"#, #"{"entries": [{"question": "q"}]}"#])
    func faqRefusesABadConfig(_ config: String) throws {
        let skill = try ExampleSkill.load(ExampleSkillLibraries.path(of: "FAQSkill"))
        #expect(skill.name == "FAQSkill" && skill.kind == .responder)
        let error = #expect(throws: (any Error).self) {
            _ = try skill.makeInstance(configJSON: config)
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("FAQSkill: config.entries must be a list of {question, answer}"))
    }

    // MARK: FrustrationDetector (Rust)

    @Test(.enabled(if: ExampleSkillLibraries.rustcAvailable, "rustc is not on PATH"))
    func rustDetectorScoresFrustration() async throws {
        let path = try ExampleSkillLibraries.frustrationDetector.get()
        let skill = try ExampleSkill.load(path)
        #expect(skill.name == "FrustrationDetector")
        #expect(skill.kind == .detector)
        let detector = try skill.makeInstance(configJSON: "{}")

        let calm = try await detector.detect(ExampleSkill.input("Hi, what time do you open tomorrow?"))
        #expect(calm.score < 0.1)

        let shouting = try await detector.detect(ExampleSkill.input("THIS IS USELESS, NOTHING WORKS!!!"))
        #expect(shouting.score >= 0.9)
        #expect(shouting.reason.contains("shouting"))
        #expect(shouting.reason.contains("exclamation"))
        #expect(shouting.reason.contains("useless"))

        let annoyed = try await detector.detect(ExampleSkill.input("the app is still not working"))
        #expect(annoyed.score > calm.score && annoyed.score < shouting.score)
        #expect(try await detector.detect(ExampleSkill.input(nil)).score == 0)
    }
}
