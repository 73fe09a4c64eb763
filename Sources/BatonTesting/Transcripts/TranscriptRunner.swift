import BatonCore
import BatonRuntime
import BatonSimulator
import Foundation
public import Logging

/// Runs ``Transcript``s against real skill libraries: each transcript gets a fresh
/// ``ConversationHarness`` (the Messenger simulator and a Baton runtime over loopback HTTP), so
/// escalation and thread control go through the real decision pipeline. Turns never sleep: after
/// its input a turn waits with ``ConversationHarness/settle(timeout:)`` until every webhook was
/// delivered, every event processed and every Graph call finished, then compares what the thread's
/// timeline gained with the expectations (so a late second reply is caught).
///
/// ```swift
/// let runner = TranscriptRunner(skill: "/path/libEchoSkill.so")
/// let result = await runner.run(try Transcript.load(path: "Tests/Transcripts/echo.yaml"))
/// #expect(result.passed, "\(TranscriptReport.text([result]))")
/// ```
public struct TranscriptRunner: Sendable {
    /// The library under test; it gets the transcript's `skill_config`.
    public var skill: String
    /// More libraries loaded after it, with `{}` configuration (detectors and responders are routed by kind).
    public var with: [String]
    /// How long one turn may take to settle.
    public var turnTimeout: Duration
    /// The runtime's and simulator's logger.
    public var logger: Logger

    /// Creates a runner.
    /// - Parameters:
    ///   - skill: Path of the skill library under test.
    ///   - with: Paths of other libraries to load with it, in order.
    ///   - turnTimeout: How long one turn may take to settle.
    ///   - logger: The logger for the runtime and simulator (quiet by default).
    public init(skill: String, with: [String] = [], turnTimeout: Duration = .seconds(20), logger: Logger? = nil) {
        self.skill = skill
        self.with = with
        self.turnTimeout = turnTimeout
        self.logger = logger ?? {
            var quiet = Logger(label: "baton.transcripts")
            quiet.logLevel = .critical
            return quiet
        }()
    }

    /// Runs transcripts one after another.
    public func run(_ transcripts: [Transcript]) async -> [TranscriptResult] {
        var results: [TranscriptResult] = []
        for transcript in transcripts { results.append(await run(transcript)) }
        return results
    }

    /// Runs one transcript in a fresh harness; never throws: problems are in the result.
    public func run(_ transcript: Transcript) async -> TranscriptResult {
        let started = ContinuousClock.now
        let skills = [BatonConfiguration.Skill(path: skill, configJSON: transcript.skillConfigJSON ?? "{}")]
            + with.map { BatonConfiguration.Skill(path: $0) }
        let overrides = transcript.handover
        let harness: ConversationHarness
        do {
            harness = try await ConversationHarness.start(
                skills: skills,
                handover: { settings in
                    if let value = overrides.takeBackKeywords { settings.takeBackKeywords = value }
                    if let value = overrides.maxFallbacks { settings.maxFallbacks = value }
                    if let value = overrides.escalationThreshold { settings.escalationThreshold = value }
                    if let value = overrides.agentAppID { settings.agentAppID = AppID(value) }
                    if let value = overrides.handoverMessage { settings.handoverMessage = value }
                    if let value = overrides.fallbackMessage { settings.fallbackMessage = value }
                },
                logger: logger)
        } catch {
            return TranscriptResult(
                name: transcript.name, file: transcript.file, turns: [], setupError: "could not start: \(error)",
                seconds: Self.seconds(since: started))
        }
        let agent = await harness.simulator.configuration.effectiveAgentAppID
        var session = TranscriptSession(harness: harness, transcript: transcript, turnTimeout: turnTimeout, agent: agent)
        var turns: [TranscriptResult.TurnResult] = []
        let user = await harness.simulator.createUser(page: harness.pageID, name: "Transcript User")
        for (index, turn) in transcript.turns.enumerated() {
            turns.append(await session.play(turn, index: index + 1, user: user))
        }
        await harness.stop()
        return TranscriptResult(name: transcript.name, file: transcript.file, turns: turns, seconds: Self.seconds(since: started))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
