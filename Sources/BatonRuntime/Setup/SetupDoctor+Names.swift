extension SetupDoctor {
    /// The keys and variables a fix names for one app and Page.
    struct Names {
        /// `$BATON_PAGE_TOKEN`, or `messenger.pages[0].access_token` for a token written in the file.
        var token: String
        /// `messenger.app_secret` (or `$VAR` named by it).
        var secretKey: String
        /// `messenger.verify_token` (and the variable it names).
        var verifyKey: String
        /// `messenger.graph_api_url`.
        var graphKey: String

        init(doctor: SetupDoctor, app: HostedApp, pageIndex: Int) {
            let appIndex = doctor.configuration.hostedApps.firstIndex { $0.name == app.name } ?? 0
            let key = doctor.configuration.hostsSeveralApps ? "apps[\(appIndex)]" : "messenger"
            let rawApp = doctor.raw.flatMap { appIndex < $0.apps.count ? $0.apps[appIndex] : nil }
            let rawPage = rawApp.flatMap { pageIndex < $0.pages.count ? $0.pages[pageIndex] : nil }
            let tokenKey = "\(key).pages[\(pageIndex)].access_token"
            token = RawConfiguration.environmentReference(rawPage?.accessToken).map { "$\($0)" } ?? tokenKey
            secretKey = "\(key).app_secret"
            let verifyVariable = RawConfiguration.environmentReference(rawApp?.verifyToken)
            verifyKey = "\(key).verify_token" + (verifyVariable.map { " ($\($0))" } ?? "")
            graphKey = "\(key).graph_api_url"
        }
    }
}
