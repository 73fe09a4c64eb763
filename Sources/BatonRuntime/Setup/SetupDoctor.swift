import AsyncHTTPClient
import BatonCore
import BatonGraph
import Foundation
public import Logging

/// `baton doctor`: checks, for each hosted app and Page, what Meta and the running server must
/// agree on, one ``DoctorCheck`` per check, each failure with its fix:
///
/// - `token`: `GET /me?fields=id,name` with the Page token answers that Page's id;
/// - `appsecret_proof`: that call's proof, made with the app secret, is accepted (a wrong secret
///   gets Meta's "Invalid appsecret_proof", told apart from a bad token's 190);
/// - `subscribed_fields`: `GET /{page-id}/subscribed_apps` lists the app with every field of
///   ``WebhookFields/required``;
/// - `verify_handshake`: the server at `server.public_url` answers Meta's `GET` verification with
///   the app's verify token (skipped when no public URL is set);
/// - `default_app`: which hosted app is the Page's default app, by the configuration;
/// - `take_control`: `POST /me/take_thread_control` for user `"0"`: an app without the "take
///   control" permission gets a permission error (200 or 10), one with it gets 100 (no such
///   user), so the probe changes nothing.
public struct SetupDoctor: Sendable {
    /// The loaded configuration (tokens and secrets substituted).
    let configuration: BatonConfiguration
    /// The file as written, for variable names in the fixes.
    let raw: RawConfiguration?
    /// The file's path as the operator typed it, for the commands in the fixes.
    let configPath: String
    let logger: Logger

    /// Loads the file and runs every check of every app (or of one).
    /// - Parameters:
    ///   - configPath: the configuration file.
    ///   - app: one app's name or id; nil: every app.
    ///   - environment: the variables `${NAME}` reads.
    ///   - logger: where Graph calls are logged (never tokens).
    /// - Returns: the checks in order; a file that does not load gives one failed `configuration` check.
    public static func run(
        configPath: String, app: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) async -> [DoctorCheck] {
        let configuration: BatonConfiguration
        do { configuration = try BatonConfiguration.load(path: configPath, environment: environment) } catch {
            let variable = error.problem.hasPrefix("environment variable ") ? error.problem.split(separator: " ").dropFirst(2).first : nil
            let fix = variable.map { "export \($0) (the file refers to it as ${\($0)})" } ?? "correct \(error.key) (README: Configuration reference)"
            return [DoctorCheck(app: "-", page: "-", check: "configuration", status: .fail, detail: error.description, fix: fix)]
        }
        let text = try? String(contentsOfFile: configPath, encoding: .utf8)
        let raw = text.flatMap { text in try? RawConfiguration(text: text) }
        let doctor = SetupDoctor(configuration: configuration, raw: raw, configPath: configPath, logger: logger)
        let apps: [HostedApp]
        do { apps = try selectApps(configuration, app) } catch {
            return [DoctorCheck(app: app ?? "-", page: "-", check: "configuration", status: .fail, detail: error.message)]
        }
        var checks: [DoctorCheck] = []
        for hosted in apps {
            checks += await doctor.checks(of: hosted)
        }
        return checks
    }

    /// Every check of one app's Pages.
    func checks(of app: HostedApp) async -> [DoctorCheck] {
        let client = Self.graphClient(app, logger: logger)
        let handshake = await verifyHandshake(app)
        var checks: [DoctorCheck] = []
        for (index, page) in app.messenger.pages.enumerated() {
            let names = Names(doctor: self, app: app, pageIndex: index)
            func add(_ check: String, _ status: DoctorCheck.Status, _ detail: String, fix: String? = nil) {
                checks.append(DoctorCheck(app: app.name, page: page.id.rawValue, check: check, status: status, detail: detail, fix: fix))
            }
            let token = await tokenChecks(app, page, client: client, names: names)
            for outcome in token.checks { add(outcome.check, outcome.status, outcome.detail, fix: outcome.fix) }
            if token.usable {
                let subscribed = await subscribedFields(app, page, client: client, names: names)
                add("subscribed_fields", subscribed.status, subscribed.detail, fix: subscribed.fix)
            } else {
                add("subscribed_fields", .skip, "needs a working Page token (see the token check)")
            }
            add("verify_handshake", handshake.status, handshake.detail, fix: handshake.fix)
            let defaults = defaultApp(app, page)
            add("default_app", defaults.status, defaults.detail, fix: defaults.fix)
            if token.usable {
                let take = await takeControl(app, page, client: client)
                add("take_control", take.status, take.detail, fix: take.fix)
            } else {
                add("take_control", .skip, "needs a working Page token (see the token check)")
            }
        }
        return checks
    }

    /// A check's outcome before its app and Page are attached.
    struct Outcome {
        var check: String = ""
        var status: DoctorCheck.Status
        var detail: String
        var fix: String?
    }

    // MARK: Shared

    /// The apps to work on: all, or the one named.
    static func selectApps(_ configuration: BatonConfiguration, _ name: String?) throws(SetupError) -> [HostedApp] {
        guard let name else { return configuration.hostedApps }
        guard let app = configuration.hostedApp(named: name) else {
            throw SetupError("no app named \(name) (apps: \(configuration.hostedApps.map(\.name).joined(separator: ", ")))")
        }
        return [app]
    }

    /// A Graph client for one app, on the shared HTTP client.
    static func graphClient(_ app: HostedApp, logger: Logger) -> GraphClient {
        GraphClient(
            configuration: GraphConfiguration(
                baseURL: app.messenger.graphAPIURL, appSecret: app.messenger.appSecret,
                timeout: .milliseconds(Int64(clamping: app.messenger.graphTimeoutSeconds * 1000))),
            httpClient: HTTPClient.shared, logger: logger)
    }
}
