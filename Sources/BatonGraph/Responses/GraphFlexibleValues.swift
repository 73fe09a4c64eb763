/// A whole number Meta sends as a JSON number or as a string of digits.
struct GraphFlexibleInt: Decodable, Sendable, Equatable {
    var value: Int64

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int64(text) {
            value = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a whole number")
        }
    }
}

/// A boolean Meta sends as `true` or as the string `"true"`.
struct GraphFlexibleBool: Decodable, Sendable, Equatable {
    var value: Bool

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            value = flag
        } else if let text = try? container.decode(String.self) {
            value = text == "true" || text == "1"
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a boolean")
        }
    }
}
