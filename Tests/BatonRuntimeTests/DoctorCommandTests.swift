import BatonRuntime
import BatonSimulator
import BatonTestSupport
import Foundation
import Testing

/// `baton doctor` as an operator runs it, against `baton simulate` (playing Meta) and a running
/// `baton serve`: every check passes on a good set-up, and each broken set-up fails the one check
/// it breaks, with the line that says how to fix it.
@Suite("baton doctor")
struct DoctorCommandTests {
    static let page = "109876543210987"
    static let bot = "712345678901234"
    static let checkNames = ["token", "appsecret_proof", "subscribed_fields", "verify_handshake", "default_app", "take_control"]

    @Test func passesOnAGoodSetUpAndNamesTheFixForEachBrokenOne() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-doctor")
        let simPort = try freePort()
        let servePort = try freePort()
        let config = CommandLineTests.config(port: servePort)
            .replacingOccurrences(of: "http://127.0.0.1:9/v25.0", with: "http://127.0.0.1:\(simPort)/v25.0")
            .replacingOccurrences(of: "  port: \(servePort)\n", with: "  port: \(servePort)\n  public_url: http://127.0.0.1:\(servePort)\n")
        let path = try CommandLineTests.writeConfig(config, in: folder)
        let environment = CommandLineTests.environment
        let sim = "http://127.0.0.1:\(simPort)/control"
        let webhook = "http://127.0.0.1:\(servePort)/webhook"

        let simulate = try await CommandLineTests.baton(
            ["simulate", "--config", path, "--port", "\(simPort)"], environment: environment, timeout: .seconds(120)
        ) { process in
            defer { process.terminate() }
            try await SimulateCommandTests.waitUntilServing(sim)
            let serve = ServeProcess(configPath: path, port: servePort, logPath: folder.file("serve.log"), environment: environment)
            try await serve.start()
            do {
                // A good set-up: six checks, all PASS, exit 0; --json says the same.
                let good = try await Self.doctor(path, environment)
                #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
                let lines = good.stdout.split(separator: "\n").map(String.init)
                #expect(lines.count == 6, "\(good.stdout)")
                for (line, check) in zip(lines, Self.checkNames) {
                    #expect(line.hasPrefix("PASS main \(Self.page) \(check): "), "\(line)")
                }
                #expect(good.stdout.contains("verify_handshake: GET \(webhook) echoed the challenge"), "\(good.stdout)")
                #expect(good.stdout.contains("default_app: main is Page \(Self.page)'s default app"))
                let json = try await Self.doctor(path, environment, json: true)
                #expect(json.status == 0)
                let checks = try Self.parse(json.stdout)
                #expect(checks.map { $0["check"] as? String } == Self.checkNames)
                #expect(checks.allSatisfy { $0["status"] as? String == "PASS" && $0["app"] as? String == "main" && $0["fix"] is NSNull })

                // Wrong token: the token check fails with its fix; what needs a token is skipped.
                var wrongToken = environment
                wrongToken["BATON_PAGE_TOKEN"] = "not-the-page-token"
                let badToken = try await Self.doctor(path, wrongToken)
                #expect(badToken.status == 1)
                #expect(
                    badToken.line("FAIL main \(Self.page) token: Meta refused the token in $BATON_PAGE_TOKEN")?.hasSuffix(
                        "— fix: generate a Page access token for Page \(Self.page) (My Page) with app main (\(Self.bot)) and put it in $BATON_PAGE_TOKEN")
                        == true, "\(badToken.stdout)")
                #expect(badToken.line("SKIP main \(Self.page) take_control:") != nil, "\(badToken.stdout)")
                #expect(!badToken.stdout.contains("not-the-page-token"))

                // Wrong app secret: Meta's invalid-proof error, told apart from a bad token.
                var wrongSecret = environment
                wrongSecret["BATON_APP_SECRET"] = "not-the-app-secret"
                let badSecret = try await Self.doctor(path, wrongSecret)
                #expect(badSecret.status == 1)
                #expect(badSecret.line("SKIP main \(Self.page) token:") != nil, "\(badSecret.stdout)")
                #expect(
                    badSecret.line("FAIL main \(Self.page) appsecret_proof: Meta refused the appsecret_proof made with messenger.app_secret")?
                        .contains("— fix: set messenger.app_secret to the App Secret of app \(Self.bot)") == true, "\(badSecret.stdout)")

                // A field missing: subscribed_fields fails; `baton pages subscribe` (the fix) makes it pass.
                _ = try await SimulateCommandTests.control(
                    .POST, "\(sim)/pages/\(Self.page)/subscribed_apps",
                    ["app_id": Self.bot, "subscribed_fields": ["messages", "messaging_postbacks", "messaging_handovers", "standby", "message_echoes"]])
                let missing = try await Self.doctor(path, environment)
                #expect(missing.status == 1)
                #expect(
                    missing.line("FAIL main \(Self.page) subscribed_fields:")
                        == "FAIL main \(Self.page) subscribed_fields: app main is not subscribed to message_deliveries, message_reads, "
                        + "messaging_referrals, messaging_optins — fix: run baton pages subscribe --config \(path)", "\(missing.stdout)")
                #expect(missing.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.count == 1, "\(missing.stdout)")
                let subscribe = try await CommandLineTests.baton(["pages", "subscribe", "--config", path], environment: environment, timeout: .seconds(30))
                #expect(subscribe.status == 0, "\(subscribe.stdout)")
                #expect(try await Self.doctor(path, environment).status == 0)

                // A verify token the running server does not hold.
                var otherVerify = environment
                otherVerify["BATON_VERIFY_TOKEN"] = "what-the-dashboard-holds"
                let badVerify = try await Self.doctor(path, otherVerify)
                #expect(badVerify.status == 1)
                #expect(
                    badVerify.line("FAIL main \(Self.page) verify_handshake: the server at \(webhook) refused the verify token")?.contains(
                        "— fix: set messenger.verify_token ($BATON_VERIFY_TOKEN) to what Meta's dashboard holds") == true,
                    "\(badVerify.stdout)")
                #expect(badVerify.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.count == 1, "\(badVerify.stdout)")

                // No "take control" permission: the probe gets the permission error.
                _ = try await SimulateCommandTests.control(.POST, "\(sim)/apps/\(Self.bot)/permissions", ["take_control": false])
                let noTake = try await Self.doctor(path, environment)
                #expect(noTake.status == 1)
                #expect(
                    noTake.line("FAIL main \(Self.page) take_control: app main may not take control")?.hasSuffix(
                        "— fix: give app main (\(Self.bot)) the 'take control' permission in Page Settings > Advanced Messaging") == true,
                    "\(noTake.stdout)")
                #expect(noTake.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.count == 1, "\(noTake.stdout)")
                let noTakeJSON = try Self.parse(try await Self.doctor(path, environment, json: true).stdout)
                let failed = noTakeJSON.filter { $0["status"] as? String == "FAIL" }
                #expect(failed.count == 1 && failed.first?["check"] as? String == "take_control")
                #expect((failed.first?["fix"] as? String)?.contains("'take control' permission") == true)
                _ = try await SimulateCommandTests.control(.POST, "\(sim)/apps/\(Self.bot)/permissions", ["take_control": true])
                // The probe changed nothing: a doctor run after it passes whole.
                #expect(try await Self.doctor(path, environment).status == 0)

                // No public URL: the handshake is skipped with a note, which does not fail the run.
                let noURL = folder.file("no-public-url.yaml")
                try config.replacingOccurrences(of: "  public_url: http://127.0.0.1:\(servePort)\n", with: "")
                    .write(toFile: noURL, atomically: true, encoding: .utf8)
                let skipped = try await Self.doctor(noURL, environment)
                #expect(skipped.status == 0, "\(skipped.stdout)")
                #expect(skipped.line("SKIP main \(Self.page) verify_handshake: server.public_url is not set") != nil, "\(skipped.stdout)")

                // A public URL nothing answers at.
                let deadPort = try freePort()
                let deadURL = folder.file("dead-public-url.yaml")
                try config.replacingOccurrences(of: "public_url: http://127.0.0.1:\(servePort)", with: "public_url: http://127.0.0.1:\(deadPort)")
                    .write(toFile: deadURL, atomically: true, encoding: .utf8)
                let dead = try await Self.doctor(deadURL, environment)
                #expect(dead.status == 1)
                #expect(
                    dead.line("FAIL main \(Self.page) verify_handshake: no answer from GET http://127.0.0.1:\(deadPort)/webhook")?.contains(
                        "— fix: start baton serve --config \(deadURL)") == true, "\(dead.stdout)")
            } catch {
                Issue.record(error)
            }
            #expect(try await serve.terminate() == 0)
        }
        #expect(simulate.status == 0, "\(simulate.stderr)")
    }

    @Test func aTokenOfAnotherPageAndAPageWithoutADefaultAppAreFlagged() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-doctor")
        let simPort = try freePort()
        let other = "209876543210988"
        let path = try CommandLineTests.writeConfig(
            """
            server:
              host: 127.0.0.1
              port: \(try freePort())
            messenger:
              app_id: "\(Self.bot)"
              app_secret: doctor-secret
              verify_token: doctor-verify
              graph_api_url: http://127.0.0.1:\(simPort)/v25.0
              pages:
                - id: "\(Self.page)"
                  name: My Page
                  access_token: ${PAGE_A_TOKEN}
                - id: "\(other)"
                  name: Outlet
                  access_token: ${PAGE_B_TOKEN}
                  default_app: false
            handover:
              agent_app_id: "263902037430900"
            """, in: folder)
        let environment = ["PAGE_A_TOKEN": "page-a-token", "PAGE_B_TOKEN": "page-b-token"]
        let sim = "http://127.0.0.1:\(simPort)/control"
        let simulate = try await CommandLineTests.baton(
            ["simulate", "--config", path, "--port", "\(simPort)"], environment: environment, timeout: .seconds(60)
        ) { process in
            defer { process.terminate() }
            try await SimulateCommandTests.waitUntilServing(sim)
            var swapped = environment
            swapped["PAGE_B_TOKEN"] = "page-a-token"
            let run = try await Self.doctor(path, swapped)
            #expect(run.status == 1)
            #expect(run.stdout.split(separator: "\n").count == 12, "\(run.stdout)")
            #expect(
                run.line("FAIL main \(other) token: the token in $PAGE_B_TOKEN belongs to My Page (\(Self.page)), not Page \(other) (Outlet)")?
                    .contains("— fix: the token belongs to Page My Page (\(Self.page)), not \(other): generate a Page access token for Page \(other)")
                    == true, "\(run.stdout)")
            #expect(
                run.line("FAIL main \(other) default_app: none of the apps hosted on Page \(other) (main) is marked as its default app")?
                    .contains("— fix: set default_app: true on the app Page Settings > Advanced Messaging names") == true, "\(run.stdout)")
            #expect(run.line("SKIP main \(other) verify_handshake: server.public_url is not set") != nil)
            #expect(run.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS main \(Self.page) ") }.count == 5, "\(run.stdout)")
        }
        #expect(simulate.status == 0, "\(simulate.stderr)")
    }

    @Test func checksEveryAppOfASeveralAppsConfigurationAtItsOwnWebhookPath() async throws {
        let folder = try TemporaryDirectory(prefix: "baton-doctor")
        let (concierge, billing) = ("712345678901234", "712345678901299")
        let port = try freePort()
        let simulator = MessengerSimulator(
            configuration: SimulatorConfiguration(
                pages: [.init(id: Self.page, name: "My Page", accessToken: "shared-page-token")],
                apps: [
                    .init(
                        id: concierge, name: "Concierge", secret: "concierge-secret", webhookURL: "http://127.0.0.1:\(port)/webhook/concierge",
                        pageTokens: [Self.page: "concierge-page-token"]),
                    .init(
                        id: billing, name: "Billing", secret: "billing-secret", webhookURL: "http://127.0.0.1:\(port)/webhook/billing",
                        pageTokens: [Self.page: "billing-page-token"]),
                ],
                defaultOwnerAppID: concierge),
            logger: testLogger("doctor.simulator"))
        try await simulator.start()
        let path = try CommandLineTests.writeConfig(
            """
            server:
              host: 127.0.0.1
              port: \(port)
              public_url: http://127.0.0.1:\(port)
            graph_api_url: \(await simulator.graphBaseURL)
            apps:
              - name: concierge
                app_id: "\(concierge)"
                app_secret: concierge-secret
                verify_token: concierge-verify
                pages:
                  - {id: "\(Self.page)", name: My Page, access_token: "${CONCIERGE_PAGE_TOKEN}", default_app: true}
              - name: billing
                app_id: "\(billing)"
                app_secret: billing-secret
                verify_token: billing-verify
                pages:
                  - {id: "\(Self.page)", name: My Page, access_token: "${BILLING_PAGE_TOKEN}", default_app: false}
            handover:
              agent_app_id: "263902037430900"
            storage:
              url: sqlite:./baton.sqlite
            """, in: folder)
        let environment = ["CONCIERGE_PAGE_TOKEN": "concierge-page-token", "BILLING_PAGE_TOKEN": "billing-page-token"]
        let serve = ServeProcess(configPath: path, port: port, logPath: folder.file("serve.log"), environment: environment)
        try await serve.start()
        do {
            let good = try await Self.doctor(path, environment)
            #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
            let lines = good.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 12 && lines.allSatisfy { $0.hasPrefix("PASS ") }, "\(good.stdout)")
            #expect(good.line("PASS billing \(Self.page) verify_handshake: GET http://127.0.0.1:\(port)/webhook/billing echoed") != nil)
            #expect(good.line("PASS billing \(Self.page) default_app: concierge is Page \(Self.page)'s default app; billing is not") != nil)

            // A token made for the other app: Meta refuses the proof made with this app's secret.
            var swapped = environment
            swapped["CONCIERGE_PAGE_TOKEN"] = "billing-page-token"
            let crossed = try await Self.doctor(path, swapped)
            #expect(crossed.status == 1)
            #expect(
                crossed.line("FAIL concierge \(Self.page) appsecret_proof: Meta refused the appsecret_proof made with apps[0].app_secret")?
                    .contains("— fix: set apps[0].app_secret to the App Secret of app \(concierge)") == true, "\(crossed.stdout)")

            // Billing loses the take permission: its take_control alone fails; --app limits the run.
            await simulator.setTakeControlPermission(false, for: billing)
            let noTake = try await Self.doctor(path, environment)
            #expect(noTake.status == 1)
            let failed = noTake.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
            #expect(failed.count == 1 && failed.first?.hasPrefix("FAIL billing \(Self.page) take_control: ") == true, "\(noTake.stdout)")
            #expect(failed.first?.hasSuffix("— fix: give app billing (\(billing)) the 'take control' permission in Page Settings > Advanced Messaging") == true)
            let onlyConcierge = try await Self.doctor(path, environment, extra: ["--app", "concierge"])
            #expect(onlyConcierge.status == 0)
            #expect(onlyConcierge.stdout.split(separator: "\n").count == 6)
        } catch {
            Issue.record(error)
        }
        #expect(try await serve.terminate() == 0)
        try await simulator.shutdown()
    }

    // MARK: - Helpers

    /// Runs `baton doctor --config PATH [--json]`.
    static func doctor(_ path: String, _ environment: [String: String], json: Bool = false, extra: [String] = []) async throws
        -> CommandLineTests.Run
    {
        try await CommandLineTests.baton(
            ["doctor", "--config", path] + extra + (json ? ["--json"] : []), environment: environment, timeout: .seconds(60))
    }

    /// `--json` output as an array of objects with exactly the six keys.
    static func parse(_ text: String) throws -> [[String: Any]] {
        let checks = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], "\(text)")
        for check in checks { #expect(Set(check.keys) == ["app", "page", "check", "status", "detail", "fix"]) }
        return checks
    }
}

extension CommandLineTests.Run {
    /// The first line of standard output that starts with `prefix`.
    func line(_ prefix: String) -> String? {
        stdout.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init)
    }
}
