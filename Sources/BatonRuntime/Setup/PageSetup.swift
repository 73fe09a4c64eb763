import Foundation

/// `baton pages add`: adds a Page to one app of a configuration file by editing its text (the
/// file's comments and layout stay), generates a verify token when the app has none, keeps the
/// public URL, and says what to paste into Meta's dashboard.
public enum PageSetup {
    /// What to add.
    public struct Request: Sendable, Equatable {
        /// The configuration file.
        public var configPath: String
        /// The app's name or id; nil: the file's only app.
        public var app: String?
        /// The Page's id (digits).
        public var pageID: String
        /// The Page's name.
        public var pageName: String
        /// The environment variable that will hold the Page access token.
        public var tokenVariable: String
        /// Where Meta reaches this server (`https://bots.example.com`), kept as `server.public_url`.
        public var publicURL: String?

        /// - Parameters:
        ///   - configPath: the configuration file.
        ///   - app: the app's name or id (nil: the only app).
        ///   - pageID: the Page's id.
        ///   - pageName: the Page's name.
        ///   - tokenVariable: the variable that holds the Page token.
        ///   - publicURL: the server's public URL, if given.
        public init(configPath: String, app: String?, pageID: String, pageName: String, tokenVariable: String, publicURL: String?) {
            (self.configPath, self.app, self.pageID, self.pageName) = (configPath, app, pageID, pageName)
            (self.tokenVariable, self.publicURL) = (tokenVariable, publicURL)
        }
    }

    /// Where the app's verify token comes from.
    public enum VerifyToken: Sendable, Equatable {
        /// Generated now and written into the file.
        case generated(String)
        /// Written in the file.
        case inFile(String)
        /// The value of this environment variable (`verify_token: ${NAME}`).
        case environment(String)
    }

    /// What was done, and what the operator pastes into Meta's dashboard.
    public struct Result: Sendable, Equatable {
        /// The app the Page was added to.
        public var appName: String
        /// Its `verify_token` key (`messenger.verify_token`, `apps[1].verify_token`).
        public var verifyTokenKey: String
        /// The Page.
        public var pageID: String
        /// The Page's name.
        public var pageName: String
        /// The Callback URL for Meta's dashboard; nil when no public URL is known.
        public var webhookURL: String?
        /// The webhook path (`/webhook` or `/webhook/<name>`).
        public var webhookPath: String
        /// The verify token, or where it comes from.
        public var verifyToken: VerifyToken
        /// Whether the Page was written with this app as its default app.
        public var defaultApp: Bool
        /// The hosted app that stays the Page's default app, when it is not this one.
        public var otherDefaultApp: String?
        /// The variable that holds the Page token.
        public var tokenVariable: String
        /// Variables the file names that are not set here.
        public var unsetVariables: [String]
    }

    /// Adds the Page. The file is written, then loaded again with ``BatonConfiguration/load(path:environment:)``
    /// (unset variables standing in); if it does not load, the original text is put back.
    /// - Parameters:
    ///   - request: what to add.
    ///   - environment: the variables that are set.
    /// - Returns: what was done.
    /// - Throws: ``SetupError`` with one line; the file is unchanged then.
    public static func add(_ request: Request, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SetupError)
        -> Result
    {
        try check(request)
        let publicURL = try request.publicURL.map { url throws(SetupError) in try normalizedURL(url) }
        let original: String
        do { original = try String(contentsOfFile: request.configPath, encoding: .utf8) } catch {
            throw SetupError("cannot read \(request.configPath): \(error.localizedDescription)")
        }
        let raw = try RawConfiguration(text: original)
        let (index, app) = try raw.app(named: request.app)
        if app.pages.contains(where: { $0.id == request.pageID }) {
            throw SetupError("Page \(request.pageID) is already listed for app \(app.name) (\(app.key).pages); nothing changed")
        }
        let otherDefault = raw.apps.enumerated().first { other in
            other.offset != index && other.element.pages.contains { $0.id == request.pageID && $0.defaultApp != false }
        }?.element.name
        var editor = ConfigurationTextEditor(text: original, severalApps: raw.hostsSeveralApps, appIndex: index, appName: app.name)
        try editor.appendPage(
            .init(
                id: request.pageID, name: request.pageName, tokenVariable: request.tokenVariable,
                defaultApp: raw.hostsSeveralApps || otherDefault != nil ? otherDefault == nil : nil))
        let verifyToken: VerifyToken
        if let variable = RawConfiguration.environmentReference(app.verifyToken) {
            verifyToken = .environment(variable)
        } else if let written = app.verifyToken, !written.trimmingSpaces.isEmpty {
            verifyToken = .inFile(written)
        } else {
            let token = generateVerifyToken()
            try editor.setVerifyToken(token)
            verifyToken = .generated(token)
        }
        if let publicURL { try editor.setPublicURL(publicURL) }

        try write(editor.text, to: request.configPath)
        let loaded: (configuration: BatonConfiguration, unset: [String])
        do { loaded = try BatonConfiguration.loadAllowingUnsetVariables(path: request.configPath, environment: environment) } catch {
            try? write(original, to: request.configPath)
            throw SetupError("the edited file would not load (\(error)); \(request.configPath) is left as it was")
        }
        let configuration = loaded.configuration
        let hosted = configuration.hostedApps[min(index, configuration.hostedApps.count - 1)]
        let path = configuration.webhookPath(for: hosted)
        let urlVariable = RawConfiguration.environmentReference(raw.publicURL)
        let base = publicURL ?? (urlVariable.map(loaded.unset.contains) == true ? nil : configuration.server.publicURL)
        return Result(
            appName: hosted.name, verifyTokenKey: "\(app.key).verify_token", pageID: request.pageID, pageName: request.pageName,
            webhookURL: base.map { $0 + path }, webhookPath: path, verifyToken: verifyToken, defaultApp: otherDefault == nil,
            otherDefaultApp: otherDefault, tokenVariable: request.tokenVariable, unsetVariables: loaded.unset)
    }

    /// A verify token: 32 random bytes, base64url without padding (43 characters).
    public static func generateVerifyToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// An http(s) URL with a host, without a trailing slash.
    static func normalizedURL(_ text: String) throws(SetupError) -> String {
        guard let url = URL(string: text), url.scheme == "https" || url.scheme == "http", url.host?.isEmpty == false,
            url.query == nil, url.fragment == nil
        else {
            throw SetupError("--public-url must be an http(s) URL such as https://bots.example.com, got '\(text)'")
        }
        var result = text
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }

    private static func check(_ request: Request) throws(SetupError) {
        guard !request.pageID.isEmpty, request.pageID.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw SetupError("--id must be the Page's numeric id, got '\(request.pageID)'")
        }
        guard !request.pageName.trimmingSpaces.isEmpty, !request.pageName.contains(where: \.isNewline) else {
            throw SetupError("--name must be the Page's name on one line")
        }
        let variable = request.tokenVariable
        guard let first = variable.first, first.isASCII, first.isLetter || first == "_",
            variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            throw SetupError("--token-env must be an environment variable name (letters, digits, _), got '\(variable)'")
        }
    }

    /// Overwrites the file in place (its permissions and owner stay).
    private static func write(_ text: String, to path: String) throws(SetupError) {
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw SetupError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
