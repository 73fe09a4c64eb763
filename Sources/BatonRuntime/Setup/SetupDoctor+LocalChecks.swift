import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The checks that do not ask Meta: the running server's verify handshake, and the default app
/// by the configuration.
extension SetupDoctor {
    // MARK: Verify handshake

    func verifyHandshake(_ app: HostedApp) async -> Outcome {
        guard let base = configuration.server.publicURL else {
            return Outcome(
                status: .skip, detail: "server.public_url is not set",
                fix: "set server.public_url (baton pages add --public-url URL) to check the URL Meta calls")
        }
        let names = Names(doctor: self, app: app, pageIndex: 0)
        let url = base + configuration.webhookPath(for: app)
        let challenge = String(UInt64.random(in: 1_000_000_000...9_999_999_999))
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let token = app.messenger.verifyToken.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        let request = HTTPClientRequest(url: "\(url)?hub.mode=subscribe&hub.verify_token=\(token)&hub.challenge=\(challenge)")
        let status: Int
        let body: String
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            status = Int(response.status.code)
            body = String(buffer: try await response.body.collect(upTo: 64 * 1024))
        } catch {
            return Outcome(
                status: .fail, detail: "no answer from GET \(url): \(error)",
                fix: "start baton serve --config \(configPath) and make server.public_url reach it")
        }
        let https = base.hasPrefix("https://") ? "" : " (Meta calls only https URLs with a valid certificate)"
        switch status {
        case 200 where body == challenge:
            return Outcome(status: .pass, detail: "GET \(url) echoed the challenge for the verify token in \(names.verifyKey)\(https)")
        case 403:
            return Outcome(
                status: .fail, detail: "the server at \(url) refused the verify token in \(names.verifyKey) (403)",
                fix: "set \(names.verifyKey) to what Meta's dashboard holds and run baton serve with this configuration "
                    + "(the running server has another verify token)")
        case 404:
            return Outcome(
                status: .fail, detail: "nothing answers GET \(url) (404)",
                fix: "server.public_url must reach baton serve running this configuration (it serves \(configuration.webhookPath(for: app)))")
        default:
            return Outcome(
                status: .fail, detail: "GET \(url) answered \(status) without the challenge",
                fix: "server.public_url must reach baton serve --config \(configPath)")
        }
    }

    // MARK: Default app

    func defaultApp(_ app: HostedApp, _ page: BatonConfiguration.Page) -> Outcome {
        let claimants = configuration.hostedApps.filter { hosted in hosted.messenger.pages.contains { $0.id == page.id && $0.defaultApp } }
        let hosting = configuration.hostedApps.filter { hosted in hosted.messenger.pages.contains { $0.id == page.id } }.map(\.name)
        switch claimants.count {
        case 1 where claimants[0].name == app.name:
            return Outcome(status: .pass, detail: "\(app.name) is Page \(page.id)'s default app (Conversation Routing), as configured")
        case 1:
            return Outcome(status: .pass, detail: "\(claimants[0].name) is Page \(page.id)'s default app; \(app.name) is not (default_app: false)")
        case 0:
            return Outcome(
                status: .fail, detail: "none of the apps hosted on Page \(page.id) (\(hosting.joined(separator: ", "))) is marked as its default app",
                fix: "set default_app: true on the app Page Settings > Advanced Messaging names as the default app; "
                    + "if that is the Page Inbox or an app not hosted here, Baton never speaks first in idle threads")
        default:
            return Outcome(
                status: .fail,
                detail: "several apps say they are Page \(page.id)'s default app: \(claimants.map(\.name).joined(separator: ", "))",
                fix: "a Page has one default app: keep default_app: true on one of them only")
        }
    }
}
