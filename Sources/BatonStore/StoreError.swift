public import BatonCore

/// A storage failure, with one line saying what failed.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    /// What kind of failure.
    public typealias Code = ErrorCode<StoreError>

    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "storage \(code): \(message)" }
}

extension ErrorCode where Domain == StoreError {
    /// The database could not be opened.
    public static var open: Self { Self("open") }
    /// The schema is newer than this Baton, or a migration failed.
    public static var schema: Self { Self("schema") }
    /// A statement failed.
    public static var statement: Self { Self("statement") }
    /// The database stayed locked.
    public static var busy: Self { Self("busy") }
    /// A stored value does not decode.
    public static var corrupt: Self { Self("corrupt") }
    /// The store is closed.
    public static var closed: Self { Self("closed") }
    /// A storage URL that cannot be used.
    public static var invalidURL: Self { Self("invalidURL") }
}
