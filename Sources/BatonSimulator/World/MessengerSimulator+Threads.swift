import Logging

extension MessengerSimulator {
    /// Appends an entry to a thread's timeline and publishes it.
    @discardableResult
    func record(_ psid: String, kind: TimelineEntry.Kind, timestamp: Int64? = nil, user: UserInput? = nil, sent: SentMessage? = nil, control: ControlChange? = nil, refused: RefusedCall? = nil) -> TimelineEntry? {
        guard var thread = threads[psid] else { return nil }
        sequence += 1
        let entry = TimelineEntry(
            sequence: sequence, timestamp: timestamp ?? clock.now, page: thread.page, psid: psid, kind: kind,
            user: user, sent: sent, control: control, refused: refused
        )
        thread.timeline.append(entry)
        threads[psid] = thread
        eventsContinuation.yield(entry)
        for continuation in subscribers.values { continuation.yield(entry) }
        for (id, waiter) in entryWaiters where entry.sequence > waiter.after && waiter.predicate(entry) {
            entryWaiters[id] = nil
            waiter.continuation.resume(returning: entry)
        }
        return entry
    }

    /// Records a refused Graph call (when the thread is known) and hands the error back.
    func refuse(_ error: SimulatedGraphError, psid: String?, app: String?, endpoint: String) -> SimulatedGraphError {
        if let psid, threads[psid] != nil {
            let call = RefusedCall(appID: app, endpoint: endpoint, code: error.code, subcode: error.subcode, message: error.message)
            record(psid, kind: .refused, refused: call)
        }
        return error
    }

    /// Expires the owner's control when its time is up: the thread goes to the default app (or idle).
    /// No webhook: Meta documents none for expiry.
    func lapseIfExpired(_ psid: String) {
        guard let thread = threads[psid], let owner = thread.owner, let expiresAt = thread.expiresAt,
            clock.now >= expiresAt
        else { return }
        if owner == configuration.defaultOwnerAppID {
            threads[psid]?.expiresAt = clock.now + configuration.idleTimeout.milliseconds
            return
        }
        changeOwner(psid, to: configuration.defaultOwnerAppID, action: .expire, by: nil, metadata: nil)
    }

    /// Sets the owner, restarts its idle timer, and records the change.
    @discardableResult
    func changeOwner(_ psid: String, to newOwner: String?, action: ControlChange.Action, by caller: String?, metadata: String?) -> String? {
        let previous = threads[psid]?.owner
        threads[psid]?.owner = newOwner
        threads[psid]?.expiresAt = newOwner == nil ? nil : clock.now + configuration.idleTimeout.milliseconds
        let change = ControlChange(action: action, from: previous, to: newOwner, by: caller, metadata: metadata, expiresAt: threads[psid]?.expiresAt)
        record(psid, kind: .control, control: change)
        return previous
    }

    /// A user message keeps the owner's control alive for another idle timeout (apps' sends do not).
    func touch(_ psid: String) {
        guard let thread = threads[psid], thread.owner != nil else { return }
        let renewed = clock.now + configuration.idleTimeout.milliseconds
        threads[psid]?.expiresAt = max(thread.expiresAt ?? 0, renewed)
    }

    /// Registers a thread for a PSID (the default app owns new threads); the user's profile is made
    /// from `profile`, the rest generated from the PSID.
    func ensureThread(psid: String, page: String, profile: UserProfileFields = UserProfileFields()) {
        guard threads[psid] == nil else { return }
        if self.page(withID: page) == nil {
            logger.warning("user on an unconfigured page", metadata: ["page": "\(page)", "psid": "\(psid)"])
        }
        let threadID = "t_" + rng.token(20, alphabet: "0123456789")
        let profile = Self.makeProfile(psid: psid, fields: profile)
        var thread = ThreadState(page: page, psid: psid, threadID: threadID, profile: profile)
        if let defaultApp = configuration.defaultOwnerAppID {
            thread.owner = defaultApp
            thread.expiresAt = clock.now + configuration.idleTimeout.milliseconds
        }
        threads[psid] = thread
    }

    /// The thread of a PSID on a Page, if it exists there.
    func thread(_ psid: String, on page: String) -> ThreadState? {
        guard let thread = threads[psid], thread.page == page else { return nil }
        return thread
    }

    // MARK: Webhook fan-out

    /// A messaging event in Meta's shape: sender, recipient, timestamp, then the one event key.
    func makeEvent(sender: String, recipient: String, timestamp: Int64, key: String, body: JSONValue) -> JSONValue {
        .obj([
            ("sender", .obj([("id", .string(sender))])),
            ("recipient", .obj([("id", .string(recipient))])),
            ("timestamp", .int(timestamp)),
            (key, body),
        ])
    }

    /// Queues an event for `messagingApps` on `messaging` and for every other app except those in
    /// `skip` on `standby` (with `standbyEvent` when it differs, e.g. a postback without payload), each
    /// only if its `subscribed_apps` fields on the Page take it (`field` is the event's webhook field).
    func fanOut(
        page: String, event: JSONValue, standbyEvent: JSONValue? = nil, field: String, messagingApps: Set<String>,
        standbyToOthers: Bool = true, skip: Set<String> = []
    ) {
        for app in appsWithWebhook where !skip.contains(app.id) {
            if messagingApps.contains(app.id) {
                guard receives(app: app, page: page, channel: .messaging, field: field) else { continue }
                enqueue(app: app.id, PendingEvent(page: page, channel: .messaging, event: event))
            } else if standbyToOthers {
                guard receives(app: app, page: page, channel: .standby, field: field) else { continue }
                enqueue(app: app.id, PendingEvent(page: page, channel: .standby, event: standbyEvent ?? event))
            }
        }
    }

    /// Who gets user input on `messaging`: the owner; when the thread is idle, the default app (the only
    /// app that may answer) or, on a Page without one, every app (each if subscribed to the field).
    func messagingAudience(of psid: String) -> Set<String> {
        if let owner = threads[psid]?.owner { return [owner] }
        if let defaultApp = configuration.defaultOwnerAppID { return [defaultApp] }
        return Set(appsWithWebhook.map(\.id))
    }
}
