import Foundation
import Yams

/// A configuration file as written, before `${NAME}` is replaced: which apps it lists, and
/// which values are environment references. The set-up commands read it to name variables
/// (never their values) and to decide what to write.
struct RawConfiguration: Sendable {
    /// One app as written: `messenger:` (named ``HostedApp/singleAppName``) or an `apps:` entry.
    struct App: Sendable {
        /// The name (``HostedApp/singleAppName`` for `messenger:`).
        var name: String
        /// `app_id` as written.
        var appID: String?
        /// `verify_token` as written; nil when the key is missing or null.
        var verifyToken: String?
        /// The Pages as written.
        var pages: [Page]
        /// The dotted key of this app's section: `messenger` or `apps[2]`.
        var key: String
    }

    /// One Page entry as written.
    struct Page: Sendable {
        /// `id` as written (a number reads as its digits).
        var id: String
        /// `access_token` as written.
        var accessToken: String?
        /// `default_app` as written; nil when left out (it defaults to true).
        var defaultApp: Bool?
    }

    /// Every app, in file order.
    var apps: [App]
    /// Whether the file uses `apps:` rather than `messenger:`.
    var hostsSeveralApps: Bool
    /// `server.public_url` as written.
    var publicURL: String?

    /// Reads the text with Yams, substituting nothing.
    /// - Parameter text: the configuration file's text.
    /// - Throws: ``SetupError`` when the text is not YAML or lists no app.
    init(text: String) throws(SetupError) {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw SetupError("not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        guard let top = root as? [String: Any] else { throw SetupError("the file is not a YAML mapping of sections") }
        if let list = top["apps"] as? [Any] {
            hostsSeveralApps = true
            apps = list.enumerated().map { index, entry in
                let map = entry as? [String: Any] ?? [:]
                return Self.app(map, name: Self.scalar(map["name"]) ?? "", key: "apps[\(index)]")
            }
        } else if let messenger = top["messenger"] as? [String: Any] {
            hostsSeveralApps = false
            apps = [Self.app(messenger, name: HostedApp.singleAppName, key: "messenger")]
        } else if top["messenger"] != nil || top["apps"] != nil {
            throw SetupError("messenger: must be a block mapping and apps: a block list")
        } else {
            throw SetupError("the file has neither a messenger: section nor an apps: list: add your app (app_id, app_secret) first")
        }
        publicURL = Self.scalar((top["server"] as? [String: Any])?["public_url"])
    }

    /// The app named `name` (or with that app id); with nil, the only app.
    /// - Throws: ``SetupError`` naming the apps when there is no single answer.
    func app(named name: String?) throws(SetupError) -> (index: Int, app: App) {
        let names = apps.map(\.name).joined(separator: ", ")
        guard let name else {
            guard apps.count == 1 else { throw SetupError("the file hosts several apps (\(names)): name one with --app") }
            return (0, apps[0])
        }
        guard let index = apps.firstIndex(where: { $0.name == name || $0.appID == name }) else {
            throw SetupError("no app named \(name) in the file (apps: \(names))")
        }
        return (index, apps[index])
    }

    /// The variable a value refers to when the whole value is `${NAME}`.
    static func environmentReference(_ value: String?) -> String? {
        guard let value, value.hasPrefix("${"), value.hasSuffix("}"), value.count > 3 else { return nil }
        let name = value.dropFirst(2).dropLast()
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
        return String(name)
    }

    private static func app(_ map: [String: Any], name: String, key: String) -> App {
        let pages = (map["pages"] as? [Any] ?? []).map { entry -> Page in
            let page = entry as? [String: Any] ?? [:]
            return Page(id: scalar(page["id"]) ?? "", accessToken: scalar(page["access_token"]), defaultApp: page["default_app"] as? Bool)
        }
        return App(name: name, appID: scalar(map["app_id"]), verifyToken: scalar(map["verify_token"]), pages: pages, key: key)
    }

    /// A scalar as text (numbers and flags as written); nil for null, lists and mappings.
    private static func scalar(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as Int: return String(number)
        case let number as Double: return String(number)
        case let flag as Bool: return String(flag)
        default: return nil
        }
    }
}
