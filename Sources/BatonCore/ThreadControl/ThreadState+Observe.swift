extension ThreadState {
    /// How long control lasts without activity before the thread goes idle (24 h).
    public static let controlTimeoutMilliseconds: Int64 = 24 * 3600 * 1000

    /// Applies what an event or a Graph answer says about ownership. Pure: no I/O.
    ///
    /// - Parameters:
    ///   - observation: what was seen.
    ///   - me: this runtime's app id, to tell its own control from another app's.
    public mutating func observe(_ observation: ControlObservation, me: AppID) {
        switch observation {
        case .userEvent(let channel, let at):
            touch(at)
            guard isCurrent(at) else { return }
            switch channel {
            case .messaging:
                if owner != .idle { owner = .thisApp }
                extendControl(from: at)
            case .standby:
                if case .otherApp = owner { break }
                owner = .otherApp(nil)
            }

        case .passed(let newOwner, _, let channel, let at):
            touch(at)
            guard isCurrent(at) else { return }
            controlChangedAt = at
            if let newOwner {
                owner = newOwner == me ? .thisApp : .otherApp(newOwner)
            } else {
                owner = channel == .messaging ? .thisApp : .otherApp(nil)
            }
            controlExpiresAt = at + Self.controlTimeoutMilliseconds
            if owner == .thisApp { consecutiveFallbacks = 0 }

        case .taken(let newOwner, let previousOwner, _, let at):
            touch(at)
            guard isCurrent(at) else { return }
            controlChangedAt = at
            if let newOwner {
                owner = newOwner == me ? .thisApp : .otherApp(newOwner)
            } else if previousOwner == me || owner == .thisApp {
                owner = .otherApp(nil)
            } else {
                owner = .unknown
            }
            controlExpiresAt = at + Self.controlTimeoutMilliseconds
            if owner == .thisApp { consecutiveFallbacks = 0 }

        case .echo(let appID, _, let at):
            touch(at)
            // An echo of this app's own send proves only that it could send then.
            guard let appID, appID != me, isCurrent(at) else { return }
            // Another app (a human in the Inbox, say) spoke: under Conversation Routing
            // replying takes control, so it owns the thread now.
            if owner != .otherApp(appID) {
                owner = .otherApp(appID)
                controlChangedAt = at
            }
            controlExpiresAt = at + Self.controlTimeoutMilliseconds

        case .anotherAppControls:
            if case .otherApp = owner { return }
            owner = .otherApp(nil)

        case .ownerLookedUp(let app, let expiresAt):
            if let app {
                owner = app == me ? .thisApp : .otherApp(app)
                controlExpiresAt = expiresAt
            } else {
                owner = .idle
                controlExpiresAt = nil
            }

        case .weTookControl(let at):
            controlChangedAt = max(controlChangedAt ?? at, at)
            owner = .thisApp
            controlExpiresAt = at + Self.controlTimeoutMilliseconds
            consecutiveFallbacks = 0

        case .wePassedControl(let target, let at):
            controlChangedAt = max(controlChangedAt ?? at, at)
            owner = target == me ? .thisApp : .otherApp(target)
            controlExpiresAt = at + Self.controlTimeoutMilliseconds
            pendingEscalation = nil
            consecutiveFallbacks = 0

        case .weReleasedControl:
            owner = .idle
            controlExpiresAt = nil

        case .clock(let now):
            if let expiry = controlExpiresAt, now >= expiry, owner != .idle {
                // Meta sends no webhook when control lapses: forget what we thought we knew.
                owner = .unknown
                controlExpiresAt = nil
            }
        }
    }

    /// Whether an event at `at` is not older than the last change of control.
    private func isCurrent(_ at: Int64) -> Bool {
        controlChangedAt.map { at >= $0 } ?? true
    }

    private mutating func touch(_ at: Int64) {
        if let last = lastEventAt, last >= at { return }
        lastEventAt = at
    }

    private mutating func extendControl(from at: Int64) {
        guard owner == .thisApp else { return }
        let expiry = at + Self.controlTimeoutMilliseconds
        if controlExpiresAt.map({ $0 < expiry }) ?? true { controlExpiresAt = expiry }
    }
}
