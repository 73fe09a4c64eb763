import BatonCore
import BatonRuntime
import BatonTestSupport
import Foundation
import Testing

/// `baton pages add`, `list` and `subscribe` as an operator runs them: the configuration file is
/// edited in place with its comments kept, and subscriptions go to a real `baton simulate`.
@Suite("baton pages")
struct PagesCommandTests {
    static let page = "109876543210987"
    static let bot = "712345678901234"

    // MARK: - pages add

    @Test func addKeepsTheFilesCommentsAndPrintsWhatToPasteIntoMetasDashboard() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-pages")
        let original = """
            # Baton for the Acme shop: edited by hand and by `baton pages add`.
            server:
              host: 127.0.0.1   # loopback only
              port: 8080

            messenger:
              app_id: "712345678901234"        # the shop's app
              app_secret: ${BATON_APP_SECRET}
              # the Graph API (a simulator's URL in tests)
              graph_api_url: http://127.0.0.1:9/v25.0

            # Where escalations go.
            handover:
              agent_app_id: "263902037430900"
            storage:
              url: sqlite:./baton.sqlite

            """
        let path = try CommandLineTests.writeConfig(original, in: folder)
        let environment = ["ACME_PAGE_TOKEN": "acme-page-token-value-77", "BATON_APP_SECRET": "acme-app-secret-88"]

        let first = try await CommandLineTests.baton(
            ["pages", "add", "--config", path, "--id", Self.page, "--name", "Acme Shop", "--token-env", "ACME_PAGE_TOKEN",
             "--public-url", "https://bots.example.com/"], environment: environment, timeout: .seconds(30))
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("Webhook URL: https://bots.example.com/webhook"), "\(first.stdout)")
        let verifyLine = try #require(lines.first { $0.hasPrefix("Verify token: ") }, "\(first.stdout)")
        let token = try #require(verifyLine.dropFirst("Verify token: ".count).split(separator: " ").first.map(String.init))
        #expect(token.count >= 32)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }, "\(token)")
        #expect(verifyLine.contains("generated, written to messenger.verify_token"))
        #expect(first.stdout.contains("baton pages subscribe --config \(path)"))

        // Every original line is still there, in order; the additions sit where they belong.
        let expected = """
            # Baton for the Acme shop: edited by hand and by `baton pages add`.
            server:
              host: 127.0.0.1   # loopback only
              port: 8080
              public_url: "https://bots.example.com"

            messenger:
              app_id: "712345678901234"        # the shop's app
              app_secret: ${BATON_APP_SECRET}
              verify_token: "\(token)"
              # the Graph API (a simulator's URL in tests)
              graph_api_url: http://127.0.0.1:9/v25.0
              pages:
                - id: "109876543210987"
                  name: "Acme Shop"
                  access_token: ${ACME_PAGE_TOKEN}

            # Where escalations go.
            handover:
              agent_app_id: "263902037430900"
            storage:
              url: sqlite:./baton.sqlite

            """
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
        let loaded = try BatonConfiguration.load(path: path, environment: environment)
        #expect(loaded.messenger.verifyToken == token)
        #expect(loaded.messenger.pages.map(\.id.rawValue) == [Self.page])
        #expect(loaded.messenger.pages.first?.accessToken == "acme-page-token-value-77")
        #expect(loaded.server.publicURL == "https://bots.example.com")

        // A second Page: the same item layout, the verify token kept, the public URL from the file.
        let second = try await CommandLineTests.baton(
            ["pages", "add", "--config", path, "--id", "209876543210988", "--name", "Acme \"Outlet\"", "--token-env", "OUTLET_TOKEN"],
            environment: environment, timeout: .seconds(30))
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("Webhook URL: https://bots.example.com/webhook\n"))
        #expect(second.stdout.contains("Verify token: \(token) (from messenger.verify_token)"))
        #expect(second.stdout.contains("Note: $OUTLET_TOKEN is not set"), "\(second.stdout)")
        let afterSecond = try String(contentsOfFile: path, encoding: .utf8)
        #expect(afterSecond.contains("""
                  access_token: ${ACME_PAGE_TOKEN}
                - id: "209876543210988"
                  name: "Acme \\"Outlet\\""
                  access_token: ${OUTLET_TOKEN}

            # Where escalations go.
            """))

        // The same Page again is refused with one line, and the file stays as it was.
        let again = try await CommandLineTests.baton(
            ["pages", "add", "--config", path, "--id", Self.page, "--name", "Acme Shop", "--token-env", "OTHER"],
            environment: environment, timeout: .seconds(30))
        #expect(again.status == 1)
        #expect(again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
        #expect(again.stderr.contains("Page \(Self.page) is already listed for app main"), "\(again.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == afterSecond)

        for run in [first, second, again] {
            for secret in environment.values { #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret)) }
        }
        for secret in environment.values { #expect(!afterSecond.contains(secret)) }
    }

    @Test func addToOneOfSeveralAppsMatchesTheListStyleAndKeepsAnEnvironmentVerifyToken() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-pages")
        let original = """
            server:
              port: 8080
              public_url: https://old.example.com   # replaced by --public-url
            graph_api_url: http://127.0.0.1:9/v25.0
            apps:
              # the front desk
              - name: concierge
                app_id: "712345678901234"
                app_secret: ${CONCIERGE_SECRET}
                verify_token: ${CONCIERGE_VERIFY}
                pages:
                  - {id: "109876543210987", name: My Page, access_token: "${CONCIERGE_PAGE_TOKEN}", default_app: true}
              - name: billing
                app_id: "712345678901299"
                app_secret: ${BILLING_SECRET}
                verify_token: ""   # to be generated
                pages: []
            handover:
              agent_app_id: "263902037430900"

            """
        let path = try CommandLineTests.writeConfig(original, in: folder)

        let unnamed = try await CommandLineTests.baton(
            ["pages", "add", "--config", path, "--id", "1", "--name", "P", "--token-env", "T"], timeout: .seconds(30))
        #expect(unnamed.status == 1)
        #expect(unnamed.stderr == "pages add: the file hosts several apps (concierge, billing): name one with --app\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)

        let billing = try await CommandLineTests.baton(
            ["pages", "add", "--config", path, "--app", "billing", "--id", Self.page, "--name", "My Page", "--token-env",
             "BILLING_PAGE_TOKEN", "--public-url", "https://bots.example.com"], timeout: .seconds(30))
        #expect(billing.status == 0, "\(billing.stderr)")
        #expect(billing.stdout.contains("Webhook URL: https://bots.example.com/webhook/billing\n"), "\(billing.stdout)")
        #expect(billing.stdout.contains("Default app: concierge stays Page \(Self.page)'s default app"), "\(billing.stdout)")
        let verifyLine = try #require(billing.stdout.split(separator: "\n").first { $0.hasPrefix("Verify token: ") })
        #expect(verifyLine.hasSuffix("(generated, written to apps[1].verify_token)"), "\(verifyLine)")
        let token = String(verifyLine.dropFirst("Verify token: ".count).prefix { $0 != " " })

        let concierge = try await CommandLineTests.baton(
            ["pages", "add", "--config", path, "--app", "concierge", "--id", "309876543210989", "--name", "Second Page",
             "--token-env", "SECOND_PAGE_TOKEN"], timeout: .seconds(30))
        #expect(concierge.status == 0, "\(concierge.stderr)")
        #expect(concierge.stdout.contains("Webhook URL: https://bots.example.com/webhook/concierge\n"), "\(concierge.stdout)")
        #expect(concierge.stdout.contains("Verify token: the value of $CONCIERGE_VERIFY (apps[0].verify_token is ${CONCIERGE_VERIFY})"))

        let expected = """
            server:
              port: 8080
              public_url: "https://bots.example.com"   # replaced by --public-url
            graph_api_url: http://127.0.0.1:9/v25.0
            apps:
              # the front desk
              - name: concierge
                app_id: "712345678901234"
                app_secret: ${CONCIERGE_SECRET}
                verify_token: ${CONCIERGE_VERIFY}
                pages:
                  - {id: "109876543210987", name: My Page, access_token: "${CONCIERGE_PAGE_TOKEN}", default_app: true}
                  - {id: "309876543210989", name: "Second Page", access_token: "${SECOND_PAGE_TOKEN}", default_app: true}
              - name: billing
                app_id: "712345678901299"
                app_secret: ${BILLING_SECRET}
                verify_token: "\(token)"   # to be generated
                pages:
                  - id: "109876543210987"
                    name: "My Page"
                    access_token: ${BILLING_PAGE_TOKEN}
                    default_app: false
            handover:
              agent_app_id: "263902037430900"

            """
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)

        // The same Page is fine for another app, not twice for one.
        let twice = try await CommandLineTests.baton(
            ["pages", "add", "--config", path, "--app", "billing", "--id", Self.page, "--name", "My Page", "--token-env", "X"],
            timeout: .seconds(30))
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("already listed for app billing (apps[1].pages)"), "\(twice.stderr)")
    }

    @Test func addRefusesWhatWouldBreakTheFileAndLeavesItAsItWas() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-pages")
        // A Page id the reader would refuse elsewhere in the file: the edited file must load, or nothing changes.
        let original = """
            messenger:
              app_id: "712345678901234"
              app_secret: s
              verify_token: v
              pages:
                - id: "1"
                  access_token: ${A}
            handover:
              agent_app_id: "712345678901234"   # the app itself: the reader refuses this

            """
        let path = try CommandLineTests.writeConfig(original, in: folder)
        let run = try await CommandLineTests.baton(
            ["pages", "add", "--config", path, "--id", "2", "--name", "Two", "--token-env", "B"], timeout: .seconds(30))
        #expect(run.status == 1)
        #expect(run.stderr.contains("the edited file would not load (config handover.agent_app_id:"), "\(run.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)

        for (arguments, message) in [
            (["--id", "12a", "--name", "N", "--token-env", "T"], "--id must be the Page's numeric id"),
            (["--id", "2", "--name", "N", "--token-env", "BAD-NAME"], "--token-env must be an environment variable name"),
            (["--id", "2", "--name", "N", "--token-env", "T", "--public-url", "ftp://x"], "--public-url must be an http(s) URL"),
        ] {
            let refused = try await CommandLineTests.baton(["pages", "add", "--config", path] + arguments, timeout: .seconds(30))
            #expect(refused.status == 1)
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
    }

    @Test func addFindsItsPlaceInOtherLayouts() throws {
        // (what the file says, what it says after adding Page 6 "Six" with $SIX to `app`, with --public-url)
        let cases: [(app: String?, before: String, after: String)] = [
            // YAML's compact lists at the key's own column; an app without pages:; no server: section.
            (
                "billing",
                """
                apps:
                - name: concierge
                  app_id: "1"
                  app_secret: s
                  verify_token: v
                  pages:
                  - id: "6"
                    access_token: ${T}
                - name: billing   # the second bot
                  app_id: "2"
                  app_secret: s2
                  verify_token: v2
                handover:
                  agent_app_id: "263902037430900"

                """,
                """
                apps:
                - name: concierge
                  app_id: "1"
                  app_secret: s
                  verify_token: v
                  pages:
                  - id: "6"
                    access_token: ${T}
                - name: billing   # the second bot
                  app_id: "2"
                  app_secret: s2
                  verify_token: v2
                  pages:
                    - id: "6"
                      name: "Six"
                      access_token: ${SIX}
                      default_app: false
                handover:
                  agent_app_id: "263902037430900"
                server:
                  public_url: "https://x.example"

                """
            ),
            // Windows line ends, an empty verify token, an empty flow list with a comment.
            (
                nil,
                "server:\r\n  port: 8080\r\nmessenger:\r\n  app_id: \"1\"\r\n  app_secret: s\r\n  verify_token:\r\n  pages: []   # none yet\r\n",
                "server:\r\n  port: 8080\r\n  public_url: \"https://x.example\"\r\nmessenger:\r\n  app_id: \"1\"\r\n  app_secret: s\r\n"
                    + "  verify_token: \"TOKEN\"\r\n  pages: # none yet\r\n    - id: \"6\"\r\n      name: \"Six\"\r\n      access_token: ${SIX}\r\n"
            ),
            // Items written as a lone `-` with their keys below; a one-line flow list elsewhere is left alone.
            (
                "main",
                """
                messenger:
                    app_id: "1"
                    app_secret: s
                    verify_token: v
                    pages:
                        -
                            id: "5"
                            access_token: ${F}
                handover: {agent_app_id: "263902037430900", take_back_keywords: [bot, human]}
                server:
                    public_url: https://old.example
                """,
                """
                messenger:
                    app_id: "1"
                    app_secret: s
                    verify_token: v
                    pages:
                        -
                            id: "5"
                            access_token: ${F}
                        -
                            id: "6"
                            name: "Six"
                            access_token: ${SIX}
                handover: {agent_app_id: "263902037430900", take_back_keywords: [bot, human]}
                server:
                    public_url: "https://x.example"
                """
            ),
        ]
        for (app, before, after) in cases {
            let folder = try TemporaryDirectory(prefix: "baton-pages")
            let path = try CommandLineTests.writeConfig(before, in: folder)
            let result = try PageSetup.add(
                .init(configPath: path, app: app, pageID: "6", pageName: "Six", tokenVariable: "SIX", publicURL: "https://x.example/"),
                environment: [:])
            var expected = after
            if case .generated(let token) = result.verifyToken { expected = expected.replacingOccurrences(of: "TOKEN", with: token) }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == expected, "\(before)")
            #expect(result.webhookURL == "https://x.example" + (app == "billing" ? "/webhook/billing" : "/webhook"))
            #expect(result.unsetVariables.contains("SIX"))
        }
    }

    // MARK: - pages list

    @Test func listNamesTheTokenVariablesAndNeverTheirValues() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-pages")
        let path = try CommandLineTests.writeConfig(
            """
            messenger:
              app_id: "712345678901234"
              app_secret: ${BATON_APP_SECRET}
              verify_token: v
              pages:
                - id: "109876543210987"
                  name: My Page
                  access_token: ${BATON_PAGE_TOKEN}
                - id: "209876543210988"
                  name: Outlet
                  access_token: EAAinlinetokenvalue0123456789
                  default_app: false
            handover:
              agent_app_id: "263902037430900"
            """, in: folder)
        let environment = ["BATON_PAGE_TOKEN": "listed-page-token-41"]  // BATON_APP_SECRET left unset
        let text = try await CommandLineTests.baton(["pages", "list", "--config", path], environment: environment, timeout: .seconds(30))
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines == [
            "APP APP ID PAGE ID NAME DEFAULT APP TOKEN",
            "main 712345678901234 109876543210987 My Page yes $BATON_PAGE_TOKEN",
            "main 712345678901234 209876543210988 Outlet no (inline)",
        ], "\(text.stdout)")
        #expect(!text.stdout.contains("listed-page-token-41") && !text.stdout.contains("EAAinline"))

        let json = try await CommandLineTests.baton(
            ["pages", "list", "--config", path, "--json"], environment: environment, timeout: .seconds(30))
        #expect(json.status == 0, "\(json.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows.map { $0["id"] as? String } == [Self.page, "209876543210988"])
        #expect(rows.map { $0["token_env"] as? String } == ["BATON_PAGE_TOKEN", nil])
        #expect(rows.map { $0["default_app"] as? Bool } == [true, false])
        #expect(rows.allSatisfy { $0["app"] as? String == "main" && $0["webhook_path"] as? String == "/webhook" })
        #expect(!json.stdout.contains("listed-page-token-41") && !json.stdout.contains("EAAinline"))
    }

    // MARK: - pages subscribe

    @Test func subscribeSetsTheFieldsBatonReadsOnTheSimulator() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-pages")
        let simPort = try freePort()
        let path = try CommandLineTests.writeConfig(
            CommandLineTests.config(port: try freePort()).replacingOccurrences(
                of: "http://127.0.0.1:9/v25.0", with: "http://127.0.0.1:\(simPort)/v25.0"), in: folder)
        let environment = CommandLineTests.environment
        let sim = "http://127.0.0.1:\(simPort)/control"
        let run = try await CommandLineTests.baton(
            ["simulate", "--config", path, "--port", "\(simPort)"], environment: environment, timeout: .seconds(60)
        ) { process in
            defer { process.terminate() }
            try await SimulateCommandTests.waitUntilServing(sim)
            // The app starts unsubscribed.
            _ = try await SimulateCommandTests.control(.DELETE, "\(sim)/pages/\(Self.page)/subscribed_apps", ["app_id": Self.bot])
            #expect(try await Self.subscribedFields(sim) == nil)

            let subscribe = try await CommandLineTests.baton(
                ["pages", "subscribe", "--config", path], environment: environment, timeout: .seconds(30))
            #expect(subscribe.status == 0, "\(subscribe.stdout)\(subscribe.stderr)")
            #expect(subscribe.stdout == "OK main \(Self.page) (My Page): subscribed to \(WebhookFields.required.joined(separator: ","))\n")
            #expect(try await Self.subscribedFields(sim) == WebhookFields.required)

            // A token Meta refuses: one FAIL line with the fix, exit 1.
            var wrong = environment
            wrong["BATON_PAGE_TOKEN"] = "not-the-page-token"
            let refused = try await CommandLineTests.baton(["pages", "subscribe", "--config", path], environment: wrong, timeout: .seconds(30))
            #expect(refused.status == 1)
            #expect(refused.stdout.hasPrefix("FAIL main \(Self.page) (My Page): Graph API error 190"), "\(refused.stdout)")
            #expect(refused.stdout.contains("— fix: generate a new Page access token"), "\(refused.stdout)")
            #expect(!refused.stdout.contains("not-the-page-token"))
        }
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func theSetUpCommandsHaveHelp() async throws {
        for command in [["pages"], ["pages", "add"], ["pages", "list"], ["pages", "subscribe"], ["doctor"]] {
            let run = try await CommandLineTests.baton(command + ["--help"], timeout: .seconds(30))
            #expect(run.status == 0)
            #expect(run.stdout.contains("USAGE"), "\(command)")
        }
    }

    /// The fields the simulator lists for Baton's app on the Page (nil: not subscribed).
    static func subscribedFields(_ sim: String) async throws -> [String]? {
        let list = try await SimulateCommandTests.control(.GET, "\(sim)/pages/\(page)/subscribed_apps")
        let apps = try #require(list["data"] as? [[String: Any]])
        return apps.first { $0["id"] as? String == bot }?["subscribed_fields"] as? [String]
    }
}
