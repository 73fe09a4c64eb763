extension MessengerSimulator {
    static let maxExtendSeconds: Int64 = 7 * 24 * 3600

    /// The PSID of `recipient.id` if it is a user of the Page (after expiring lapsed control).
    private func recipient(_ params: [String: JSONValue], page: String, caller: String, endpoint: String) throws(SimulatedGraphError) -> String {
        let psid = params["recipient"]?["id"]?.stringOrNumber ?? params["recipient"]?.stringOrNumber
        guard let psid, thread(psid, on: page) != nil else {
            throw refuse(.noMatchingUser, psid: psid, app: caller, endpoint: endpoint)
        }
        lapseIfExpired(psid)
        return psid
    }

    private func metadata(_ params: [String: JSONValue], psid: String, caller: String, endpoint: String) throws(SimulatedGraphError) -> String? {
        let metadata = params["metadata"]?.string
        if let metadata, metadata.count > Self.maxMetadataLength {
            throw refuse(.invalidParameter("Length of param metadata must be less than or equal to \(Self.maxMetadataLength)"), psid: psid, app: caller, endpoint: endpoint)
        }
        return metadata
    }

    /// Checks a pass target: required (no default app), known, and not the caller.
    func checkPassTarget(_ target: String?, caller: String) throws(SimulatedGraphError) {
        guard let target else { throw .invalidParameter("param target_app_id is required (the Page has no default app)") }
        guard configuration.knownAppIDs.contains(target) else { throw .invalidParameter("param target_app_id must be an app connected to the Page") }
        guard target != caller else { throw .invalidParameter("Cannot pass thread control to the app itself") }
    }

    /// `POST /pass_thread_control`: the caller must own the thread or it must be idle.
    func passThreadControl(caller: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        let endpoint = "pass_thread_control"
        let psid = try recipient(params, page: page, caller: caller, endpoint: endpoint)
        let metadata = try metadata(params, psid: psid, caller: caller, endpoint: endpoint)
        let target = params["target_app_id"]?.stringOrNumber ?? configuration.defaultOwnerAppID
        do throws(SimulatedGraphError) { try checkPassTarget(target, caller: caller) } catch {
            throw refuse(error, psid: psid, app: caller, endpoint: endpoint)
        }
        let owner = threads[psid]?.owner
        guard owner == nil || owner == caller else {
            throw refuse(.controlRefused("Cannot pass thread control: the app does not control this thread"), psid: psid, app: caller, endpoint: endpoint)
        }
        pass(psid: psid, page: page, caller: caller, target: target!, metadata: metadata)
        return .obj([("success", .bool(true))])
    }

    /// `POST /take_thread_control`: needs the app's "take control" permission (200), checked before
    /// anything else, so a take on an unknown PSID (e.g. `"0"`) is a harmless probe of the permission
    /// (200 without it, 100/2018001 with it); never to extend the caller's own control (100); allowed on
    /// an idle thread, or from another app when the Page has a default app (Conversation Routing; else 10).
    func takeThreadControl(caller: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        let endpoint = "take_thread_control"
        guard !knobs.appsWithoutTakePermission.contains(caller) else {
            let named = params["recipient"]?["id"]?.stringOrNumber ?? params["recipient"]?.stringOrNumber
            throw refuse(.noTakePermission, psid: named.flatMap { thread($0, on: page) == nil ? nil : $0 }, app: caller, endpoint: endpoint)
        }
        let psid = try recipient(params, page: page, caller: caller, endpoint: endpoint)
        let metadata = try metadata(params, psid: psid, caller: caller, endpoint: endpoint)
        let owner = threads[psid]?.owner
        guard owner != caller else {
            throw refuse(.invalidParameter("The app already controls this thread"), psid: psid, app: caller, endpoint: endpoint)
        }
        guard owner == nil || configuration.defaultOwnerAppID != nil else {
            throw refuse(.controlRefused("Cannot take thread control: another app controls this thread and the Page has no default app"), psid: psid, app: caller, endpoint: endpoint)
        }
        take(psid: psid, page: page, caller: caller, metadata: metadata)
        return .obj([("success", .bool(true))])
    }

    /// `POST /request_thread_control`: an idle thread is given at once (`pass_thread_control` to the
    /// caller); otherwise the owner gets `request_thread_control` and may pass or ignore it.
    func requestThreadControl(caller: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        let endpoint = "request_thread_control"
        let psid = try recipient(params, page: page, caller: caller, endpoint: endpoint)
        if knobs.requestControlOnlyWithoutDefaultApp, configuration.defaultOwnerAppID != nil {
            throw refuse(.requestNeedsNoDefaultApp, psid: psid, app: caller, endpoint: endpoint)
        }
        let metadata = try metadata(params, psid: psid, caller: caller, endpoint: endpoint)
        let owner = threads[psid]?.owner
        guard owner != caller else {
            throw refuse(.invalidParameter("The app already controls this thread"), psid: psid, app: caller, endpoint: endpoint)
        }
        let timestamp = eventStamp()
        if let owner {
            let change = ControlChange(action: .request, from: owner, to: owner, by: caller, metadata: metadata, expiresAt: threads[psid]?.expiresAt)
            record(psid, kind: .control, timestamp: timestamp, control: change)
            let body = JSONValue.obj([("requested_owner_app_id", .string(caller)), ("metadata", .string(metadata ?? ""))])
            let event = makeEvent(sender: psid, recipient: page, timestamp: timestamp, key: "request_thread_control", body: body)
            fanOut(page: page, event: event, field: "messaging_handovers", messagingApps: [owner], standbyToOthers: false)
        } else {
            changeOwner(psid, to: caller, action: .request, by: caller, metadata: metadata)
            emitPass(psid: psid, page: page, previous: nil, target: caller, caller: nil, metadata: metadata, timestamp: timestamp)
        }
        return .obj([("success", .bool(true))])
    }

    /// `POST /release_thread_control`: owner only; the thread goes to the default app (or idle). No webhook.
    func releaseThreadControl(caller: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        let endpoint = "release_thread_control"
        let psid = try recipient(params, page: page, caller: caller, endpoint: endpoint)
        let metadata = try metadata(params, psid: psid, caller: caller, endpoint: endpoint)
        guard threads[psid]?.owner == caller else {
            throw refuse(.controlRefused("Cannot release thread control: the app does not control this thread"), psid: psid, app: caller, endpoint: endpoint)
        }
        release(psid: psid, caller: caller, metadata: metadata)
        return .obj([("success", .bool(true))])
    }

    /// `POST /extend_thread_control`: owner only; control then lasts `duration` seconds (at most 7 days) from now.
    func extendThreadControl(caller: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        let endpoint = "extend_thread_control"
        let psid = try recipient(params, page: page, caller: caller, endpoint: endpoint)
        guard threads[psid]?.owner == caller else {
            throw refuse(.controlRefused("Cannot extend thread control: the app does not control this thread"), psid: psid, app: caller, endpoint: endpoint)
        }
        guard let seconds = params["duration"]?.int, (1...Self.maxExtendSeconds).contains(seconds) else {
            throw refuse(.invalidParameter("param duration must be between 1 and \(Self.maxExtendSeconds) seconds"), psid: psid, app: caller, endpoint: endpoint)
        }
        let expiresAt = clock.now + seconds * 1000
        threads[psid]?.expiresAt = expiresAt
        let change = ControlChange(action: .extend, from: caller, to: caller, by: caller, metadata: nil, expiresAt: expiresAt)
        record(psid, kind: .control, control: change)
        return .obj([("success", .bool(true))])
    }

    /// `GET /thread_owner?recipient=PSID`: `app_id` and `expiration` (Unix seconds) for the owner or the
    /// default app, `expiration` only for other apps, `{"data":[]}` when idle.
    func threadOwnerResponse(caller: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        let psid = try recipient(["recipient": params["recipient"] ?? .null], page: page, caller: caller, endpoint: "thread_owner")
        guard let owner = threads[psid]?.owner else { return .obj([("data", .array([]))]) }
        let expiration = (threads[psid]?.expiresAt ?? clock.now) / 1000
        let visible = caller == owner || caller == configuration.defaultOwnerAppID
        let info = JSONValue.obj([("app_id", visible ? .string(owner) : nil), ("expiration", .int(expiration))])
        return .obj([("data", .array([.obj([("thread_owner", info)])]))])
    }

    // MARK: Effects

    /// Moves control to `target` and tells it on `messaging`; other subscribed apps (not the caller) get it on `standby`.
    func pass(psid: String, page: String, caller: String, target: String, metadata: String?) {
        let previous = changeOwner(psid, to: target, action: .pass, by: caller, metadata: metadata)
        emitPass(psid: psid, page: page, previous: previous, target: target, caller: caller, metadata: metadata, timestamp: eventStamp())
    }

    func emitPass(psid: String, page: String, previous: String?, target: String, caller: String?, metadata: String?, timestamp: Int64) {
        let body = JSONValue.obj([
            ("previous_owner_app_id", previous.map(JSONValue.string) ?? .null),
            ("new_owner_app_id", .string(target)),
            ("metadata", .string(metadata ?? "")),
        ])
        let event = makeEvent(sender: psid, recipient: page, timestamp: timestamp, key: "pass_thread_control", body: body)
        fanOut(page: page, event: event, field: "messaging_handovers", messagingApps: [target], skip: caller.map { [$0] } ?? [])
    }

    /// Gives control to the caller. The previous owner gets `take_thread_control` on `messaging`, other
    /// apps (not the caller) on `standby`. Taking an idle thread sends no webhook (Conversation Routing).
    func take(psid: String, page: String, caller: String, metadata: String?) {
        guard let previous = changeOwner(psid, to: caller, action: .take, by: caller, metadata: metadata) else { return }
        let body = JSONValue.obj([
            ("previous_owner_app_id", .string(previous)),
            ("new_owner_app_id", .string(caller)),
            ("metadata", .string(metadata ?? "")),
        ])
        let event = makeEvent(sender: psid, recipient: page, timestamp: eventStamp(), key: "take_thread_control", body: body)
        fanOut(page: page, event: event, field: "messaging_handovers", messagingApps: [previous], skip: [caller])
    }

    /// The thread goes to the default app, or idle when there is none or the default app itself released.
    func release(psid: String, caller: String, metadata: String?) {
        let fallback = configuration.defaultOwnerAppID.flatMap { $0 == caller ? nil : $0 }
        changeOwner(psid, to: fallback, action: .release, by: caller, metadata: metadata)
    }
}
