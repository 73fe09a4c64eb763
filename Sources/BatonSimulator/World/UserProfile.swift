/// What the User Profile API (`GET /{psid}?fields=...`) tells an app on the user's Page about them.
/// Encodes to JSON in snake_case, as Meta names the fields.
public struct UserProfile: Sendable, Hashable, Codable {
    /// `first_name`.
    public var firstName: String
    /// `last_name` (may be empty).
    public var lastName: String
    /// `profile_pic`: a URL.
    public var profilePic: String
    /// `locale`, e.g. `en_US`.
    public var locale: String
    /// `timezone`: hours from UTC, -24...24 (may be fractional, e.g. 5.5).
    public var timezone: Double

    /// `name`: first and last name.
    public var name: String { lastName.isEmpty ? firstName : "\(firstName) \(lastName)" }

    /// Creates a profile.
    /// - Parameters:
    ///   - firstName: The first name.
    ///   - lastName: The last name.
    ///   - profilePic: The picture URL.
    ///   - locale: The locale.
    ///   - timezone: Hours from UTC.
    public init(firstName: String, lastName: String, profilePic: String, locale: String, timezone: Double) {
        (self.firstName, self.lastName, self.profilePic, self.locale, self.timezone) = (firstName, lastName, profilePic, locale, timezone)
    }

    private enum CodingKeys: String, CodingKey {
        case locale, timezone
        case firstName = "first_name"
        case lastName = "last_name"
        case profilePic = "profile_pic"
    }
}

/// Parts of a user's profile chosen by a test; what is left out is generated.
public struct UserProfileFields: Sendable, Hashable {
    /// A display name split into first and last name when those are not given.
    public var name: String?
    /// The first name.
    public var firstName: String?
    /// The last name.
    public var lastName: String?
    /// The picture URL.
    public var profilePic: String?
    /// The locale.
    public var locale: String?
    /// Hours from UTC.
    public var timezone: Double?

    /// Creates the chosen parts of a profile.
    /// - Parameters:
    ///   - name: A display name ("Maria Lopez"), split at the first space when `firstName`/`lastName` are absent.
    ///   - firstName: The first name.
    ///   - lastName: The last name.
    ///   - profilePic: The picture URL.
    ///   - locale: The locale, e.g. `pt_BR`.
    ///   - timezone: Hours from UTC, -24...24.
    public init(
        name: String? = nil, firstName: String? = nil, lastName: String? = nil, profilePic: String? = nil,
        locale: String? = nil, timezone: Double? = nil
    ) {
        (self.name, self.firstName, self.lastName, self.profilePic) = (name, firstName, lastName, profilePic)
        (self.locale, self.timezone) = (locale, timezone)
    }
}
