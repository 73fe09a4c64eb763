/// The Page webhook fields Baton reads, and so subscribes each app to.
public enum WebhookFields {
    /// `messages` (user messages), `messaging_postbacks`, `messaging_handovers` (pass, take,
    /// request, app roles), `standby` (the traffic of threads another app owns), `message_echoes`
    /// (confirms sends), and the events the webhook parser also reads: `message_deliveries`,
    /// `message_reads`, `messaging_referrals`, `messaging_optins`.
    public static let required: [String] = [
        "messages", "messaging_postbacks", "messaging_handovers", "standby", "message_echoes",
        "message_deliveries", "message_reads", "messaging_referrals", "messaging_optins",
    ]
}
