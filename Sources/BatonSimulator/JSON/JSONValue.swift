/// A JSON value whose objects keep their key order, so webhook bodies come out in Meta's field order.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One key/value pair of an object.
    public struct Member: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONValue

        /// Creates a member.
        /// - Parameters:
        ///   - key: The key.
        ///   - value: The value.
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The string, or the decimal form of an integer (ids arrive both ways).
    public var stringOrNumber: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: return String(Int64(d))
        default: return nil
        }
    }

    /// The string when this is a string.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements when this is an array.
    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The number as an integer, when it is one (or a string of digits).
    public var int: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d): return Int64(exactly: d)
        case .string(let s): return Int64(s)
        default: return nil
        }
    }

    /// The keys when this is an object.
    public var keys: [String] {
        if case .object(let members) = self { return members.map(\.key) }
        return []
    }

    /// An object from ordered pairs, dropping pairs whose value is `nil`.
    static func obj(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        .object(pairs.compactMap { key, value in value.map { Member(key, $0) } })
    }

    /// An app or user id as Meta prints it inside echoes: a number when it is all digits.
    static func numericID(_ id: String) -> JSONValue {
        if let n = Int64(id), !id.hasPrefix("0") { return .int(n) }
        return .string(id)
    }
}

extension JSONValue: Decodable {
    /// Decodes any JSON value (object key order is whatever the decoder yields).
    /// - Parameter decoder: The decoder.
    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [Member] = []
            for key in keyed.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                members.append(Member(key.stringValue, try keyed.decode(JSONValue.self, forKey: key)))
            }
            self = .object(members)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !unkeyed.isAtEnd { items.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let b = try? single.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? single.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? single.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
