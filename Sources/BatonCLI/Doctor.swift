import ArgumentParser
import BatonRuntime
import Logging

/// `baton doctor --config FILE [--app NAME] [--json]`
struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check each app and Page against Meta and the running server; exit 0 when every check passes.",
        discussion: """
            One line per check: PASS|FAIL|SKIP <app> <page> <check>: <detail>, and for a failure ' — fix: ...'. \
            Checks: token (GET /me answers the Page), appsecret_proof (accepted with the app secret), \
            subscribed_fields (subscribed_apps lists the app with every field Baton reads), verify_handshake \
            (the server at server.public_url echoes Meta's challenge; skipped without a public URL), default_app \
            (from the configuration), take_control (a take_thread_control probe for user 0: a permission error \
            means the app may not take control back; 'no such user' means it may). SKIP does not fail.
            """)

    @Option(name: .long, help: "The YAML configuration file.")
    var config: String

    @Option(name: .long, help: "Only this app (its name or app id).")
    var app: String?

    @Flag(name: .long, help: "Print a JSON array of {app, page, check, status, detail, fix}.")
    var json = false

    func run() async throws {
        LoggingBootstrap.bootstrap(level: .error)
        let checks = await SetupDoctor.run(configPath: config, app: app, logger: Logger(label: "baton.doctor"))
        if json {
            print(DoctorCheck.json(checks))
        } else {
            for check in checks { print(check.line) }
        }
        if checks.contains(where: { $0.status == .fail }) { throw ExitCode(1) }
    }
}
