import BatonCore

/// Turns what the file says into the apps Baton hosts: the top-level sections fill each
/// `apps:` entry's gaps, `escalate_to` names become app ids, and the checks that span apps
/// run (one name and one id per app, at most one default app per Page).
enum HostedAppResolution {
    /// Resolves `configuration` in place; the first hosted app is mirrored into
    /// `messenger`, `handover` and `skills` so single-app readers keep working.
    static func resolve(_ configuration: inout BatonConfiguration) throws(ConfigurationError) {
        let entries = configuration.appEntries
        configuration.appEntries = []
        guard !entries.isEmpty else {
            try resolveSingleApp(&configuration)
            return
        }
        guard configuration.messenger.appID.rawValue.isEmpty else {
            throw ConfigurationError(key: "messenger", "cannot be used together with apps: (list this app under apps:)")
        }
        var apps: [HostedApp] = []
        for (index, entry) in entries.enumerated() {
            let key = "apps[\(index)]"
            if apps.contains(where: { $0.name == entry.name }) {
                throw ConfigurationError(key: "\(key).name", "app \(entry.name) is listed twice")
            }
            if let other = apps.first(where: { $0.messenger.appID == entry.messenger.appID }) {
                throw ConfigurationError(key: "\(key).app_id", "app id \(entry.messenger.appID) is already app \(other.name)'s")
            }
            var messenger = entry.messenger
            messenger.graphAPIURL = entry.graphAPIURL ?? configuration.graphAPIURL ?? messenger.graphAPIURL
            var handover = entry.handover ?? configuration.handover
            handover.me = messenger.appID
            try checkAgent(
                handover, key: entry.handover == nil ? "handover.agent_app_id" : "\(key).handover.agent_app_id", own: "\(key).app_id")
            apps.append(HostedApp(name: entry.name, messenger: messenger, handover: handover, skills: entry.skills ?? configuration.skills))
        }
        for index in apps.indices {
            let key = entries[index].skills == nil ? "skills" : "apps[\(index)].skills"
            apps[index].skills = try resolveTargets(apps[index].skills, key: key, apps: apps, own: apps[index].messenger.appID)
        }
        try checkDefaultApps(apps)
        configuration.apps = apps
        configuration.messenger = apps[0].messenger
        configuration.handover = apps[0].handover
        configuration.skills = apps[0].skills
    }

    private static func resolveSingleApp(_ configuration: inout BatonConfiguration) throws(ConfigurationError) {
        guard !configuration.messenger.appID.rawValue.isEmpty else {
            throw ConfigurationError(key: "messenger", "is required (or apps: to host several apps)")
        }
        if let url = configuration.graphAPIURL, configuration.messenger.graphAPIURL == ConfigSchema.template.messenger.graphAPIURL {
            configuration.messenger.graphAPIURL = url
        }
        configuration.handover.me = configuration.messenger.appID
        try checkAgent(configuration.handover, key: "handover.agent_app_id", own: "messenger.app_id")
        configuration.skills = try resolveTargets(configuration.skills, key: "skills", apps: [], own: configuration.messenger.appID)
    }

    private static func checkAgent(_ handover: HandoverSettings, key: String, own: String) throws(ConfigurationError) {
        guard handover.agentAppID != handover.me else { throw ConfigurationError(key: key, "must differ from \(own)") }
    }

    private static func resolveTargets(
        _ skills: [BatonConfiguration.Skill], key: String, apps: [HostedApp], own: AppID
    ) throws(ConfigurationError) -> [BatonConfiguration.Skill] {
        var resolved = skills
        for index in resolved.indices {
            guard let text = resolved[index].escalateTo else { continue }
            resolved[index].escalation = try target(text, apps: apps, own: own, key: "\(key)[\(index)].escalate_to")
        }
        return resolved
    }

    /// `human`, `back`, a hosted app's name or a numeric app id.
    static func target(_ text: String, apps: [HostedApp], own: AppID, key: String) throws(ConfigurationError) -> EscalationTarget {
        switch text {
        case "human": return .human
        case "back": return .back
        default: break
        }
        let id: AppID
        if let app = apps.first(where: { $0.name == text }) {
            id = app.messenger.appID
        } else if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
            id = AppID(text)
        } else {
            let names = apps.map(\.name).joined(separator: ", ")
            throw ConfigurationError(
                key: key, "must be human, back, an app id" + (names.isEmpty ? "" : " or a hosted app's name (\(names))") + ", got '\(text)'")
        }
        guard id != own else { throw ConfigurationError(key: key, "names this app itself: an escalation must go to another app") }
        return .app(id)
    }

    /// A Page has one Conversation Routing default app: two hosted apps claiming it is a mistake.
    private static func checkDefaultApps(_ apps: [HostedApp]) throws(ConfigurationError) {
        var claimed: [PageID: String] = [:]
        for (appIndex, app) in apps.enumerated() {
            for (pageIndex, page) in app.messenger.pages.enumerated() where page.defaultApp {
                if let other = claimed[page.id] {
                    throw ConfigurationError(
                        key: "apps[\(appIndex)].pages[\(pageIndex)].default_app",
                        "Page \(page.id) already has \(other) as its default app; a Page has one: set default_app: false here")
                }
                claimed[page.id] = app.name
            }
        }
    }
}
