/// The kind of a failure: an extensible set, one per error type (`Domain`). Each error type
/// names its codes as constants in a constrained extension, so the codes of different errors
/// cannot be mixed up, and a code this build does not know still prints its name.
///
/// ```swift
/// public struct StoreError: Error { public typealias Code = ErrorCode<StoreError> ... }
/// extension ErrorCode where Domain == StoreError {
///     public static var busy: Self { Self("busy") }
/// }
/// ```
public struct ErrorCode<Domain>: Hashable, Sendable, CustomStringConvertible {
    /// The code's name, e.g. `busy`.
    public let name: String

    /// A code named `name`.
    public init(_ name: String) { self.name = name }

    public var description: String { name }
}
