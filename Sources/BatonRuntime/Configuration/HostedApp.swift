public import BatonCore

/// One Messenger app this Baton hosts (the seed's primary and secondary apps): its own
/// webhook path, signature secret, verify token, Page tokens, skills and handover rules.
///
/// The single-app form (`messenger:`) is one hosted app named ``singleAppName`` served at
/// `/webhook`; the `apps:` form lists several, each at `/webhook/<name>`.
public struct HostedApp: Sendable, Equatable {
    /// The name in the file: the webhook path `/webhook/<name>` and the name other apps'
    /// `escalate_to` use.
    public var name: String
    /// The app id, its secret, verify token, Graph API and Pages.
    public var messenger: BatonConfiguration.Messenger
    /// This app's handover rules (`apps[].handover`, else the top-level `handover:`).
    public var handover: HandoverSettings
    /// This app's skills (`apps[].skills`, else the top-level `skills:`).
    public var skills: [BatonConfiguration.Skill]

    /// The name of the app of the single-app form.
    public static let singleAppName = "main"

    /// - Parameters:
    ///   - name: the app's name in the file.
    ///   - messenger: its id, secret, verify token and Pages.
    ///   - handover: its handover rules.
    ///   - skills: its skills, in the order responders are asked.
    public init(name: String, messenger: BatonConfiguration.Messenger, handover: HandoverSettings, skills: [BatonConfiguration.Skill]) {
        (self.name, self.messenger, self.handover, self.skills) = (name, messenger, handover, skills)
    }

    /// What the file says about one `apps:` entry before the top-level defaults fill the gaps.
    struct Entry: Equatable {
        var name = ""
        var messenger = BatonConfiguration.Messenger(appID: "", appSecret: "", verifyToken: "")
        var graphAPIURL: String?
        var handover: HandoverSettings?
        var skills: [BatonConfiguration.Skill]?
    }
}

extension BatonConfiguration {
    /// Every default, hosting `apps` (the `apps:` form, each at `/webhook/<name>`); the first
    /// app is mirrored into `messenger`, `handover` and `skills` for single-app readers.
    ///
    /// - Parameter apps: the hosted apps, at least one, with distinct names and ids.
    public init(apps: [HostedApp]) {
        precondition(!apps.isEmpty, "a configuration hosts at least one app")
        self.init(messenger: apps[0].messenger, handover: apps[0].handover)
        self.skills = apps[0].skills
        self.apps = apps
    }

    /// Every app this Baton hosts: the `apps:` list, or the one app of `messenger:`.
    public var hostedApps: [HostedApp] {
        guard apps.isEmpty else { return apps }
        return [HostedApp(name: HostedApp.singleAppName, messenger: messenger, handover: handover, skills: skills)]
    }

    /// Whether the file uses the `apps:` form (each app at `/webhook/<name>`).
    public var hostsSeveralApps: Bool { !apps.isEmpty }

    /// The path Meta posts `app`'s webhooks to: `/webhook/<name>` in the `apps:` form,
    /// `/webhook` for the single app.
    public func webhookPath(for app: HostedApp) -> String {
        hostsSeveralApps ? "/webhook/\(app.name)" : "/webhook"
    }

    /// The hosted app with this name or id, if any.
    public func hostedApp(named nameOrID: String) -> HostedApp? {
        hostedApps.first { $0.name == nameOrID || $0.messenger.appID.rawValue == nameOrID }
    }

    /// The configuration one hosted app runs with: its Messenger section, handover rules
    /// and skills in place of the file's, and its own storage (in the `apps:` form each app
    /// keeps its own database beside the configured one: `baton.sqlite` → `baton.billing.sqlite`).
    public func running(_ app: HostedApp) -> BatonConfiguration {
        var single = self
        single.apps = []
        single.messenger = app.messenger
        single.handover = app.handover
        single.skills = app.skills
        if hostsSeveralApps { single.storage.location = storage.location.scoped(to: app.name) }
        return single
    }
}
