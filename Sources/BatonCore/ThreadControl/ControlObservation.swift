/// Something that tells Baton who controls a thread.
///
/// Event observations carry the event's own timestamp (`at`, Meta's clock, untrusted) and,
/// when known, `receivedAt`: when this machine recorded the event. Baton's own changes carry
/// `at`, the moment Meta accepted them on the event clock, and `acceptedAt`, the same moment
/// on this machine's clock, so that events Meta routed before them cannot undo them.
public enum ControlObservation: Sendable, Equatable {
    /// A user event (message, postback, read...) arrived on a channel at a time (ms).
    /// `messaging` means this app may answer; `standby` means another app owns the thread.
    case userEvent(channel: WebhookChannel, at: Int64, receivedAt: Int64? = nil)
    /// `pass_thread_control`: control moved to `newOwner` (nil: not said).
    case passed(newOwner: AppID?, previousOwner: AppID?, channel: WebhookChannel, at: Int64, receivedAt: Int64? = nil)
    /// `take_thread_control`: `newOwner` (nil: not said) took control from `previousOwner`.
    case taken(newOwner: AppID?, previousOwner: AppID?, channel: WebhookChannel, at: Int64, receivedAt: Int64? = nil)
    /// An echo of a message some app (or the Page Inbox) sent into the thread.
    case echo(appID: AppID?, channel: WebhookChannel, at: Int64, receivedAt: Int64? = nil)
    /// `request_thread_control` reached this app: Meta delivers it to the owner only, so
    /// receiving it proves this app owns the thread.
    case controlRequested(at: Int64, receivedAt: Int64? = nil)
    /// The Graph API refused a call because another app controls the thread (10 / 2018300).
    case anotherAppControls
    /// A `thread_owner` look-up answered: the owner's app id, or nil when the thread is idle.
    case ownerLookedUp(AppID?, expiresAt: Int64?)
    /// A `thread_owner` look-up answered, read by Conversation Routing's rules.
    case ownerAnswered(ThreadOwnerLookup)
    /// This app's own take (or first send into an idle thread) was accepted by Meta.
    case weTookControl(at: Int64, acceptedAt: Int64? = nil)
    /// This app's own pass was accepted by Meta.
    case wePassedControl(to: AppID?, at: Int64, acceptedAt: Int64? = nil)
    /// This app's own release was accepted (the thread is idle); no time known.
    case weReleasedControl
    /// This app's own release was accepted by Meta at a known time.
    case weReleased(at: Int64, acceptedAt: Int64? = nil)
    /// Time went by: control that lapsed (24 h without activity) is no longer trusted.
    case clock(now: Int64)
}

/// What `GET /thread_owner` says under Conversation Routing.
public enum ThreadOwnerLookup: Sendable, Equatable {
    /// The owner, named: Meta names it to the owner itself and to the Page's default app.
    /// `expiresAt` is in ms since 1970.
    case app(AppID, expiresAt: Int64?)
    /// `expiration` without `app_id`: some other app owns the thread; which one is not said.
    case anotherApp(expiresAt: Int64?)
    /// An empty answer: nobody owns the thread.
    case idle
}
