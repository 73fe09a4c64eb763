extension MessengerSimulator {
    /// Handles a Graph API call: optional `/vNN.N` prefix, then `/me/EDGE` or `/{page-id}/EDGE`.
    func handleGraph(_ request: SimulatorRequest) -> SimulatorResponse {
        var components = request.components
        if let first = components.first, Self.isVersion(first) { components.removeFirst() }
        let params = request.parameters
        let traceID = rng.token(23, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        do throws(GraphError) {
            let (page, app) = try authenticate(params)
            guard let node = components.first else { throw GraphError.unknownPath }
            if node != "me" && node != page.id {
                if self.page(withID: node) != nil {
                    throw GraphError.invalidParameter("The access token does not belong to Page \(node)")
                }
                throw GraphError.unknownPath
            }
            let edge = components.count > 1 ? components[1] : nil
            let result: JSONValue
            switch (request.method, edge) {
            case ("POST", "messages"): result = try sendMessage(caller: app.id, page: page.id, params: params)
            case ("POST", "pass_thread_control"): result = try passThreadControl(caller: app.id, page: page.id, params: params)
            case ("POST", "take_thread_control"): result = try takeThreadControl(caller: app.id, page: page.id, params: params)
            case ("POST", "request_thread_control"): result = try requestThreadControl(caller: app.id, page: page.id, params: params)
            case ("POST", "release_thread_control"): result = try releaseThreadControl(caller: app.id, page: page.id, params: params)
            case ("POST", "extend_thread_control"): result = try extendThreadControl(caller: app.id, page: page.id, params: params)
            case ("GET", "thread_owner"): result = try threadOwnerResponse(caller: app.id, page: page.id, params: params)
            case ("GET", "conversations"): result = conversations(page: page.id, params: params)
            case ("GET", "subscribed_apps"): result = subscribedAppsList()
            case ("POST", "subscribed_apps"): result = .obj([("success", .bool(true))])
            case ("GET", nil): result = pageNode(page, fields: params["fields"]?.string ?? "")
            default: throw GraphError.unknownPath
            }
            return .json(result)
        } catch {
            return .json(error.envelope(traceID: traceID), status: error.status)
        }
    }

    static func isVersion(_ component: String) -> Bool {
        guard component.hasPrefix("v"), component.count > 1 else { return false }
        return component.dropFirst().allSatisfy { $0.isNumber || $0 == "." }
    }

    /// The Page from `access_token` and the calling app from `appsecret_proof`.
    func authenticate(_ params: [String: JSONValue]) throws(GraphError) -> (SimulatorConfiguration.Page, SimulatorConfiguration.App) {
        guard let token = params["access_token"]?.string, let page = configuration.pages.first(where: { $0.accessToken == token }) else {
            throw .invalidToken
        }
        guard let proof = params["appsecret_proof"]?.string?.lowercased(),
            let app = configuration.apps.first(where: {
                MessengerCrypto.constantTimeEqual(MessengerCrypto.appSecretProof(accessToken: token, secret: $0.secret), proof)
            })
        else { throw .invalidProof }
        return (page, app)
    }

    /// `GET /conversations[?user_id=PSID]`: threads with all their messages, newest first.
    func conversations(page: String, params: [String: JSONValue]) -> JSONValue {
        let userID = params["user_id"]?.stringOrNumber
        let selected = threads.values
            .filter { $0.page == page && (userID == nil || $0.psid == userID) }
            .sorted { ($0.messages.last?.createdAt ?? 0) > ($1.messages.last?.createdAt ?? 0) }
        let data = selected.map { thread in
            let messages = thread.messages.reversed().map { message in
                JSONValue.obj([
                    ("id", .string(message.mid)),
                    ("message", .string(message.text)),
                    ("created_time", .string(graphTimestamp(milliseconds: message.createdAt))),
                ])
            }
            return JSONValue.obj([
                ("id", .string(thread.threadID)),
                ("updated_time", .string(graphTimestamp(milliseconds: thread.messages.last?.createdAt ?? clock.now))),
                ("messages", .obj([("data", .array(Array(messages)))])),
            ])
        }
        return .obj([("data", .array(data))])
    }

    func subscribedAppsList() -> JSONValue {
        let fields = "messages,messaging_postbacks,messaging_referrals,messaging_optins,message_deliveries,message_reads,message_echoes,messaging_handovers,standby"
            .split(separator: ",").map { JSONValue.string(String($0)) }
        let apps = subscribedApps.map { app in
            JSONValue.obj([("id", .string(app.id)), ("name", .string(app.name)), ("subscribed_fields", .array(fields))])
        }
        return .obj([("data", .array(apps))])
    }

    func pageNode(_ page: SimulatorConfiguration.Page, fields: String) -> JSONValue {
        if fields.contains("messaging_feature_status") {
            let status = JSONValue.obj([("hop_v2", .bool(false)), ("msgr_multi_app", .bool(true)), ("ig_multi_app", .bool(false))])
            return .obj([("messaging_feature_status", status), ("id", .string(page.id))])
        }
        return .obj([("name", .string(page.name)), ("id", .string(page.id))])
    }
}
