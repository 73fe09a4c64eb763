/// A transcript that cannot be read, described in one line naming the file, the turn and the key:
/// `echo.yaml: turn 2, key expect.reply_matches: not a valid regular expression`.
public struct TranscriptParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The transcript's file (or label).
    public var file: String
    /// The turn, counted from 1; `nil` for top-level problems.
    public var turn: Int?
    /// The key at fault (`expect.reply`, `user.postback.payload`...); `nil` when the document itself is bad.
    public var key: String?
    /// What is wrong.
    public var message: String

    /// Creates the error.
    public init(file: String, turn: Int? = nil, key: String? = nil, message: String) {
        (self.file, self.turn, self.key, self.message) = (file, turn, key, message)
    }

    /// The one-line explanation.
    public var description: String {
        var where_ = [String]()
        if let turn { where_.append("turn \(turn)") }
        if let key { where_.append("key \(key)") }
        let place = where_.isEmpty ? "" : " " + where_.joined(separator: ", ")
        return "\(file):\(place): \(message)".split(separator: "\n").joined(separator: " ")
    }
}
