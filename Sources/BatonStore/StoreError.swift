/// A storage failure, with one line saying what failed.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String { case open, schema, statement, busy, corrupt, closed, invalidURL }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public static let open = Code(.open)
        public static let schema = Code(.schema)
        public static let statement = Code(.statement)
        public static let busy = Code(.busy)
        public static let corrupt = Code(.corrupt)
        public static let closed = Code(.closed)
        public static let invalidURL = Code(.invalidURL)
        public var description: String { base.rawValue }
    }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "storage \(code): \(message)" }
}
