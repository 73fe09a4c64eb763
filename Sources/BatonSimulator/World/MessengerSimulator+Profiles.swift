/// The User Profile API: `GET /{psid}?fields=first_name,last_name,profile_pic,locale,timezone` with a
/// token of the user's Page. Profiles are given when the user is created, the rest generated from the
/// PSID (never from the simulator's RNG, so adding users keeps a seed's faults where they were).
extension MessengerSimulator {
    /// The fields `GET /{psid}` answers; `gender` is accepted and left out (Meta needs a permission
    /// the simulator does not model), any other name is refused with code 100.
    static let profileFields: Set<String> = ["id", "name", "first_name", "last_name", "profile_pic", "locale", "timezone", "gender"]

    /// What the User Profile API answers about a user.
    /// - Parameter psid: The PSID.
    /// - Returns: The profile, or `nil` for an unknown PSID.
    public func userProfile(psid: String) -> UserProfile? { threads[psid]?.profile }

    /// Changes what the User Profile API answers about a user; fields left `nil` keep their value
    /// (`name` sets first and last name when those are not given).
    /// - Parameters:
    ///   - fields: The new values.
    ///   - psid: The PSID.
    /// - Throws: ``SimulatorError/Code/unknownUser`` for an unknown PSID.
    public func updateUserProfile(_ fields: UserProfileFields, psid: String) throws(SimulatorError) {
        guard var profile = threads[psid]?.profile else { throw SimulatorError.unknownUser(psid) }
        let split = Self.split(fields.name)
        if let first = fields.firstName ?? split?.first { profile.firstName = first }
        if let last = fields.lastName ?? split?.last { profile.lastName = last }
        if let pic = fields.profilePic { profile.profilePic = pic }
        if let locale = fields.locale { profile.locale = locale }
        if let timezone = fields.timezone { profile.timezone = Self.clampTimezone(timezone) }
        threads[psid]?.profile = profile
    }

    /// `GET /{psid}`: the asked fields (Graph's default `name`, then `id`), in the order asked, `id` last.
    func profileNode(psid: String, page: String, params: [String: JSONValue]) throws(SimulatedGraphError) -> JSONValue {
        guard let profile = thread(psid, on: page)?.profile else { throw SimulatedGraphError.unsupportedGet(psid) }
        let asked = (params["fields"]?.string ?? "name")
            .split(separator: ",").map { String($0).trimmedSpaces }.filter { !$0.isEmpty }
        if let unknown = asked.first(where: { !Self.profileFields.contains($0) }) {
            throw SimulatedGraphError.invalidParameter("Tried accessing nonexisting field (\(unknown)) on node type (User)")
        }
        var pairs: [(String, JSONValue?)] = []
        for field in asked where !pairs.contains(where: { $0.0 == field }) {
            switch field {
            case "name": pairs.append((field, .string(profile.name)))
            case "first_name": pairs.append((field, .string(profile.firstName)))
            case "last_name": pairs.append((field, .string(profile.lastName)))
            case "profile_pic": pairs.append((field, .string(profile.profilePic)))
            case "locale": pairs.append((field, .string(profile.locale)))
            case "timezone": pairs.append((field, .double(profile.timezone)))
            default: break
            }
        }
        pairs.append(("id", .string(psid)))
        return .obj(pairs)
    }

    // MARK: Generated profiles

    /// A profile from the chosen fields, the rest generated from the PSID.
    static func makeProfile(psid: String, fields: UserProfileFields) -> UserProfile {
        var generator = SeededGenerator(seed: fnv1a(psid))
        let split = split(fields.name)
        let first = fields.firstName ?? split?.first ?? firstNames[Int.random(in: 0..<firstNames.count, using: &generator)]
        let last = fields.lastName ?? split?.last ?? lastNames[Int.random(in: 0..<lastNames.count, using: &generator)]
        let place = places[Int.random(in: 0..<places.count, using: &generator)]
        let expiry = 1_700_000_000 + Int.random(in: 0..<100_000_000, using: &generator)
        let hash = generator.token(27)
        let pic = "https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=\(psid)&width=1024&ext=\(expiry)&hash=\(hash)"
        return UserProfile(
            firstName: first, lastName: last, profilePic: fields.profilePic ?? pic,
            locale: fields.locale ?? place.locale, timezone: clampTimezone(fields.timezone ?? place.timezone))
    }

    /// "Maria da Silva" → ("Maria", "da Silva"); one word → (word, "").
    private static func split(_ name: String?) -> (first: String, last: String)? {
        guard let name = name?.trimmedSpaces, !name.isEmpty else { return nil }
        let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1].trimmedSpaces : "")
    }

    private static func clampTimezone(_ hours: Double) -> Double {
        hours.isFinite ? min(max(hours, -24), 24) : 0
    }

    /// FNV-1a of the PSID's bytes: a seed per user.
    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    private static let firstNames = [
        "Maria", "João", "Aiko", "Lars", "Amara", "Priya", "Mateo", "Chloé", "Omar", "Ingrid", "Wei", "Fatima",
        "Lucas", "Sofia", "Kwame", "Elena",
    ]
    private static let lastNames = [
        "Silva", "Tanaka", "Andersen", "Okafor", "Sharma", "García", "Dubois", "Haddad", "Berg", "Chen",
        "Rahman", "Moreau", "Mensah", "Rossi", "Novak", "Kowalski",
    ]
    private static let places: [(locale: String, timezone: Double)] = [
        ("en_US", -5), ("en_US", -8), ("pt_BR", -3), ("es_MX", -6), ("en_GB", 0), ("fr_FR", 1), ("de_DE", 1),
        ("it_IT", 1), ("pl_PL", 1), ("ar_AR", 3), ("hi_IN", 5.5), ("zh_CN", 8), ("ja_JP", 9), ("en_AU", 10),
    ]
}
