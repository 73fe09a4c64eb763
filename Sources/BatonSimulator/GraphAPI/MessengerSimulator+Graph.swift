extension MessengerSimulator {
    /// Edges that go through the Page throttle, the endpoint refusals, the call log and the late-answer knob.
    static let threadCallEdges: Set<String> = [
        "messages", "pass_thread_control", "take_thread_control", "request_thread_control",
        "release_thread_control", "extend_thread_control", "thread_owner", "message_attachments",
    ]

    /// Handles a Graph API call: optional `/vNN.N` prefix, then `/me/EDGE` or `/{page-id}/EDGE`.
    func handleGraph(_ request: SimulatorRequest) -> SimulatorResponse {
        var components = request.components
        if let first = components.first, Self.isVersion(first) { components.removeFirst() }
        let params = request.parameters
        let traceID = rng.token(23, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        do throws(SimulatedGraphError) {
            let (page, app) = try authenticate(params)
            guard let node = components.first else { throw SimulatedGraphError.unknownPath }
            let edge = components.count > 1 ? components[1] : nil
            if node != "me" && node != page.id {
                return .json(try otherNode(node, edge: edge, method: request.method, page: page.id, params: params))
            }
            if let edge, Self.threadCallEdges.contains(edge) {
                let call = ThreadCall(method: request.method, edge: edge, page: page.id, app: app.id, params: params)
                return threadCall(call, traceID: traceID)
            }
            let result: JSONValue
            switch (request.method, edge) {
            case ("GET", "conversations"): result = conversations(page: page.id, params: params)
            case (_, "subscribed_apps"):
                result = try subscribedAppsEdge(method: request.method, caller: app.id, page: page.id, params: params)
            case ("GET", nil): result = pageNode(page, fields: params["fields"]?.string ?? "")
            default: throw SimulatedGraphError.unknownPath
            }
            return .json(result)
        } catch {
            return .json(error.envelope(traceID: traceID), status: error.status)
        }
    }

    /// `/{id}` that is not the token's Page: another configured Page (refused: the token is not its
    /// token), a user of this Page (`GET`: the User Profile API), or nothing this token can see (100/33).
    func otherNode(_ node: String, edge: String?, method: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        if self.page(withID: node) != nil {
            throw SimulatedGraphError.invalidParameter("The access token does not belong to Page \(node)")
        }
        if method == "GET", edge == nil { return try profileNode(psid: node, page: page, params: params) }
        if thread(node, on: page) != nil { throw SimulatedGraphError.unknownPath }
        throw SimulatedGraphError.unsupportedRequest(method, node)
    }

    /// A Send API, thread-control or thread-owner call after authentication.
    struct ThreadCall {
        var method: String
        var edge: String
        var page: String
        var app: String
        var params: [String: JSONValue]
    }

    /// Runs a thread call: the Page throttle first, then the endpoint; records it in the call log and
    /// applies the late-answer knob.
    func threadCall(_ call: ThreadCall, traceID: String) -> SimulatorResponse {
        let named = call.params["recipient"]?["id"]?.stringOrNumber ?? call.params["recipient"]?.stringOrNumber
        let psid = named.flatMap { thread($0, on: call.page) == nil ? nil : $0 }
        if let psid { lapseIfExpired(psid) }
        let ownerAtCall = psid.flatMap { threads[$0]?.owner }
        let arrival = clock.now
        var response: SimulatorResponse
        var failure: SimulatedGraphError?
        var throttled = false
        do throws(SimulatedGraphError) {
            if let throttle = activeThrottle(call.page) {
                throttled = true
                throttleRefusals[call.page, default: 0] += 1
                throw refuse(throttle.refusal.error, psid: psid, app: call.app, endpoint: call.edge)
            }
            if let refusal = refusedEndpoints[call.edge] {
                throw refuse(refusal, psid: psid, app: call.app, endpoint: call.edge)
            }
            response = .json(try dispatchThreadCall(call))
        } catch {
            failure = error
            let headers = throttled ? (activeThrottle(call.page)?.responseHeaders(page: call.page, now: clock.now) ?? []) : []
            response = .json(error.envelope(traceID: traceID), status: error.status)
            response.headers = headers
        }
        response.delay = lateAnswerDelay(for: call.edge)
        callLog.append(GraphCallRecord(
            number: callLog.count + 1, timestamp: arrival, page: call.page, psid: named, appID: call.app, endpoint: call.edge,
            ownerAtCall: ownerAtCall, accepted: failure == nil, code: failure?.code, subcode: failure?.subcode,
            throttled: throttled, answerDelayMilliseconds: response.delay?.milliseconds
        ))
        return response
    }

    private func dispatchThreadCall(_ call: ThreadCall) throws(SimulatedGraphError) -> JSONValue {
        let (caller, page, params) = (call.app, call.page, call.params)
        switch (call.method, call.edge) {
        case ("POST", "messages"): return try sendMessage(caller: caller, page: page, params: params)
        case ("POST", "pass_thread_control"): return try passThreadControl(caller: caller, page: page, params: params)
        case ("POST", "take_thread_control"): return try takeThreadControl(caller: caller, page: page, params: params)
        case ("POST", "request_thread_control"): return try requestThreadControl(caller: caller, page: page, params: params)
        case ("POST", "release_thread_control"): return try releaseThreadControl(caller: caller, page: page, params: params)
        case ("POST", "extend_thread_control"): return try extendThreadControl(caller: caller, page: page, params: params)
        case ("GET", "thread_owner"): return try threadOwnerResponse(caller: caller, page: page, params: params)
        case ("POST", "message_attachments"): return try uploadAttachment(caller: caller, page: page, params: params)
        default: throw SimulatedGraphError.unknownPath
        }
    }

    /// The answer delay for an endpoint (knob `lateAnswerDelays`; `thread_owner` is never delayed).
    private func lateAnswerDelay(for edge: String) -> Duration? {
        guard Self.lateAnswerEndpointsSet.contains(edge) else { return nil }
        guard let delay = knobs.lateAnswerDelays[edge] ?? knobs.lateAnswerDelays["*"], delay > .zero else { return nil }
        return delay
    }

    static var lateAnswerEndpointsSet: Set<String> { SimulatorConfiguration.Knobs.lateAnswerEndpoints }

    static func isVersion(_ component: String) -> Bool {
        guard component.hasPrefix("v"), component.count > 1 else { return false }
        return component.dropFirst().allSatisfy { $0.isNumber || $0 == "." }
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

    func pageNode(_ page: SimulatorConfiguration.Page, fields: String) -> JSONValue {
        if fields.contains("messaging_feature_status") {
            let status = JSONValue.obj([("hop_v2", .bool(false)), ("msgr_multi_app", .bool(true)), ("ig_multi_app", .bool(false))])
            return .obj([("messaging_feature_status", status), ("id", .string(page.id))])
        }
        return .obj([("name", .string(page.name)), ("id", .string(page.id))])
    }
}
