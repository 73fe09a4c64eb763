/// Why a test-support helper gave up: a wait that timed out, a tool that failed.
public struct TestSupportError: Error, CustomStringConvertible {
    /// What went wrong, in a sentence.
    public var description: String

    /// - Parameter description: what went wrong, in a sentence.
    public init(_ description: String) { self.description = description }
}
