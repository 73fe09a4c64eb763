import ArgumentParser
import BatonCore
import BatonRuntime
import BatonSimulator
import BatonStore
import BatonTesting
import Foundation
import Logging

/// `baton demo`: a complete scripted conversation on the embedded defaults.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scripted conversation against the bundled simulator and print the transcript and the thread-control timeline.",
        discussion: """
            Uses SQLite in a temporary folder, the Messenger Platform simulator, and the example skills \
            built beside this executable (libEchoSkill.so, libKeywordEscalation.so, libFAQSkill.so).
            """)

    @Option(name: .long, help: "Where the example skills are (default: the folder of this executable).")
    var skills: String?

    @Flag(name: .long, help: "Show the runtime's logs.")
    var verbose = false

    func run() async throws {
        LoggingBootstrap.bootstrap(level: verbose ? .info : .error)
        let folder = skills ?? SkillLocator.executableFolder()
        let echo = folder + "/libEchoSkill.so"
        let keywords = folder + "/libKeywordEscalation.so"
        let faq = folder + "/libFAQSkill.so"
        for path in [echo, keywords, faq] where !FileManager.default.fileExists(atPath: path) {
            printError("demo: \(path) is missing; build the example skills first with `swift build`")
            throw ExitCode(1)
        }
        let faqConfig = #"{"entries":[{"question":"what are your opening hours","answer":"We are open 9:00-17:00, Monday to Friday."}]}"#
        let billingFAQ = #"{"entries":[{"question":"when is my invoice due","answer":"Invoices are due 30 days after they are issued."}]}"#
        let billingWords = #"{"keywords":["invoice","refund","billing"]}"#
        let concierge = ConversationHarness.BotApp(
            name: "concierge", appID: ConversationHarness.botAppID,
            skills: [
                .init(path: keywords, configJSON: billingWords, escalation: .app(AppID(Self.billingAppID))), .init(path: keywords),
                .init(path: faq, configJSON: faqConfig), .init(path: echo),
            ],
            defaultApp: true, handover: { $0.takeBackKeywords = ["bot"] })
        let billing = ConversationHarness.BotApp(
            name: "billing", appID: Self.billingAppID,
            skills: [
                .init(path: keywords), .init(path: keywords, configJSON: #"{"keywords":["thanks"]}"#, escalation: .back),
                .init(path: faq, configJSON: billingFAQ), .init(path: echo),
            ])
        let harness = try await ConversationHarness.start(hosting: [concierge, billing], logger: Logger(label: "baton"))
        let sim = harness.simulator
        let page = harness.pageID
        let user = await sim.createUser(page: page, name: "Alex")

        print("Baton demo: page \(page), user \(user); bots: concierge (app \(ConversationHarness.botAppID), the Page's default app)")
        print("and billing (app \(Self.billingAppID)), both hosted by one runtime; people: the Page Inbox")
        print("concierge: KeywordEscalation (invoice/refund/billing → billing), KeywordEscalation (human → Inbox), FAQSkill, EchoSkill")
        print("billing:   KeywordEscalation (human → Inbox), KeywordEscalation (thanks → back), FAQSkill, EchoSkill\n")
        try await Self.play(harness, user: user)
        await Self.printReport(harness, user: user)
        await harness.stop()
    }

    /// The billing bot's app id in the demo.
    static let billingAppID = "712345678901299"

    /// The scripted conversation: the bot answers, escalates, the agent replies and passes control back.
    private static func play(_ harness: ConversationHarness, user: String) async throws {
        let sim = harness.simulator
        let page = harness.pageID
        _ = await sim.userSends(text: "hello", page: page, user: user)
        try await harness.settle()
        _ = await sim.userSends(text: "What are your openng hours?", page: page, user: user)
        try await harness.settle()
        _ = await sim.userSends(text: "I have a question about my invoice", page: page, user: user)
        try await harness.settle()
        _ = await sim.userSends(text: "When is my invoice due?", page: page, user: user)
        try await harness.settle()
        _ = await sim.userSends(text: "thanks, that's all", page: page, user: user)
        try await harness.settle()
        _ = await sim.userSends(text: "I want to talk to a human", page: page, user: user)
        try await harness.settle()
        _ = await sim.userSends(text: "are you there?", page: page, user: user)
        try await harness.settle()
        _ = try await sim.agentReplies(text: "Hi Alex, this is Maria. Your refund is on its way.", page: page, user: user)
        try await harness.settle()
        try await sim.agentPassesControl(to: ConversationHarness.botAppID, metadata: #"{"resolution":"refund"}"#, page: page, user: user)
        try await harness.settle()
        _ = await sim.userSends(text: "thanks!", page: page, user: user)
        try await harness.settle()
        _ = await sim.userSendsAttachment(type: "image", url: "https://example.com/cat.jpg", page: page, user: user)
        try await harness.settle()
        _ = await sim.userSendsAttachment(type: "image", url: "https://example.com/dog.jpg", page: page, user: user)
        try await harness.settle()
        _ = await sim.userSends(text: "bot please", page: page, user: user)
        try await harness.settle()
    }

    /// The transcript, the thread-control timeline, Baton's decisions and the owner now.
    private static func printReport(_ harness: ConversationHarness, user: String) async {
        let sim = harness.simulator
        let page = harness.pageID
        let timeline = await sim.timeline(page: page, user: user)
        let renderer = TimelineRenderer(appNames: [
            ConversationHarness.botAppID: "concierge", billingAppID: "billing", AppID.pageInbox.rawValue: "agent",
        ])
        print("Transcript")
        renderer.transcript(timeline).forEach { print($0) }
        print("\nThread-control timeline")
        renderer.controlTimeline(timeline).forEach { print($0) }
        for app in harness.server.apps {
            print("\nBaton's decisions as \(app.app.name)")
            let decisions = (try? await app.store.decisions(in: ThreadKey(page: PageID(page), user: UserID(user)))) ?? []
            for decision in decisions {
                let channel = (decision.channel?.rawValue ?? "ignored").padding(toLength: 9, withPad: " ", startingAt: 0)
                print("  \(channel) \(decision.kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(decision.outcome)")
            }
        }
        let owner = await harness.batonOwner(user: user)
        print("\nOwner now: \(owner?.description ?? "unknown") (simulator says: \(await sim.threadOwner(page: page, user: user).map { renderer.appNames[$0] ?? $0 } ?? "idle"))")
    }
}
