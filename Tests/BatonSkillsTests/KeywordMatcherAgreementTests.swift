import BatonCore
import BatonSkills
import Foundation
import Testing

/// The KeywordEscalation plugin keeps its own copy of the keyword matcher (a plugin cannot link
/// BatonCore). These inputs hold the copy to BatonCore's one definition of a word.
@Suite("One definition of a word")
struct KeywordMatcherAgreementTests {
    static let keywords = ["human", "real person", "café", "agent 7", "ｆｕｌｌ", "naïve"]

    static let texts = [
        "HUMAN please", "humanity", "Humán!", "a real  person", "real-person", "realperson", "cafe ouvert",
        "CAFÉ", "cafe\u{301}", "agent 7", "agent7", "agent 7b", "full width", "ｆｕｌｌ", "FULL", "naive", "nai\u{308}ve",
        "😀human😀", "human’s", "l'agent 7", "", "   ", "１２３ human", "tab\thuman", "hu\u{200B}man", "ß human",
    ]

    @Test func bothMatchersAgreeOnEveryInput() async throws {
        let config = String(decoding: try JSONEncoder().encode(["keywords": Self.keywords]), as: UTF8.self)
        let plugin = try ExampleSkill.instance(ExampleSkillLibraries.path(of: "KeywordEscalation"), config: config)
        defer { plugin.destroy() }
        let core = KeywordMatcher(keywords: Self.keywords)
        for text in Self.texts {
            let score = try await plugin.detect(ExampleSkill.input(text))
            let expected = core.firstMatch(in: text).map { "keyword: \($0)" } ?? ""
            #expect(score.reason == expected, "text \(text.debugDescription)")
            #expect(score.score == (expected.isEmpty ? 0 : 1), "text \(text.debugDescription)")
        }
    }
}
