/// A body that is not a Messenger webhook at all (answer 400). Malformed parts of a real
/// webhook body are not errors: they land in ``WebhookBatch/ignored``.
public struct WebhookParseError: Error, CustomStringConvertible, Equatable {
    /// What kind of body it was.
    public enum Code: String, Sendable, Equatable {
        /// Empty, not valid JSON, or not UTF-8.
        case notJSON
        /// Nested deeper than the parser accepts.
        case tooDeeplyNested
        /// Valid JSON, but not an object.
        case notAnObject
        /// `object` is missing or is not `"page"`.
        case notPageObject
        /// `entry` is missing or is not an array.
        case missingEntry
    }

    /// What kind of body it was.
    public var code: Code
    /// One line with the details.
    public var detail: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of body it was.
    ///   - detail: One line with the details.
    public init(code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `not a Messenger webhook body: <detail>`, on one line.
    public var description: String {
        let oneLine = detail.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "not a Messenger webhook body: \(oneLine.prefix(200))"
    }
}
