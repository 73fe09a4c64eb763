import BatonCore
import Foundation
import Testing

/// Decisions are values; their one-line text is what the timeline, `baton demo` and the
/// inbox show, unchanged from when they were strings.
@Suite("Decision outcomes")
struct DecisionOutcomeTests {
    static let lines: [(DecisionOutcome, String)] = [
        (.replied(skill: "EchoSkill"), "reply by EchoSkill"),
        (.fellBack(count: 1, limit: 2), "fallback 1 of 2"),
        (
            .escalated(reason: .detector, score: 1, skill: "KeywordEscalation", target: .pageInbox),
            "escalate: detector (score 1.0 by KeywordEscalation) to app 263902037430900"
        ),
        (.tookBack(keyword: "bot", then: .replied(skill: "EchoSkill")), "take back (keyword bot); reply by EchoSkill"),
        (.quiet(.anotherAppOwnsThread, owner: .otherApp(.pageInbox)), "quiet: app 263902037430900 owns the thread"),
        (.quiet(.outsideWindow, owner: .thisApp), "quiet: outside the 24-hour window"),
        (.quiet(.escalationPending, owner: .thisApp, escalation: .fallback), "quiet: escalation pending (fallback)"),
        (.recorded, "recorded"),
        (.controlMoved(by: .passThreadControl, owner: .thisApp), "control passed to this app"),
        (.controlMoved(by: .takeThreadControl, owner: .otherApp(nil)), "control taken: owner is another app"),
        (.echo(from: "712345678901234", own: true), "echo of own message"),
        (.echo(from: .pageInbox, own: false), "echo from app 263902037430900"),
        (.controlRequest(from: .pageInbox, answer: .granted), "control request from 263902037430900: granted"),
        (.ignored("app_roles"), "ignored: app_roles"),
        (.quarantined(attempts: 3, then: nil), "quarantined after 3 attempts"),
        (
            .quarantined(attempts: 3, then: .escalated(reason: .quarantined, score: 1, skill: nil, target: .pageInbox)),
            "quarantined after 3 attempts; escalate: quarantined (score 1.0) to app 263902037430900"
        ),
    ]

    @Test(arguments: 0..<lines.count)
    func theLineIsTheOneBatonAlwaysShowed(_ index: Int) throws {
        let (outcome, line) = Self.lines[index]
        #expect(outcome.description == line)
        let stored = try JSONEncoder().encode(outcome)
        #expect(try JSONDecoder().decode(DecisionOutcome.self, from: stored) == outcome)
    }

    @Test func theEscalationIsFoundWhereverItEnds() {
        let escalation = DecisionOutcome.escalated(reason: .skillCrash, score: 1, skill: nil, target: .pageInbox)
        #expect(DecisionOutcome.quarantined(attempts: 3, then: escalation).escalation?.reason == .skillCrash)
        #expect(DecisionOutcome.tookBack(keyword: "bot", then: escalation).escalation?.target == .pageInbox)
        #expect(DecisionOutcome.recorded.escalation == nil)
    }
}
