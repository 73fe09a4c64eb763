/// The array of `entry[]` an event arrived in.
///
/// `messaging` reaches the app that owns the thread (or every app for an idle thread);
/// `standby` reaches the apps that do not own it and must not reply.
public enum WebhookChannel: String, Sendable, Codable {
    /// `entry[].messaging[]`: this app owns the thread (or it is idle).
    case messaging
    /// `entry[].standby[]`: another app owns the thread; listen only.
    case standby
}
