/// `subscribed_apps` as state per Page: which apps get which webhook fields. Delivery reads it: an
/// event on `messaging` needs its field (`messages`, `messaging_postbacks`, `messaging_handovers`,
/// `message_echoes`), a copy on `standby` needs `standby` (handover events also `messaging_handovers`).
extension MessengerSimulator {
    /// The starting state: on every Page, every app with a webhook URL, with its configured
    /// `subscribedFields` or else all of ``SimulatorConfiguration/allSubscriptionFields``.
    static func initialSubscriptions(_ configuration: SimulatorConfiguration) -> [String: [String: [String]]] {
        var result: [String: [String: [String]]] = [:]
        for page in configuration.pages {
            var apps: [String: [String]] = [:]
            for app in configuration.apps where app.webhookURL != nil {
                let fields = app.subscribedFields ?? SimulatorConfiguration.allSubscriptionFields
                if !fields.isEmpty { apps[app.id] = fields }
            }
            result[page.id] = apps
        }
        return result
    }

    // MARK: Swift API

    /// The fields an app is subscribed to on a Page.
    /// - Parameters:
    ///   - app: The app ID.
    ///   - page: The Page ID.
    /// - Returns: The fields in the order they were set, or `nil` when the app is not subscribed.
    public func subscribedFields(app: String, page: String) -> [String]? {
        subscriptions[page]?[app]
    }

    /// Every app subscribed to a Page, with its fields.
    /// - Parameter page: The Page ID.
    /// - Returns: Fields by app ID (empty for an unknown Page).
    public func subscriptions(page: String) -> [String: [String]] {
        subscriptions[page] ?? [:]
    }

    /// Sets an app's fields on a Page, as `POST /{page-id}/subscribed_apps` does (`nil` or empty:
    /// unsubscribes, as `DELETE`). An app without a webhook URL can be subscribed but gets nothing.
    /// - Parameters:
    ///   - fields: Field names from ``SimulatorConfiguration/knownSubscriptionFields``, or `nil`.
    ///   - app: The app ID.
    ///   - page: The Page ID.
    /// - Throws: ``SimulatorError/Code/unknownPage``, ``SimulatorError/Code/unknownApp``, or
    ///   ``SimulatorError/Code/invalidArgument`` for an unknown field name.
    public func setSubscribedFields(_ fields: [String]?, app: String, page: String) throws(SimulatorError) {
        guard self.page(withID: page) != nil else { throw SimulatorError.unknownPage(page) }
        guard configuration.apps.contains(where: { $0.id == app }) else { throw SimulatorError.unknownApp(app) }
        guard let fields, !fields.isEmpty else {
            subscriptions[page]?[app] = nil
            return
        }
        do throws(SimulatedGraphError) {
            subscriptions[page]?[app] = try Self.checkedFields(.array(fields.map(JSONValue.string)))
        } catch {
            throw SimulatorError(.invalidArgument, error.message, underlying: error)
        }
    }

    // MARK: Graph API

    /// `GET` lists the subscribed apps, `POST ?subscribed_fields=a,b` sets the caller's fields,
    /// `DELETE` unsubscribes the caller.
    func subscribedAppsEdge(method: String, caller: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        switch method {
        case "GET":
            return subscribedAppsList(page: page)
        case "POST":
            guard let value = params["subscribed_fields"] else {
                throw SimulatedGraphError.invalidParameter("The parameter subscribed_fields is required.")
            }
            subscriptions[page, default: [:]][caller] = try Self.checkedFields(value)
            return .obj([("success", .bool(true))])
        case "DELETE":
            subscriptions[page]?[caller] = nil
            return .obj([("success", .bool(true))])
        default:
            throw SimulatedGraphError.unknownPath
        }
    }

    /// `{"data":[{"category","name","id","subscribed_fields"}]}` in configuration order.
    func subscribedAppsList(page: String) -> JSONValue {
        let apps = configuration.apps.compactMap { app -> JSONValue? in
            guard let fields = subscriptions[page]?[app.id] else { return nil }
            return JSONValue.obj([
                ("category", .string("Business")), ("name", .string(app.name)), ("id", .string(app.id)),
                ("subscribed_fields", .array(fields.map(JSONValue.string))),
            ])
        }
        return .obj([("data", .array(apps))])
    }

    /// Field names from a comma-separated string or a JSON array: known, without repeats, not empty.
    static func checkedFields(_ value: JSONValue) throws(SimulatedGraphError) -> [String] {
        let names: [String]
        if let list = value.array {
            names = list.compactMap(\.string)
        } else {
            names = (value.string ?? "").split(separator: ",").map { String($0).trimmedSpaces }
        }
        var fields: [String] = []
        for (index, name) in names.enumerated() where !fields.contains(name) {
            guard SimulatorConfiguration.knownSubscriptionFields.contains(name) else {
                let known = SimulatorConfiguration.knownSubscriptionFields.joined(separator: ", ")
                throw SimulatedGraphError.invalidParameter("Param subscribed_fields[\(index)] must be one of {\(known)} - got \"\(name)\"")
            }
            fields.append(name)
        }
        guard !fields.isEmpty else { throw SimulatedGraphError.invalidParameter("The parameter subscribed_fields is required.") }
        return fields
    }

    // MARK: Delivery

    /// Whether an app gets an event of `field` on `channel` of a Page. A Page the configuration does not
    /// list (a user added on it anyway) delivers as the configuration's starting state would.
    func receives(app: SimulatorConfiguration.App, page: String, channel: WebhookChannel, field: String) -> Bool {
        let fields: [String]
        if let pageState = subscriptions[page] {
            guard let subscribed = pageState[app.id] else { return false }
            fields = subscribed
        } else {
            fields = app.subscribedFields ?? SimulatorConfiguration.allSubscriptionFields
        }
        switch channel {
        case .messaging:
            return fields.contains(field)
        case .standby:
            return fields.contains("standby") && (field != "messaging_handovers" || fields.contains(field))
        }
    }
}

extension String {
    /// The string without leading and trailing spaces.
    var trimmedSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
