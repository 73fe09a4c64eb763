extension MessengerSimulator {
    /// Handles `/control/...`: the test-facing JSON API (see docs/simulator.md).
    func handleControl(_ request: SimulatorRequest) async -> SimulatorResponse {
        let path = Array(request.components.dropFirst())
        let body = SimulatorRequest.parseJSON(request.body) ?? .obj([])
        switch (request.method, path.count > 0 ? path[0] : "", path.count) {
        case ("POST", "users", 1):
            guard let page = body["page"]?.stringOrNumber ?? configuration.pages.first?.id else {
                return .error("page is required", status: 400)
            }
            let profile = Self.profileFields(body)
            if let psid = body["psid"]?.stringOrNumber {
                addUser(psid: psid, page: page, profile: profile)
                return .json(.obj([("psid", .string(psid)), ("page", .string(page))]))
            }
            let psid = createUser(page: page, profile: profile)
            return .json(.obj([("psid", .string(psid)), ("page", .string(page))]))
        case ("POST", "clock", 2) where path[1] == "advance":
            let seconds = body["seconds"].flatMap(Self.number) ?? 0
            advanceClock(by: .secondsValue(seconds))
            return .json(.obj([("now_ms", .int(clock.now))]))
        case ("POST", "wait", 1):
            let seconds = body["timeout_seconds"].flatMap(Self.number) ?? 10
            do {
                try await waitUntilQuiet(timeout: .secondsValue(min(max(seconds, 0), 3600)))
                return .json(.obj([("quiet", .bool(true))]))
            } catch {
                return .error("\(error)", status: 504)
            }
        case ("POST", "faults", 1):
            return controlFaults(body)
        case ("POST", "late_answers", 1):
            return controlLateAnswers(body)
        case ("POST", "apps", 3) where path[2] == "permissions":
            return controlPermissions(app: path[1], body: body)
        case (_, "pages", 3) where path[2] == "subscribed_apps":
            return controlSubscribedApps(request.method, page: path[1], body: body)
        case ("GET", "attachments", 1):
            return controlAttachments(query: request.query)
        case ("POST", "attachments", 2) where path[1] == "forget":
            return controlForgetAttachments(body)
        case (_, "pages", _) where path.count >= 3 && path[2] == "throttle":
            return controlThrottle(request.method, page: path[1], rest: Array(path.dropFirst(3)), body: body)
        case ("GET", "calls", 1):
            return .encoded(callLog)
        case ("GET", "deliveries", 1):
            return .encoded(deliveries)
        case (_, "users", _) where path.count >= 3:
            return await handleUserControl(request.method, psid: path[1], rest: Array(path.dropFirst(2)), body: body)
        default:
            return .error("unknown control endpoint \(request.method) \(request.path)", status: 404)
        }
    }

    private func handleUserControl(_ method: String, psid: String, rest: [String], body: JSONValue) async -> SimulatorResponse {
        guard let page = threads[psid]?.page else { return .error("unknown psid \(psid)", status: 404) }
        switch (method, rest) {
        case ("POST", ["messages"]):
            return await userMessageControl(body, page: page, psid: psid)
        case ("POST", ["faults"]):
            // {"send_error_code": 2} makes this user's sends fail; {"send_error_code": null} clears it.
            let code = body["send_error_code"]?.int
            if let code, ![1200, 2, 4, 613, 32, 80006].contains(code) {
                return .error("send_error_code must be one of 1200, 2, 4, 613, 32, 80006 or null", status: 400)
            }
            failSends(to: psid, code: code.map { Int($0) })
            return .json(.obj([("psid", .string(psid)), ("send_error_code", code.map { .int($0) } ?? .null)]))
        case ("POST", ["agent", "reply"]):
            do {
                let mid = try await agentReplies(text: body["text"]?.string ?? "", page: page, user: psid)
                return .json(.obj([("mid", .string(mid))]))
            } catch {
                return .error("\(error)", status: 409)
            }
        case ("POST", ["agent", "pass"]):
            do {
                try await agentPassesControl(to: body["target_app_id"]?.stringOrNumber, metadata: body["metadata"]?.string, page: page, user: psid)
                return .json(.obj([("success", .bool(true))]))
            } catch {
                return .error("\(error)", status: 409)
            }
        case ("POST", ["agent", "take"]):
            do {
                try await agentTakesControl(metadata: body["metadata"]?.string, page: page, user: psid)
                return .json(.obj([("success", .bool(true))]))
            } catch {
                return .error("\(error)", status: 409)
            }
        case (_, ["profile"]):
            return controlProfile(method, psid: psid, body: body)
        case ("GET", ["timeline"]):
            return .encoded(timeline(page: page, user: psid))
        case ("GET", ["calls"]):
            return .encoded(graphCalls(page: page, user: psid))
        case ("GET", ["sent"]):
            return .encoded(sentMessages(page: page, user: psid))
        case ("GET", ["owner"]):
            let owner = threadOwner(page: page, user: psid)
            return .json(.obj([
                ("owner", owner.map(JSONValue.string) ?? .null),
                ("expires_at", controlExpiry(page: page, user: psid).map(JSONValue.int) ?? .null),
                ("page", .string(page)),
            ]))
        default:
            return .error("unknown control endpoint \(method) /control/users/\(psid)/\(rest.joined(separator: "/"))", status: 404)
        }
    }

    /// `POST /control/users/{psid}/messages`: text, quick reply, postback or attachment.
    private func userMessageControl(_ body: JSONValue, page: String, psid: String) async -> SimulatorResponse {
        let mid: String
        if let postback = body["postback"] {
            mid = await userPostback(title: postback["title"]?.string ?? "", payload: postback["payload"]?.string ?? "", page: page, user: psid)
        } else if let attachment = body["attachment"] {
            mid = await userSendsAttachment(type: attachment["type"]?.string ?? "image", url: attachment["url"]?.string ?? "", page: page, user: psid)
        } else if let payload = body["quick_reply_payload"]?.string {
            mid = await userSends(text: body["text"]?.string ?? "", quickReplyPayload: payload, page: page, user: psid)
        } else if let text = body["text"]?.string {
            mid = await userSends(text: text, page: page, user: psid)
        } else {
            return .error("give text, quick_reply_payload, postback or attachment", status: 400)
        }
        return .json(.obj([("mid", .string(mid))]))
    }

    /// A JSON number as a Double.
    static func number(_ value: JSONValue) -> Double? {
        if case .double(let d) = value { return d }
        return value.int.map(Double.init)
    }
}
