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
///
/// A transcript with ``Transcript/apps`` ignores ``skill`` and ``with``: one runtime hosts its bots
/// on one Page with the Page Inbox (see ``ConversationHarness/start(hosting:knobs:retry:folder:logger:)``).
public struct TranscriptRunner: Sendable {
    /// The library under test; it gets the transcript's `skill_config`. Empty: only transcripts with apps run.
    public var skill: String
    /// More libraries loaded after it, with `{}` configuration (detectors and responders are routed by kind).
    public var with: [String]
    /// Where a relative skill path of ``Transcript/apps`` is looked for when it is not in the
    /// transcript's folder (`baton skill test` gives the folder of the `baton` executable).
    public var skillFolders: [String]
    /// How long one turn may take to settle.
    public var turnTimeout: Duration
    /// The runtime's and simulator's logger.
    public var logger: Logger

    /// Creates a runner.
    /// - Parameters:
    ///   - skill: Path of the skill library under test.
    ///   - with: Paths of other libraries to load with it, in order.
    ///   - turnTimeout: How long one turn may take to settle.
    ///   - skillFolders: Where relative skill paths of ``Transcript/apps`` are looked for after the transcript's folder.
    ///   - logger: The logger for the runtime and simulator (quiet by default).
    public init(
        skill: String, with: [String] = [], turnTimeout: Duration = .seconds(20), skillFolders: [String] = [], logger: Logger? = nil
    ) {
        self.skill = skill
        self.with = with
        self.turnTimeout = turnTimeout
        self.skillFolders = skillFolders
        self.logger = logger ?? {
            var quiet = Logger(label: "baton.transcripts")
            quiet.logLevel = .critical
            return quiet
        }()
    }

    /// Creates a runner for transcripts that name their bots (``Transcript/apps``).
    /// - Parameters:
    ///   - skillFolders: Where relative skill paths are looked for after the transcript's folder.
    ///   - turnTimeout: How long one turn may take to settle.
    ///   - logger: The logger for the runtime and simulator (quiet by default).
    public init(skillFolders: [String] = [], turnTimeout: Duration = .seconds(20), logger: Logger? = nil) {
        self.init(skill: "", turnTimeout: turnTimeout, skillFolders: skillFolders, logger: logger)
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
        let harness: ConversationHarness
        do {
            harness = try await start(transcript)
        } catch {
            return TranscriptResult(
                name: transcript.name, file: transcript.file, turns: [], setupError: "could not start: \(error)",
                seconds: Self.seconds(since: started))
        }
        let agent = await harness.simulator.configuration.effectiveAgentAppID
        let cast = transcript.hostsSeveralBots
            ? TranscriptCast.hosting(transcript.apps, agent: agent)
            : TranscriptCast.single(bot: ConversationHarness.botAppID, agent: agent)
        var session = TranscriptSession(harness: harness, transcript: transcript, turnTimeout: turnTimeout, cast: cast)
        var turns: [TranscriptResult.TurnResult] = []
        let user = await harness.simulator.createUser(page: harness.pageID, name: "Transcript User")
        for (index, turn) in transcript.turns.enumerated() {
            turns.append(await session.play(turn, index: index + 1, user: user))
        }
        await harness.stop()
        return TranscriptResult(name: transcript.name, file: transcript.file, turns: turns, seconds: Self.seconds(since: started))
    }

    /// A harness for the transcript: its apps hosted together, or ``skill`` and ``with``.
    func start(_ transcript: Transcript) async throws -> ConversationHarness {
        let overrides = transcript.handover
        if transcript.hostsSeveralBots {
            return try await ConversationHarness.start(hosting: try bots(transcript), logger: logger)
        }
        guard !skill.isEmpty else {
            throw HarnessError("this transcript has no apps: header: give a skill library (baton skill test LIB.so) or --app")
        }
        let skills = [BatonConfiguration.Skill(path: skill, configJSON: transcript.skillConfigJSON ?? "{}")]
            + with.map { BatonConfiguration.Skill(path: $0) }
        return try await ConversationHarness.start(skills: skills, handover: { overrides.apply(to: &$0) }, logger: logger)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
