import BatonCore
import BatonRuntime
import Foundation

extension TranscriptRunner {
    /// The transcript's apps as the harness hosts them: skill paths found, handover overrides applied.
    /// - Throws: ``HarnessError`` naming a library that is nowhere to be found.
    func bots(_ transcript: Transcript) throws -> [ConversationHarness.BotApp] {
        let folder = URL(fileURLWithPath: transcript.file).deletingLastPathComponent().path
        let overrides = transcript.handover
        return try transcript.apps.map { app in
            let skills = try app.skills.map { skill in
                BatonConfiguration.Skill(
                    path: try locate(skill.path, app: app.name, transcriptFolder: folder), configJSON: skill.configJSON,
                    escalation: skill.escalation, threshold: skill.threshold)
            }
            return ConversationHarness.BotApp(
                name: app.name, appID: app.id, skills: skills, defaultApp: app.defaultApp, handover: { overrides.apply(to: &$0) })
        }
    }

    /// An absolute path as is; a relative one in the transcript's folder, else in ``skillFolders``.
    func locate(_ path: String, app: String, transcriptFolder: String) throws -> String {
        if path.hasPrefix("/") { return path }
        let folders = [transcriptFolder] + skillFolders
        for folder in folders {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        throw HarnessError("app \(app): skill library \(path) is not in \(folders.joined(separator: " nor "))")
    }
}

extension Transcript.HandoverOverrides {
    /// Sets what the transcript's `handover:` gives on `settings`.
    func apply(to settings: inout HandoverSettings) {
        if let value = takeBackKeywords { settings.takeBackKeywords = value }
        if let value = maxFallbacks { settings.maxFallbacks = value }
        if let value = escalationThreshold { settings.escalationThreshold = value }
        if let value = agentAppID { settings.agentAppID = AppID(value) }
        if let value = handoverMessage { settings.handoverMessage = value }
        if let value = fallbackMessage { settings.fallbackMessage = value }
    }
}
