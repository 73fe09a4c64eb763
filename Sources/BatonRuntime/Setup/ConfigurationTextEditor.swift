/// Edits a Baton configuration file's text where `baton pages add` needs it: one app's `pages:`
/// list, its `verify_token`, and `server.public_url`. Everything else (comments, blank lines,
/// key order, quoting) stays as written. Each edit finds its place again from the current text,
/// so edits may come in any order.
struct ConfigurationTextEditor {
    /// A Page entry to append.
    struct PageEntry {
        var id: String
        var name: String
        var tokenVariable: String
        /// Written when not nil (the `apps:` form says it explicitly).
        var defaultApp: Bool?
    }

    /// The text being edited.
    private(set) var outline: YAMLTextOutline
    /// Whether the app is an `apps:` entry (else `messenger:`).
    let severalApps: Bool
    /// The app's index in `apps:` (0 for `messenger:`).
    let appIndex: Int
    /// The app's name, to check the entry found is the right one.
    let appName: String

    /// - Parameters:
    ///   - text: the file's text.
    ///   - severalApps: whether the app is an `apps:` entry.
    ///   - appIndex: its index in `apps:`.
    ///   - appName: its name.
    init(text: String, severalApps: Bool, appIndex: Int, appName: String) {
        outline = YAMLTextOutline(text: text)
        (self.severalApps, self.appIndex, self.appName) = (severalApps, appIndex, appName)
    }

    /// The text with every edit so far.
    var text: String { outline.text }

    // MARK: Finding the app

    /// The app's block mapping: `messenger:`'s value, or its `apps:` item.
    func appMapping() throws(SetupError) -> YAMLTextOutline.Mapping {
        if !severalApps {
            guard let key = outline.topLevelKey("messenger"), let mapping = outline.mapping(valueOf: key) else {
                throw SetupError("messenger: must be a block mapping (one key per line) for baton pages add to edit it")
            }
            return mapping
        }
        guard let key = outline.topLevelKey("apps") else { throw SetupError("cannot find the apps: list in the file's text") }
        let items = outline.items(valueOf: key)
        guard appIndex < items.count, !outline.isFlowItem(items[appIndex]) else {
            throw SetupError("apps[\(appIndex)] (\(appName)) must be a block mapping (one key per line) for baton pages add to edit it")
        }
        let mapping = outline.mapping(of: items[appIndex])
        if let name = outline.key("name", in: mapping), Self.unquoted(outline.inlineValue(name)) != appName {
            throw SetupError("cannot find app \(appName)'s entry in the file's text (apps[\(appIndex)] reads \(outline.inlineValue(name)))")
        }
        return mapping
    }

    // MARK: Edits

    /// Appends a Page to the app's `pages:` list, in the style of the entries already there
    /// (block or flow), creating the list when missing or empty.
    mutating func appendPage(_ entry: PageEntry) throws(SetupError) {
        let mapping = try appMapping()
        let unit = outline.indentUnit
        guard let key = outline.key("pages", in: mapping) else {
            let lines = [String(repeating: " ", count: mapping.column) + "pages:"]
                + Self.blockItem(entry, dashColumn: mapping.column + unit, contentColumn: mapping.column + unit + 2)
            outline.insert(lines, after: mapping.lastLine)
            return
        }
        let inline = outline.inlineValue(key)
        if inline.isEmpty {
            if let last = outline.items(valueOf: key).last {
                let lines: [String]
                if outline.isFlowItem(last) {
                    let gap = String(repeating: " ", count: max(1, last.contentColumn - last.dashColumn - 1))
                    lines = [String(repeating: " ", count: last.dashColumn) + "-" + gap + Self.flowItem(entry)]
                } else {
                    let lone = outline.lines[last.dashLine].trimmingSpaces == "-"
                    lines = Self.blockItem(entry, dashColumn: last.dashColumn, contentColumn: last.contentColumn, loneDash: lone)
                }
                outline.insert(lines, after: last.lastLine)
                return
            }
            guard outline.valueEnd(key) == key.line else {
                throw SetupError("\(sectionKey).pages is not a list; add the Page by hand")
            }
            outline.insert(Self.blockItem(entry, dashColumn: key.column + unit, contentColumn: key.column + unit + 2), after: key.line)
            return
        }
        if inline == "[]" || Self.isNull(inline) {
            outline.replaceValue(key, with: "")
            outline.insert(Self.blockItem(entry, dashColumn: key.column + unit, contentColumn: key.column + unit + 2), after: key.line)
            return
        }
        guard inline.hasPrefix("["), inline.hasSuffix("]") else {
            throw SetupError("\(sectionKey).pages is written in a form baton pages add cannot edit (\(inline)); add the Page by hand")
        }
        var inside = String(inline.dropFirst().dropLast())
        while inside.last == " " { inside.removeLast() }
        let list = "[" + inside + (inside.trimmingSpaces.isEmpty ? "" : ", ") + Self.flowItem(entry) + "]"
        outline.replaceValue(key, with: list)
    }

    /// Writes `verify_token` into the app's section: replaces an empty value, or adds the key
    /// after `app_secret` (or `app_id`).
    mutating func setVerifyToken(_ token: String) throws(SetupError) {
        let mapping = try appMapping()
        let value = YAMLTextOutline.quoted(token)
        if let key = outline.key("verify_token", in: mapping) {
            guard outline.valueEnd(key) == key.line else {
                throw SetupError("\(sectionKey).verify_token spans several lines; set it by hand")
            }
            outline.replaceValue(key, with: value)
            return
        }
        let anchor = outline.key("app_secret", in: mapping) ?? outline.key("app_id", in: mapping)
        let line = String(repeating: " ", count: mapping.column) + "verify_token: " + value
        outline.insert([line], after: anchor.map { outline.valueEnd($0) } ?? mapping.lastLine)
    }

    /// Sets `server.public_url`: replaces its value, adds the key to `server:`, or adds a
    /// `server:` section at the end of the file.
    mutating func setPublicURL(_ url: String) throws(SetupError) {
        let value = YAMLTextOutline.quoted(url)
        let unit = outline.indentUnit
        guard let server = outline.topLevelKey("server") else {
            outline.append(["server:", String(repeating: " ", count: unit) + "public_url: " + value])
            return
        }
        let inline = outline.inlineValue(server)
        if Self.isNull(inline) {
            outline.replaceValue(server, with: "")
        } else if !inline.isEmpty {
            throw SetupError("server: is written on one line (\(inline)); add public_url: \(url) to it by hand")
        }
        guard let mapping = outline.mapping(valueOf: server) else {
            outline.insert([String(repeating: " ", count: unit) + "public_url: " + value], after: server.line)
            return
        }
        if let key = outline.key("public_url", in: mapping) {
            guard outline.valueEnd(key) == key.line else { throw SetupError("server.public_url spans several lines; set it by hand") }
            outline.replaceValue(key, with: value)
        } else {
            outline.insert([String(repeating: " ", count: mapping.column) + "public_url: " + value], after: mapping.lastLine)
        }
    }

    // MARK: Rendering

    /// `messenger` or `apps[N]`.
    private var sectionKey: String { severalApps ? "apps[\(appIndex)]" : "messenger" }

    /// A block-style list item: `- id: ...` and its keys below (or a lone `-` line with every
    /// key below it, when the list is written that way).
    static func blockItem(_ entry: PageEntry, dashColumn: Int, contentColumn: Int, loneDash: Bool = false) -> [String] {
        let indent = String(repeating: " ", count: contentColumn)
        let gap = String(repeating: " ", count: max(1, contentColumn - dashColumn - 1))
        let dash = String(repeating: " ", count: dashColumn) + "-"
        let id = "id: " + YAMLTextOutline.quoted(entry.id)
        var lines = (loneDash ? [dash, indent + id] : [dash + gap + id]) + [
            indent + "name: " + YAMLTextOutline.quoted(entry.name),
            indent + "access_token: ${" + entry.tokenVariable + "}",
        ]
        if let flag = entry.defaultApp { lines.append(indent + "default_app: \(flag)") }
        return lines
    }

    /// A flow-style item `{id: ..., name: ..., access_token: "${VAR}"}` (quoted: `{` and `}` end
    /// a plain scalar inside a flow mapping).
    static func flowItem(_ entry: PageEntry) -> String {
        var parts = [
            "id: " + YAMLTextOutline.quoted(entry.id), "name: " + YAMLTextOutline.quoted(entry.name),
            "access_token: \"${" + entry.tokenVariable + "}\"",
        ]
        if let flag = entry.defaultApp { parts.append("default_app: \(flag)") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Whether an inline value is YAML's null.
    static func isNull(_ value: String) -> Bool {
        ["~", "null", "Null", "NULL"].contains(value)
    }

    /// A scalar without its quotes.
    static func unquoted(_ value: String) -> String {
        guard value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first else { return value }
        return String(value.dropFirst().dropLast())
    }
}
