import BatonCore
import BatonGraph

/// The checks that ask Meta: the token, its proof, the subscription and the take permission.
extension SetupDoctor {
    // MARK: Token and proof

    func tokenChecks(_ app: HostedApp, _ page: BatonConfiguration.Page, client: GraphClient, names: Names) async
        -> (checks: [Outcome], usable: Bool)
    {
        let subject = "Page \(page.id) (\(page.name))"
        let newToken = "generate a Page access token for \(subject) with app \(app.name) (\(app.messenger.appID)) and put it in \(names.token)"
        do {
            let owner = try await client.tokenOwner(page: page.id, token: page.accessToken)
            let proof = Outcome(
                check: "appsecret_proof", status: .pass, detail: "Meta accepted the proof made with \(names.secretKey)")
            guard owner.id == page.id.rawValue else {
                let other = owner.name.map { "\($0) (\(owner.id))" } ?? owner.id
                let token = Outcome(
                    check: "token", status: .fail, detail: "the token in \(names.token) belongs to \(other), not \(subject)",
                    fix: "the token belongs to Page \(other), not \(page.id): \(newToken)")
                return ([token, proof], false)
            }
            let token = Outcome(check: "token", status: .pass, detail: "the token in \(names.token) belongs to \(subject)")
            return ([token, proof], true)
        } catch {
            if error.isInvalidAppSecretProof {
                let token = Outcome(check: "token", status: .skip, detail: "Meta reads no token until appsecret_proof is accepted")
                let proof = Outcome(
                    check: "appsecret_proof", status: .fail,
                    detail: "Meta refused the appsecret_proof made with \(names.secretKey): \(error.message)",
                    fix: "set \(names.secretKey) to the App Secret of app \(app.messenger.appID) (App settings > Basic), "
                        + "or use a Page token made with that app")
                return ([token, proof], false)
            }
            let skipped = Outcome(check: "appsecret_proof", status: .skip, detail: "needs a token Meta accepts (see the token check)")
            switch error.classification {
            case .invalidToken:
                let token = Outcome(
                    check: "token", status: .fail, detail: "Meta refused the token in \(names.token): \(error.message)", fix: newToken)
                return ([token, skipped], false)
            default:
                let token = Outcome(
                    check: "token", status: .fail, detail: "GET /me failed: \(error)", fix: Self.fix(for: error, names: names))
                return ([token, skipped], false)
            }
        }
    }

    // MARK: Subscription

    func subscribedFields(_ app: HostedApp, _ page: BatonConfiguration.Page, client: GraphClient, names: Names) async -> Outcome {
        let subscribe = "run baton pages subscribe --config \(configPath)" + (configuration.hostsSeveralApps ? " --app \(app.name)" : "")
        let apps: [SubscribedApp]
        do { apps = try await client.subscribedApps(page: page.id, token: page.accessToken) } catch {
            return Outcome(
                status: .fail, detail: "GET /\(page.id)/subscribed_apps failed: \(error)", fix: Self.fix(for: error, names: names))
        }
        guard let entry = apps.first(where: { $0.id == app.messenger.appID }) else {
            return Outcome(
                status: .fail, detail: "app \(app.name) (\(app.messenger.appID)) is not subscribed to Page \(page.id)", fix: subscribe)
        }
        let missing = WebhookFields.required.filter { !entry.fields.contains($0) }
        guard missing.isEmpty else {
            return Outcome(status: .fail, detail: "app \(app.name) is not subscribed to \(missing.joined(separator: ", "))", fix: subscribe)
        }
        return Outcome(status: .pass, detail: "app \(app.name) gets \(WebhookFields.required.joined(separator: ","))")
    }

    // MARK: Take control

    func takeControl(_ app: HostedApp, _ page: BatonConfiguration.Page, client: GraphClient) async -> Outcome {
        let fix = "give app \(app.name) (\(app.messenger.appID)) the 'take control' permission in Page Settings > Advanced Messaging"
        do {
            try await client.takeThreadControl(user: UserID("0"), page: page.id, token: page.accessToken, metadata: nil)
            return Outcome(status: .pass, detail: "take_thread_control was accepted")
        } catch {
            if error.code == 100, !error.isInvalidAppSecretProof {
                return Outcome(
                    status: .pass,
                    detail: "app \(app.name) may take control back (the probe for user 0 was refused only as an unknown user: code 100)")
            }
            if error.classification == .permission {
                return Outcome(
                    status: .fail, detail: "app \(app.name) may not take control of Page \(page.id)'s conversations: \(error.message)",
                    fix: fix)
            }
            return Outcome(status: .fail, detail: "the take_thread_control probe failed: \(error)", fix: "run baton doctor again; \(fix) if it persists")
        }
    }

    /// The fix for a Graph error other than a token or proof refusal.
    static func fix(for error: GraphError, names: Names) -> String {
        switch error.classification {
        case .network, .transient, .rateLimited: return "check \(names.graphKey) and the network, then run baton doctor again"
        case .invalidToken: return "generate a new Page access token and put it in \(names.token)"
        case .permission: return "the Page token needs pages_messaging and pages_manage_metadata, from someone who can moderate the Page"
        default: return "see the error above"
        }
    }
}
