/// Something that tells Baton who controls a thread.
public enum ControlObservation: Sendable, Equatable {
    /// A user event (message, postback, read...) arrived on a channel at a time (ms).
    /// `messaging` means this app may answer; `standby` means another app owns the thread.
    case userEvent(channel: WebhookChannel, at: Int64)
    /// `pass_thread_control`: control moved to `newOwner` (nil: not said).
    case passed(newOwner: AppID?, previousOwner: AppID?, channel: WebhookChannel, at: Int64)
    /// `take_thread_control`: `newOwner` (nil: not said) took control from `previousOwner`.
    case taken(newOwner: AppID?, previousOwner: AppID?, channel: WebhookChannel, at: Int64)
    /// An echo of a message some app (or the Page Inbox) sent into the thread.
    case echo(appID: AppID?, channel: WebhookChannel, at: Int64)
    /// The Graph API refused a call because another app controls the thread (10 / 2018300).
    case anotherAppControls
    /// A `thread_owner` look-up answered: the owner's app id, or nil when the thread is idle.
    case ownerLookedUp(AppID?, expiresAt: Int64?)
    /// This app's own handover call succeeded.
    case weTookControl(at: Int64)
    case wePassedControl(to: AppID?, at: Int64)
    case weReleasedControl
    /// Time went by: control that lapsed (24 h without activity) is no longer trusted.
    case clock(now: Int64)
}
