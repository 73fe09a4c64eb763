import BatonCore
import BatonRuntime
import Testing

/// The `apps:` form: each app's keys, the defaults it takes from the top level, and the
/// mistakes that span apps, each refused with one line naming the key.
@Suite("Configuration: several apps")
struct SeveralAppsConfigurationTests {
    static func app(_ name: String, _ id: String, defaultApp: Bool, extra: String = "") -> String {
        """
          - name: \(name)
            app_id: "\(id)"
            app_secret: secret-\(name)
            verify_token: verify-\(name)
            pages:
              - id: "109876543210987"
                access_token: token-\(name)
                default_app: \(defaultApp)
        \(extra)
        """
    }

    static func parse(_ yaml: String) throws(ConfigurationError) -> BatonConfiguration {
        try BatonConfiguration.parse(yaml: yaml, baseDirectory: "/srv/baton", environment: [:])
    }

    @Test func appsTakeTheTopLevelDefaultsAndTheirOwnDatabases() throws {
        let yaml = """
            graph_api_url: http://127.0.0.1:8090
            handover:
              max_fallbacks: 3
            skills:
              - path: /skills/libEcho.so
            apps:
            \(Self.app("concierge", "111", defaultApp: true, extra: "    skills:\n      - path: /skills/libWords.so\n        escalate_to: billing\n        threshold: 0.8"))
            \(Self.app("billing", "222", defaultApp: false, extra: "    handover:\n      max_fallbacks: 5"))
            """
        let configuration = try Self.parse(yaml)
        let apps = configuration.hostedApps
        #expect(apps.map(\.name) == ["concierge", "billing"])
        #expect(apps[0].skills.map(\.path) == ["/skills/libWords.so"])
        #expect(apps[0].skills[0].escalation == .app("222"))
        #expect(apps[0].skills[0].threshold == 0.8)
        #expect(apps[1].skills.map(\.path) == ["/skills/libEcho.so"], "no skills of its own: the top-level list")
        #expect(apps[0].handover.maxFallbacks == 3 && apps[1].handover.maxFallbacks == 5)
        #expect(apps[0].handover.me == "111" && apps[1].handover.me == "222")
        #expect(apps.allSatisfy { $0.messenger.graphAPIURL == "http://127.0.0.1:8090" })
        #expect(configuration.webhookPath(for: apps[1]) == "/webhook/billing")
        #expect(configuration.running(apps[1]).storage.location == .sqlite(path: "/srv/baton/baton.billing.sqlite"))
        #expect(configuration.messenger.appID == "111", "the first app is mirrored for single-app readers")
    }

    @Test func theSingleAppFormIsOneAppAtSlashWebhook() throws {
        let configuration = try Self.parse(
            """
            messenger:
              app_id: "111"
              app_secret: s
              verify_token: v
              pages: [{id: "1", access_token: t}]
            skills:
              - path: /skills/libWords.so
                escalate_to: "263902037430901"
            """)
        #expect(configuration.hostedApps.count == 1)
        #expect(configuration.webhookPath(for: configuration.hostedApps[0]) == "/webhook")
        #expect(configuration.running(configuration.hostedApps[0]).storage.location == .sqlite(path: "/srv/baton/baton.sqlite"))
        #expect(configuration.skills[0].escalation == .app("263902037430901"))
    }

    @Test func mistakesThatSpanAppsNameTheirKey() {
        let two = Self.app("concierge", "111", defaultApp: true) + "\n" + Self.app("billing", "222", defaultApp: false)
        let cases: [(String, String)] = [
            ("apps:\n" + Self.app("a", "111", defaultApp: true) + "\n" + Self.app("a", "222", defaultApp: false), "apps[1].name: app a is listed twice"),
            ("apps:\n" + Self.app("a", "111", defaultApp: true) + "\n" + Self.app("b", "111", defaultApp: false), "apps[1].app_id: app id 111 is already app a's"),
            ("apps:\n" + Self.app("a", "111", defaultApp: true) + "\n" + Self.app("b", "222", defaultApp: true),
             "apps[1].pages[0].default_app: Page 109876543210987 already has a as its default app"),
            ("apps:\n" + Self.app("Bad Name", "111", defaultApp: true), "apps[0].name: must be 1 to 64 of a-z, 0-9, - and _"),
            ("apps:\n" + Self.app("human", "111", defaultApp: true), "apps[0].name: 'human' is reserved for escalate_to"),
            ("skills:\n  - path: /x.so\n    escalate_to: nobody\napps:\n" + two,
             "skills[0].escalate_to: must be human, back, an app id or a hosted app's name (concierge, billing), got 'nobody'"),
            ("apps:\n" + Self.app("a", "111", defaultApp: true, extra: "    skills:\n      - path: /x.so\n        escalate_to: a"),
             "apps[0].skills[0].escalate_to: names this app itself"),
            ("messenger:\n  app_id: \"9\"\n  app_secret: s\n  verify_token: v\n  pages: [{id: \"1\", access_token: t}]\napps:\n" + two,
             "messenger: cannot be used together with apps:"),
            ("server:\n  port: 1\n", "messenger: is required (or apps: to host several apps)"),
            ("skills:\n  - path: /x.so\n    threshold: 2\napps:\n" + two, "skills[0].threshold: must be between 0 and 1, got 2.0"),
        ]
        for (yaml, expected) in cases {
            #expect(throws: ConfigurationError.self, "\(expected)") { try Self.parse(yaml) }
            do {
                _ = try Self.parse(yaml)
            } catch {
                #expect("\(error)".hasPrefix("config " + expected), "\(error)")
            }
        }
    }
}
