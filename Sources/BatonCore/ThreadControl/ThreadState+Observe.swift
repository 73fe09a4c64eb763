extension ThreadState {
    /// How long control lasts without activity before the thread goes idle (24 h).
    public static let controlTimeoutMilliseconds: Int64 = 24 * 3600 * 1000

    /// Applies what an event or a Graph answer says about ownership. Pure: no I/O, and no
    /// input can make it trap (timestamps are untrusted: sums saturate).
    ///
    /// - Parameters:
    ///   - observation: what was seen.
    ///   - me: this runtime's app id, to tell its own control from another app's.
    public mutating func observe(_ observation: ControlObservation, me: AppID) {
        switch observation {
        case .userEvent(let channel, let at, let receivedAt):
            userEvent(on: channel, at: at, receivedAt: receivedAt)
        case .passed(let newOwner, let previousOwner, let channel, let at, let receivedAt):
            touch(at)
            if newOwner == me, passBackIsContested(from: previousOwner) { return }
            if !isCurrent(at, receivedAt: receivedAt) {
                noteContest(gainedBy: newOwner)
                switch passBack(to: newOwner, from: previousOwner, at: at, receivedAt: receivedAt, me: me) {
                case .no: return
                case .unsure:
                    // As old as the newest event seen before this app's pass: either the pass back
                    // or a late copy of the pass that once gave this app the thread. Meta knows.
                    owner = .unknown
                    return
                case .yes: break
                }
            }
            let owner: ThreadOwner =
                newOwner.map { $0 == me ? .thisApp : .otherApp($0) } ?? (channel == .messaging ? .thisApp : .otherApp(nil))
            changeControl(to: owner, at: at, byUs: false)
        case .taken(let newOwner, let previousOwner, _, let at, let receivedAt):
            touch(at)
            guard isCurrent(at, receivedAt: receivedAt) else {
                noteContest(gainedBy: newOwner)
                return
            }
            taken(by: newOwner, from: previousOwner, at: at, me: me)
        case .echo(let appID, _, let at, let receivedAt):
            echo(from: appID, at: at, receivedAt: receivedAt, me: me)
        case .controlRequested(let at, let receivedAt):
            touch(at)
            guard isCurrent(at, receivedAt: receivedAt) else { return }
            owner = .thisApp
        case .anotherAppControls:
            if case .otherApp = owner { return }
            owner = .otherApp(nil)
        case .ownerLookedUp(let app, let expiresAt):
            ownerAnswered(app.map { .app($0, expiresAt: expiresAt) } ?? .idle, me: me)
        case .ownerAnswered(let lookup):
            ownerAnswered(lookup, me: me)
        case .weTookControl, .wePassedControl, .weReleasedControl, .weReleased:
            ourOwnChange(observation, me: me)
        case .clock(let now):
            if let expiry = controlExpiresAt, now >= expiry, owner != .idle {
                // Meta sends no webhook when control lapses: forget what we thought we knew.
                owner = .unknown
                controlExpiresAt = nil
            }
        }
    }

    private mutating func userEvent(on channel: WebhookChannel, at: Int64, receivedAt: Int64?) {
        touch(at)
        guard isCurrent(at, receivedAt: receivedAt) else { return }
        switch channel {
        case .messaging:
            if case .otherApp = owner, contradictsOwnChange {
                owner = .unknown
                return
            }
            if owner != .idle { owner = .thisApp }
            extendControl(from: at)
        case .standby:
            if case .otherApp = owner { break }
            owner = contradictsOwnChange && owner == .thisApp ? .unknown : .otherApp(nil)
        }
    }

    /// Whether a user event on the channel that contradicts the owner is ambiguous: the newest
    /// change of control was this app's own, dated by this machine's clock, and Meta's clock (which
    /// stamps the event) may run ahead of it, so an event Meta routed before the change can carry a
    /// later stamp. Such an event does not move control: the owner becomes unknown, and the next
    /// user message asks Meta (`thread_owner`) before it is answered. A change by anyone else is
    /// stamped by Meta's clock too, so comparing stamps is enough there.
    private var contradictsOwnChange: Bool { controlChangedByUs == true }

    private mutating func taken(by newOwner: AppID?, from previousOwner: AppID?, at: Int64, me: AppID) {
        let owner: ThreadOwner
        if let newOwner {
            owner = newOwner == me ? .thisApp : .otherApp(newOwner)
        } else if previousOwner == me || self.owner == .thisApp {
            owner = .otherApp(nil)
        } else {
            owner = .unknown
        }
        changeControl(to: owner, at: at, byUs: false)
    }

    private mutating func echo(from appID: AppID?, at: Int64, receivedAt: Int64?, me: AppID) {
        touch(at)
        // An echo of this app's own send proves only that it could send then.
        guard let appID, appID != me, isCurrent(at, receivedAt: receivedAt) else { return }
        // Another app (a human in the Inbox, say) spoke: under Conversation Routing replying
        // takes control, so it owns the thread now.
        if owner != .otherApp(appID) {
            owner = .otherApp(appID)
            controlChangedAt = at
            controlChangedByUs = false
        }
        controlExpiresAt = at.addingSaturated(Self.controlTimeoutMilliseconds)
    }

    private mutating func ownerAnswered(_ lookup: ThreadOwnerLookup, me: AppID) {
        switch lookup {
        case .app(let app, let expiresAt):
            owner = app == me ? .thisApp : .otherApp(app)
            controlExpiresAt = expiresAt
        case .anotherApp(let expiresAt):
            if case .otherApp = owner {} else { owner = .otherApp(nil) }
            controlExpiresAt = expiresAt
        case .idle:
            owner = .idle
            controlExpiresAt = nil
        }
    }

    /// This app's own change, accepted by Meta at `at` (event clock) / `acceptedAt` (ours).
    private mutating func ourOwnChange(_ observation: ControlObservation, me: AppID) {
        switch observation {
        case .weTookControl(let at, let acceptedAt):
            changeControl(to: .thisApp, at: max(controlChangedAt ?? at, at), byUs: true, acceptedAt: acceptedAt)
        case .wePassedControl(let target, let at, let acceptedAt):
            changeControl(
                to: target == me ? .thisApp : .otherApp(target), at: max(controlChangedAt ?? at, at), byUs: true,
                acceptedAt: acceptedAt)
            pendingEscalation = nil
            escalationFailures = nil
            consecutiveFallbacks = 0
        case .weReleased(let at, let acceptedAt):
            changeControl(to: .idle, at: max(controlChangedAt ?? at, at), byUs: true, acceptedAt: acceptedAt)
            controlExpiresAt = nil
        case .weReleasedControl:
            owner = .idle
            controlExpiresAt = nil
        default:
            break
        }
    }

    /// Whether an event at `at` may still move control: not older than the last change of
    /// control, and (after a change of this app's own) routed after Meta accepted it.
    ///
    /// - Parameters:
    ///   - at: the event's timestamp (ms, Meta's clock).
    ///   - receivedAt: when this machine recorded the event (ms), when known.
    public func isCurrent(_ at: Int64, receivedAt: Int64? = nil) -> Bool {
        guard let changed = controlChangedAt else { return true }
        guard controlChangedByUs == true else { return at >= changed }
        // Recorded before Meta accepted our change: Meta routed it before, whatever its
        // timestamp says. Otherwise it must be strictly newer than the acceptance.
        if let receivedAt, let accepted = ownChangeAcceptedAt, receivedAt < accepted { return false }
        return at > changed
    }

    /// Remembers a stale event (routed before this app's own pass was accepted) in which the app
    /// this app passed the thread to gained control: see ``ownChangeContested``.
    private mutating func noteContest(gainedBy app: AppID?) {
        guard controlChangedByUs == true, let app, owner == .otherApp(app) else { return }
        ownChangeContested = true
    }

    /// Whether a pass to this app from `previousOwner` cannot be told from a pass made before this
    /// app's own pass to it (``ownChangeContested``): it is then left to Meta, and the owner stays
    /// the app this app passed to until a user message asks `thread_owner`.
    private func passBackIsContested(from previousOwner: AppID?) -> Bool {
        guard ownChangeContested == true, controlChangedByUs == true, case .otherApp(let target) = owner else { return false }
        return previousOwner == nil || previousOwner == target
    }

    /// Whether a pass to this app, not newer than this app's own pass, is the pass back.
    enum PassBack { case yes, no, unsure }

    /// Whether a pass to this app from the app this app last passed the thread to is the pass
    /// back, though its timestamp is not newer than this app's own pass: Meta stamps in
    /// milliseconds on its own clock, this app dates its own pass by its clock, and a bot can pass
    /// a thread back within a millisecond. It must have been recorded after Meta accepted this
    /// app's pass, and cannot be older than the newest event seen before that pass: that app could
    /// pass the thread only once it had it. Newer than that event, it is the pass back. Stamped in
    /// that event's very millisecond it may also be a late copy of the pass that gave this app the
    /// thread in the first place (a message in the same millisecond came on `messaging`): unsure.
    /// Older, it is such a late copy.
    private func passBack(to newOwner: AppID?, from previousOwner: AppID?, at: Int64, receivedAt: Int64?, me: AppID) -> PassBack {
        guard newOwner == me, let previousOwner, controlChangedByUs == true, owner == .otherApp(previousOwner) else { return .no }
        guard let receivedAt, let accepted = ownChangeAcceptedAt, receivedAt >= accepted else { return .no }
        guard let newestBefore = ownChangeAfterEventAt else { return .no }
        if at > newestBefore { return .yes }
        return at == newestBefore ? .unsure : .no
    }

    private mutating func changeControl(to newOwner: ThreadOwner, at: Int64, byUs: Bool, acceptedAt: Int64? = nil) {
        owner = newOwner
        controlChangedAt = at
        controlChangedByUs = byUs
        ownChangeContested = nil
        if byUs { (ownChangeAcceptedAt, ownChangeAfterEventAt) = (acceptedAt, lastEventAt) }
        controlExpiresAt = at.addingSaturated(Self.controlTimeoutMilliseconds)
        if newOwner == .thisApp { consecutiveFallbacks = 0 }
    }

    private mutating func touch(_ at: Int64) {
        if let last = lastEventAt, last >= at { return }
        lastEventAt = at
    }

    private mutating func extendControl(from at: Int64) {
        guard owner == .thisApp else { return }
        let expiry = at.addingSaturated(Self.controlTimeoutMilliseconds)
        if controlExpiresAt.map({ $0 < expiry }) ?? true { controlExpiresAt = expiry }
    }
}
