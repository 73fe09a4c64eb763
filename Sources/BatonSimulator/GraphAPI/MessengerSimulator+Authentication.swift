/// Who is calling the Graph API: the Page from `access_token`, the app from `appsecret_proof`.
extension MessengerSimulator {
    /// A Page's shared token (``SimulatorConfiguration/Page/accessToken``) is accepted with the proof of
    /// any configured app, and the proof says which app calls. An app's own token for a Page
    /// (``SimulatorConfiguration/App/pageTokens``) is that app's call on that Page, and its proof must be
    /// keyed with that app's secret. A token that matches nothing: 190; a proof missing or wrong: 100.
    func authenticate(_ params: [String: JSONValue]) throws(SimulatedGraphError) -> (SimulatorConfiguration.Page, SimulatorConfiguration.App) {
        guard let token = params["access_token"]?.string, !token.isEmpty else { throw .invalidToken }
        let proof = params["appsecret_proof"]?.string?.lowercased()
        func proves(_ app: SimulatorConfiguration.App) -> Bool {
            guard let proof else { return false }
            return MessengerCrypto.constantTimeEqual(MessengerCrypto.appSecretProof(accessToken: token, secret: app.secret), proof)
        }
        if let page = configuration.pages.first(where: { $0.accessToken == token }) {
            guard let app = configuration.apps.first(where: proves) else { throw .invalidProof }
            return (page, app)
        }
        for app in configuration.apps {
            for page in configuration.pages where app.pageTokens[page.id] == token {
                guard proves(app) else { throw .invalidProof }
                return (page, app)
            }
        }
        throw .invalidToken
    }

    /// The token an app uses on a Page: its own (``SimulatorConfiguration/App/pageTokens``) if it has
    /// one, else the Page's shared token.
    /// - Parameters:
    ///   - app: The app ID.
    ///   - page: The Page ID.
    /// - Returns: The token, or `nil` for an unknown Page.
    public func accessToken(app: String, page: String) -> String? {
        guard let shared = self.page(withID: page)?.accessToken else { return nil }
        return configuration.apps.first { $0.id == app }?.pageTokens[page] ?? shared
    }
}
