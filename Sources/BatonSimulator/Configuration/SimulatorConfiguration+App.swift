extension SimulatorConfiguration {
    /// An app connected to every configured Page.
    ///
    /// It calls the Graph API with a Page's shared ``Page/accessToken`` or with its own token for that
    /// Page (``pageTokens``), and proves itself with `appsecret_proof` keyed with ``secret``.
    public struct App: Sendable, Hashable, Codable {
        private enum CodingKeys: String, CodingKey {
            case id, name, secret
            case webhookURL = "webhook_url"
            case pageTokens = "page_tokens"
            case subscribedFields = "subscribed_fields"
        }

        /// The app ID (digits, as a string).
        public var id: String
        /// The display name.
        public var name: String
        /// The app secret: signs webhooks and identifies the caller through `appsecret_proof`.
        public var secret: String
        /// Where webhooks for this app are POSTed; `nil` means the app is not subscribed.
        public var webhookURL: String?
        /// The app's own Page access tokens, by Page ID. A call with one of them is this app's call on
        /// that Page, and its `appsecret_proof` must be keyed with this app's secret.
        public var pageTokens: [String: String]
        /// The webhook fields the app starts subscribed to on every Page (`subscribed_apps`); `nil`
        /// means all of ``SimulatorConfiguration/allSubscriptionFields`` when the app has a webhook URL.
        public var subscribedFields: [String]?

        /// Creates an app.
        /// - Parameters:
        ///   - id: The app ID.
        ///   - name: The display name.
        ///   - secret: The app secret.
        ///   - webhookURL: The webhook callback URL, or `nil` when the app is not subscribed.
        ///   - pageTokens: The app's own Page access tokens, by Page ID.
        ///   - subscribedFields: The fields it starts subscribed to (`nil`: all of them).
        public init(
            id: String, name: String, secret: String, webhookURL: String? = nil,
            pageTokens: [String: String] = [:], subscribedFields: [String]? = nil
        ) {
            (self.id, self.name, self.secret, self.webhookURL) = (id, name, secret, webhookURL)
            (self.pageTokens, self.subscribedFields) = (pageTokens, subscribedFields)
        }

        /// Decodes an app; `webhook_url`, `page_tokens` and `subscribed_fields` may be left out.
        /// - Parameter decoder: The decoder.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                id: try c.decode(String.self, forKey: .id),
                name: try c.decode(String.self, forKey: .name),
                secret: try c.decode(String.self, forKey: .secret),
                webhookURL: try c.decodeIfPresent(String.self, forKey: .webhookURL),
                pageTokens: try c.decodeIfPresent([String: String].self, forKey: .pageTokens) ?? [:],
                subscribedFields: try c.decodeIfPresent([String].self, forKey: .subscribedFields)
            )
        }

        /// Encodes the app.
        /// - Parameter encoder: The encoder.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(secret, forKey: .secret)
            try c.encodeIfPresent(webhookURL, forKey: .webhookURL)
            if !pageTokens.isEmpty { try c.encode(pageTokens, forKey: .pageTokens) }
            try c.encodeIfPresent(subscribedFields, forKey: .subscribedFields)
        }
    }

    /// The webhook fields an app is subscribed to when its configuration names none: the Messenger
    /// fields Meta's handover guide asks for, plus echoes, reads and deliveries.
    public static let allSubscriptionFields: [String] = [
        "messages", "messaging_postbacks", "messaging_referrals", "messaging_optins", "message_deliveries",
        "message_reads", "message_echoes", "messaging_handovers", "standby",
    ]

    /// Every field name `POST /{page-id}/subscribed_apps` accepts (Meta's Page webhook fields for
    /// Messenger); any other name is refused with code 100.
    public static let knownSubscriptionFields: [String] = allSubscriptionFields + [
        "message_reactions", "message_edits", "messaging_account_linking", "messaging_feedback",
        "messaging_game_plays", "messaging_policy_enforcement", "messaging_payments", "messaging_pre_checkouts",
        "messaging_checkout_updates", "messaging_customer_information", "messaging_in_thread_lead_form_submit",
        "messaging_appointments", "messaging_direct_sends", "messaging_fblogin_account_linking", "response_feedback",
        "send_cart", "inbox_labels", "message_context", "messaging_integrity", "messaging_optouts",
        "feed", "conversations", "mention", "ratings", "leadgen",
    ]
}
