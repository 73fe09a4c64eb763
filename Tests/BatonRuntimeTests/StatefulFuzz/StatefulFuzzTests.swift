import BatonCore
import BatonRuntime
import BatonTestSupport
import Foundation
import Synchronization
import Testing

/// A stateful, property-based fuzz of thread control through the real pipeline: a real
/// in-process `BatonServer` (SQLite, loopback HTTP, the example skills) against a model of
/// Meta that holds the truth about who controls each thread. Seeded sequences of Meta-side
/// happenings, mutated (forged timestamps, duplicates, both channels, reordering, several
/// Pages per body) and delivered concurrently while Baton works; after each batch the
/// invariants are checked: every acknowledged event processed once, at most one answer per
/// message, answers in order, and no send into a thread Baton knew another app owned.
@Suite("Stateful fuzz of thread control")
struct StatefulFuzzTests {
    static let batchSize = 100

    @Test func threadControlHoldsUnderMutatedConcurrentSequences() async throws {
        let environment = ProcessInfo.processInfo.environment
        let sequences = environment["BATON_FUZZ_SEQUENCES"].flatMap { Int($0) }.map { max($0, 1) } ?? 1000
        let seed = environment["BATON_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        print("stateful fuzz: seed \(seed) (replay with BATON_FUZZ_SEED=\(seed)), \(sequences) sequences")
        let model = FuzzMetaModel(seed: seed)
        let meta = try await FuzzMetaServer.start(model)
        var report = FuzzReport()
        do {
            try await Self.withFuzzServer(graphURL: meta.baseURL) { server, base in
                model.store.withLock { $0 = server.store }
                let driver = FuzzDriver(
                    model: model, url: base + "/webhook", signature: WebhookSignature(appSecret: FuzzIDs.secret))
                var rng = SplitMix64(seed: seed)
                while report.sequences < sequences {
                    let plans = Self.plans(count: min(Self.batchSize, sequences - report.sequences), from: report.sequences, &rng)
                    try await driver.run(plans, server: server, rng: &rng)
                    await FuzzInvariants.check(plans, model: model, store: server.store, report: &report)
                }
                report.bodies = model.world.withLock { $0.bodies }
            }
        } catch {
            await meta.stop()
            throw error
        }
        await meta.stop()
        print(report.line)
        // The seed ends each message as well: a long history may be cut from the middle of a log.
        let replay = "seed \(seed)"
        func first(_ list: [String]) -> String { FuzzReport.first(list) + "\n(replay with BATON_FUZZ_SEED=\(seed))" }
        #expect(report.unprocessed.isEmpty, "\(replay): events not processed exactly once:\n\(first(report.unprocessed))")
        #expect(report.doubled.isEmpty, "\(replay): messages answered more than once:\n\(first(report.doubled))")
        #expect(report.outOfOrder.isEmpty, "\(replay): answers out of order:\n\(first(report.outOfOrder))")
        #expect(
            report.spokeOverOwner.isEmpty,
            "\(replay): sends into a thread Baton knew another app owned:\n\(first(report.spokeOverOwner))")
        #expect(report.rejected.isEmpty, "\(replay): valid signed bodies refused:\n\(first(report.rejected))")
    }

    /// The next batch of sequences: one thread each, on one of the two Pages.
    static func plans(count: Int, from first: Int, _ rng: inout SplitMix64) -> [FuzzPlan] {
        (0..<count).map { offset in
            var scriptRNG = rng.split()
            return FuzzPlan(
                page: rng.pick(FuzzIDs.pages), user: String(8_100_000_000_000 + first + offset),
                script: FuzzHappening.script(&scriptRNG))
        }
    }

    /// Runs `body` against a real runtime on SQLite in a temporary folder: two Pages, the
    /// echo and keyword-escalation skills, take-back keyword "bot", Graph calls to `graphURL`.
    static func withFuzzServer(graphURL: String, _ body: (BatonServer, String) async throws -> Void) async throws {
        var messenger = BatonConfiguration.Messenger(appID: AppID(FuzzIDs.bot), appSecret: FuzzIDs.secret, verifyToken: "v")
        messenger.graphAPIURL = graphURL
        messenger.pages = zip(FuzzIDs.pages, FuzzIDs.tokens).map { .init(id: PageID($0), name: "Page \($0)", accessToken: $1) }
        var handover = HandoverSettings(me: AppID(FuzzIDs.bot))
        handover.takeBackKeywords = ["bot"]
        var configuration = BatonConfiguration(messenger: messenger, handover: handover)
        configuration.retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        configuration.skills = [
            .init(path: TestPaths.library("KeywordEscalation")), .init(path: TestPaths.library("EchoSkill")),
        ]
        try await withServer(configuration, body)
    }
}
