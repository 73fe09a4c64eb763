/// An id Meta sends as a JSON string or number: both decode to the same value, and it
/// always encodes as a string. Page, user and app ids share this behaviour and differ in type
/// only, so one cannot be passed where another is meant.
public protocol MetaID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral, Comparable where RawValue == String
{
    init(rawValue: String)
}

extension MetaID {
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public init(from decoder: any Decoder) throws { self.init(rawValue: try decodeFlexibleID(decoder)) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A Facebook Page id, as the string Meta sends in `entry[].id`.
public struct PageID: MetaID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A page-scoped user id (PSID): the person on the other side of a conversation.
public struct UserID: MetaID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A Facebook app id.
public struct AppID: MetaID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Meta's Page Inbox app, the default live-agent app.
    public static let pageInbox: AppID = "263902037430900"
}

/// One conversation: a user on a page. Thread control and ordering are per thread.
public struct ThreadKey: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public var page: PageID
    public var user: UserID
    public init(page: PageID, user: UserID) {
        self.page = page
        self.user = user
    }
    public var description: String { "\(page.rawValue)/\(user.rawValue)" }
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.page, lhs.user) < (rhs.page, rhs.user) }
}

/// Decodes an id given as a JSON string or an integer number.
func decodeFlexibleID(_ decoder: any Decoder) throws -> String {
    let container = try decoder.singleValueContainer()
    if let string = try? container.decode(String.self) { return string }
    if let number = try? container.decode(UInt64.self) { return String(number) }
    if let number = try? container.decode(Int64.self) { return String(number) }
    throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "expected an id as a string or an integer")
}
