import BatonCore
import Foundation

/// `baton pages list`: every hosted app and its Pages, with the environment variable each
/// Page token comes from, never a token's value.
public struct PageListing: Sendable, Equatable {
    /// One Page of one app.
    public struct Row: Sendable, Equatable, Encodable {
        /// The app's name (`main` for `messenger:`).
        public var app: String
        /// The app's id.
        public var appID: String
        /// Where Meta posts this app's webhooks.
        public var webhookPath: String
        /// The Page's id.
        public var pageID: String
        /// The Page's name.
        public var name: String
        /// Whether the app is the Page's Conversation Routing default app.
        public var defaultApp: Bool
        /// The variable the token comes from; nil when the token is written in the file.
        public var tokenVariable: String?
        /// Whether that variable is set in this environment (nil for an inline token).
        public var tokenVariableSet: Bool?

        private enum CodingKeys: String, CodingKey {
            case app, appID = "app_id", webhookPath = "webhook_path", pageID = "id", name
            case defaultApp = "default_app", tokenVariable = "token_env", tokenVariableSet = "token_env_set"
        }

        /// Encodes every key, `null` for a missing value.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(app, forKey: .app)
            try container.encode(appID, forKey: .appID)
            try container.encode(webhookPath, forKey: .webhookPath)
            try container.encode(pageID, forKey: .pageID)
            try container.encode(name, forKey: .name)
            try container.encode(defaultApp, forKey: .defaultApp)
            try container.encode(tokenVariable, forKey: .tokenVariable)
            try container.encode(tokenVariableSet, forKey: .tokenVariableSet)
        }
    }

    /// One row per app and Page, in file order.
    public var rows: [Row]

    /// Reads a configuration file (variables not set yet are allowed: only names are shown).
    /// - Parameters:
    ///   - path: the configuration file.
    ///   - environment: the variables that are set.
    /// - Throws: ``SetupError`` when the file does not load.
    public init(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SetupError) {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SetupError("cannot read \(path): \(error.localizedDescription)")
        }
        let raw = try RawConfiguration(text: text)
        let configuration: BatonConfiguration
        do { configuration = try BatonConfiguration.loadAllowingUnsetVariables(path: path, environment: environment).configuration } catch {
            throw SetupError(error.description)
        }
        var rows: [Row] = []
        for (appIndex, app) in configuration.hostedApps.enumerated() {
            let rawPages = appIndex < raw.apps.count ? raw.apps[appIndex].pages : []
            for (pageIndex, page) in app.messenger.pages.enumerated() {
                let written = pageIndex < rawPages.count ? rawPages[pageIndex].accessToken : nil
                let variable = RawConfiguration.environmentReference(written)
                rows.append(
                    Row(
                        app: app.name, appID: app.messenger.appID.rawValue, webhookPath: configuration.webhookPath(for: app),
                        pageID: page.id.rawValue, name: page.name, defaultApp: page.defaultApp, tokenVariable: variable,
                        tokenVariableSet: variable.map { environment[$0] != nil }))
            }
        }
        self.rows = rows
    }

    /// A table: app, app id, Page id, name, default app, token source.
    public var text: String {
        let header = ["APP", "APP ID", "PAGE ID", "NAME", "DEFAULT APP", "TOKEN"]
        let body = rows.map { row in
            [
                row.app, row.appID, row.pageID, row.name, row.defaultApp ? "yes" : "no",
                row.tokenVariable.map { "$" + $0 + (row.tokenVariableSet == false ? " (not set)" : "") } ?? "(inline)",
            ]
        }
        let table = [header] + body
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        return table.map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// The rows as a pretty-printed JSON array.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(rows) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}
