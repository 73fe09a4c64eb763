extension PageSetup.Result {
    /// What `baton pages add` prints: what changed, the Callback URL and verify token to paste
    /// into Meta's dashboard, and what comes next. Never a token's value, except the verify
    /// token written in the file (Meta's dashboard needs it).
    /// - Parameter configPath: the configuration file, as the operator named it.
    /// - Returns: the lines.
    public func report(configPath: String) -> [String] {
        var lines = ["Added Page \(pageID) (\(pageName)) to app \(appName) in \(configPath)."]
        if let webhookURL {
            lines.append("Webhook URL: \(webhookURL)")
        } else {
            lines.append("Webhook URL: https://<your public host>\(webhookPath) (pass --public-url to keep the host in the file as server.public_url)")
        }
        switch verifyToken {
        case .generated(let token): lines.append("Verify token: \(token) (generated, written to \(verifyTokenKey))")
        case .inFile(let token): lines.append("Verify token: \(token) (from \(verifyTokenKey))")
        case .environment(let name): lines.append("Verify token: the value of $\(name) (\(verifyTokenKey) is ${\(name)})")
        }
        lines.append("Page token: read from $\(tokenVariable) when Baton starts (the file holds only ${\(tokenVariable)})")
        if let otherDefaultApp {
            lines.append("Default app: \(otherDefaultApp) stays Page \(pageID)'s default app; this entry has default_app: false")
        }
        for name in unsetVariables {
            lines.append("Note: $\(name) is not set in this shell; export it before running baton serve, subscribe or doctor.")
        }
        lines.append(
            "Next: paste the webhook URL (Callback URL) and the verify token in Meta's app dashboard (Messenger > Webhooks) "
                + "while baton serve runs, then run: baton pages subscribe --config \(configPath)")
        return lines
    }
}
