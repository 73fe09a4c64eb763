/// Why a set-up command (`baton pages ...`) could not do what it was asked: one line that says
/// what is wrong and, where it can, what to do.
public struct SetupError: Error, CustomStringConvertible, Equatable {
    /// The line.
    public var message: String

    /// - Parameter message: what is wrong, in one line.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
