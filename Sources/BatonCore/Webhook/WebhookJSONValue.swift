import Foundation

/// A parsed JSON value, kept exactly enough to read ids and re-serialise one event.
///
/// Decoded through `JSONDecoder`; a value of a kind Swift cannot hold (a number too large
/// for `Double`) becomes ``unrepresentable`` instead of failing the whole body.
enum WebhookJSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsignedInteger(UInt64)
    case double(Double)
    case string(String)
    case array([WebhookJSONValue])
    case object([String: WebhookJSONValue])
    case unrepresentable

    /// The value as an object, or nil.
    var object: [String: WebhookJSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The value as an array, or nil.
    var array: [WebhookJSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The value as a string, or nil (numbers are not converted).
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as an id: a string, or an integer written out in decimal.
    var idString: String? {
        switch self {
        case .string(let value): return value.isEmpty ? nil : value
        case .integer(let value): return String(value)
        case .unsignedInteger(let value): return String(value)
        default: return nil
        }
    }

    /// The value as a whole number: an integer, an integral double, or a string of digits.
    var int64: Int64? {
        switch self {
        case .integer(let value): return value
        case .unsignedInteger(let value): return Int64(exactly: value)
        case .double(let value): return Int64(exactly: value)
        case .string(let value): return Int64(value)
        default: return nil
        }
    }

    /// A short name of the value's kind, for reasons in ``IgnoredItem``.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .unsignedInteger, .double, .unrepresentable: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension WebhookJSONValue: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsignedInteger(value)
        } else if let value = try? container.decode(Double.self), value.isFinite {
            self = .double(value)
        } else if let value = try? container.decode([String: WebhookJSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode([WebhookJSONValue].self) {
            self = .array(value)
        } else {
            self = .unrepresentable
        }
    }
}
